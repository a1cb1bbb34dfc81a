import Foundation
import Model
import COpenBLAS

/// Measurement helpers for `pbte-pipeline bench` (docs/performance.md): the pieces of the solver timed alone, and
/// the limits they are compared against (OpenBLAS dgemm on the same shapes). Nothing here is used by a solve.
public enum BenchSupport {
    /// Seconds of wall time of `body`, best of `repeats` (each at least once).
    public static func time(repeats: Int = 1, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9)
        }
        return best
    }

    public static var blasThreads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(newValue)) }
    }

    /// Sweeps every mode of `t` on the calling thread only (the one-core figure of the drift kernel).
    /// Returns the number of tetrahedra in dependency cycles, summed over modes.
    @discardableResult
    public static func serialDrift(_ t: Transport, source: [Double], inflow: [Double],
                                   psi: inout [Double], trace: inout [Double]) -> Int {
        let nn = t.nodeCount, bs = 3 * t.boundaryFaceCount
        if psi.count != t.volumeSize { psi = .init(repeating: 0, count: t.volumeSize) }
        if trace.count != t.boundarySize { trace = .init(repeating: 0, count: t.boundarySize) }
        var scratch = SweepScratch(tetCount: t.mesh.tetCount)
        var cyclic = 0
        source.withUnsafeBufferPointer { s in inflow.withUnsafeBufferPointer { i in
        psi.withUnsafeMutableBufferPointer { p in trace.withUnsafeMutableBufferPointer { tr in
            for mu in 0..<t.modeCount where t.inverseSpeed[mu] != 0 {
                let r = t.mesh.sweep(direction: t.direction[mu], sigma: t.sigma[mu], sourceScale: t.inverseSpeed[mu],
                                     source: s.baseAddress! + mu * nn, inflow: i.baseAddress! + mu * bs,
                                     psi: p.baseAddress! + mu * nn, trace: tr.baseAddress! + mu * bs, scratch: &scratch)
                cyclic += r.cyclicTets
            }
        } } } }
        return cyclic
    }

    /// Sweep statistics of one mode set on one mesh: modes with dependency cycles, tets in cycles, extra passes.
    public static func cycleStatistics(_ t: Transport) -> (modesWithCycles: Int, cyclicTets: Int, passes: Int) {
        let nn = t.nodeCount, bs = 3 * t.boundaryFaceCount
        var scratch = SweepScratch(tetCount: t.mesh.tetCount)
        let src = [Double](repeating: 1, count: nn), inf = [Double](repeating: 0, count: bs)
        var psi = [Double](repeating: 0, count: nn), tr = [Double](repeating: 0, count: bs)
        var modes = 0, tets = 0, passes = 0
        for mu in 0..<t.modeCount where t.inverseSpeed[mu] != 0 {
            let r = t.mesh.sweep(direction: t.direction[mu], sigma: t.sigma[mu], sourceScale: 1, source: src,
                                 inflow: inf, psi: &psi, trace: &tr, scratch: &scratch)
            if r.cyclicTets > 0 { modes += 1 }
            tets += r.cyclicTets; passes += r.passes
        }
        return (modes, tets, passes)
    }

    /// Seconds of one `C = A·B` with OpenBLAS dgemm, row-major A (m×k), B (k×n): the reference for the collision
    /// product on the same shapes. Best of `repeats`.
    public static func dgemmSeconds(m: Int, n: Int, k: Int, repeats: Int) -> Double {
        let a = (0..<(m * k)).map { Double(($0 * 7919) % 1013) * 1e-3 }
        let b = (0..<(k * n)).map { Double(($0 * 104_729) % 997) * 1e-3 }
        var c = [Double](repeating: 0, count: m * n)
        return time(repeats: repeats) {
            a.withUnsafeBufferPointer { aa in b.withUnsafeBufferPointer { bb in c.withUnsafeMutableBufferPointer { cc in
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                            aa.baseAddress, Int32(k), bb.baseAddress, Int32(n), 0, cc.baseAddress, Int32(n))
            } } }
        }
    }
}
