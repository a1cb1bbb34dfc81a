import Foundation
import Model
import Config

/// The drift with a discontinuous (DG corner) source and state: what a transient step needs, since the history
/// term ψ^n/Δt is the previous step's DG field, not its nodal average. Corner vectors are modes × 4 · tets.
extension Transport {
    public var cornerSize: Int { owned.count * 4 * mesh.tetCount }

    /// Corner values of a nodal field (modes × nodes): the continuous P1 interpolant, tet by tet.
    public func corners(ofNodal x: [Double]) -> [Double] {
        let nn = nodeCount, nt = mesh.tetCount, tets = mesh.mesh.tets
        var out = [Double](repeating: 0, count: cornerSize)
        for l in 0..<owned.count {
            for t in 0..<nt { for c in 0..<4 { out[l * 4 * nt + 4 * t + c] = x[l * nn + Int(tets[4 * t + c])] } }
        }
        return out
    }

    /// As `drift`, with `cornerSource` added to the nodal `source` and the DG corner values returned in `corners`.
    public func drift(
        source: [Double], cornerSource: [Double], inflow: [Double], psi: inout [Double],
        trace: inout [Double], corners: inout [Double]
    ) {
        precondition(source.count == volumeSize && inflow.count == boundarySize && cornerSource.count == cornerSize)
        if psi.count != volumeSize { psi = .init(repeating: 0, count: volumeSize) }
        if trace.count != boundarySize { trace = .init(repeating: 0, count: boundarySize) }
        if corners.count != cornerSize { corners = .init(repeating: 0, count: cornerSize) }
        let nn = nodeCount, bs = 3 * boundaryFaceCount, nt = mesh.tetCount, cs = 4 * nt
        let tets = mesh.mesh.tets
        source.withUnsafeBufferPointer { src in
            cornerSource.withUnsafeBufferPointer { csrc in
                inflow.withUnsafeBufferPointer { inf in
                    psi.withUnsafeMutableBufferPointer { ps in
                        trace.withUnsafeMutableBufferPointer { tr in
                            corners.withUnsafeMutableBufferPointer { co in
                                let s = SharedPointer(base: UnsafeMutablePointer(mutating: src.baseAddress!))
                                let c = SharedPointer(base: UnsafeMutablePointer(mutating: csrc.baseAddress!))
                                let i = SharedPointer(base: UnsafeMutablePointer(mutating: inf.baseAddress!))
                                let p = SharedPointer(base: ps.baseAddress!), t = SharedPointer(base: tr.baseAddress!)
                                let o = SharedPointer(base: co.baseAddress!)
                                let first = self.owned.lowerBound
                                parallelChunks(owned.count) { range in
                                    var scratch = SweepScratch(tetCount: nt)
                                    for l in range {
                                        let mu = first + l
                                        let nodal = UnsafePointer(s.base + l * nn), corner = UnsafePointer(c.base + l * cs)
                                        let out = p.base + l * nn, outCorners = o.base + l * cs
                                        if self.inverseSpeed[mu] == 0 {
                                            // Relaxes in place, corner by corner: ψ = (source)/(1/τ + 1/Δt).
                                            let tau = self.modes.tau[mu]
                                            let rate = (tau.isFinite && tau > 0 ? 1 / tau : 0) + self.timeShift
                                            var sum = [Double](repeating: 0, count: nn), weight = sum
                                            let volume = self.mesh.geometry.volume
                                            for tt in 0..<nt {
                                                for k in 0..<4 {
                                                    let n = Int(tets[4 * tt + k])
                                                    let x = rate > 0 ? (nodal[n] + corner[4 * tt + k]) / rate : 0
                                                    outCorners[4 * tt + k] = x
                                                    sum[n] += volume[tt] * x; weight[n] += volume[tt]
                                                }
                                            }
                                            for n in 0..<nn { out[n] = weight[n] > 0 ? sum[n] / weight[n] : 0 }
                                            for k in 0..<bs { t.base[l * bs + k] = 0 }
                                            continue
                                        }
                                        _ = self.mesh.sweep(
                                            direction: self.direction[mu], sigma: self.sigma[mu],
                                            sourceScale: self.inverseSpeed[mu], source: nodal,
                                            inflow: UnsafePointer(i.base + l * bs), psi: out, trace: t.base + l * bs,
                                            cornerSource: corner, corners: outCorners, scratch: &scratch)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension TransportSystem {
    public var cornerSize: Int { cornerLayout.count }

    public func corners(ofNodal x: [Double]) -> [Double] {
        cornerLayout.join(regions.indices.map { regions[$0].corners(ofNodal: volumeLayout.part(of: x, $0)) })
    }

    public func drift(
        source: [Double], cornerSource: [Double], inflow: [Double], psi: inout [Double],
        trace: inout [Double], corners: inout [Double]
    ) {
        if regions.count == 1 {
            regions[0].drift(source: source, cornerSource: cornerSource, inflow: inflow, psi: &psi, trace: &trace, corners: &corners)
            return
        }
        if psi.count != volumeSize { psi = .init(repeating: 0, count: volumeSize) }
        if trace.count != boundarySize { trace = .init(repeating: 0, count: boundarySize) }
        if corners.count != cornerSize { corners = cornerLayout.zeros() }
        for (r, t) in regions.enumerated() {
            var p = [Double](), tr = [Double](), c = [Double]()
            t.drift(
                source: volumeLayout.part(of: source, r), cornerSource: cornerLayout.part(of: cornerSource, r),
                inflow: boundaryLayout.part(of: inflow, r), psi: &p, trace: &tr, corners: &c)
            volumeLayout.place(p, into: &psi, r); boundaryLayout.place(tr, into: &trace, r)
            cornerLayout.place(c, into: &corners, r)
        }
    }
}
