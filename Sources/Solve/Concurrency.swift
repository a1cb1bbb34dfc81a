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

extension TransportSystem {
    /// Runs `body` with OpenBLAS on one thread unless a region's collisions are a dense matrix (whose product is
    /// compute-bound and wants every core). Everything else OpenBLAS does in a solve (level-1 and small level-2
    /// products) is memory-bound, and after every threaded call OpenBLAS's idle workers spin on sched_yield for a
    /// while, taking the cores from the sweep threads: 15–20% of a GMRES sweep on 2 cores (perf, 2026-12-04).
    func withBLASThreadsForCollisions<T>(_ body: () throws -> T) rethrows -> T {
        let dense = regions.contains { if case .dense = $0.material.collision { return true } else { return false } }
        if dense { return try body() }
        let saved = Int(openblas_get_num_threads())
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(Int32(saved)) }
        return try body()
    }
}
