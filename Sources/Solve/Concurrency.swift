import Foundation

/// A raw pointer handed to worker threads that write disjoint parts of one buffer.
struct SharedPointer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}

/// Runs `body(range)` over `count` items split into chunks, on all cores.
func parallelChunks(_ count: Int, chunk: Int = 8, _ body: @Sendable (Range<Int>) -> Void) {
    let chunks = (count + chunk - 1) / chunk
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        body((c * chunk)..<min(count, (c + 1) * chunk))
    }
}
