import Foundation
import COpenBLAS

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

/// Runs `body` with OpenBLAS on one thread. What OpenBLAS does in a solve is either memory-bound (level-1 and
/// small level-2 products), where after every threaded call its idle workers spin on sched_yield for a while and take
/// the cores from the sweep threads (15–20% of a GMRES sweep on 2 cores, perf, 2026-12-04), or the dense collision
/// product, which runs its fixed tiles on all cores itself (`Transport.scatter`).
func withSingleThreadedBLAS<T>(_ body: () throws -> T) rethrows -> T {
    let saved = openblas_get_num_threads()
    openblas_set_num_threads(1)
    defer { openblas_set_num_threads(saved) }
    return try body()
}
