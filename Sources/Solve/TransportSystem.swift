import Foundation
import Model

/// Couples the boundary traces of regions across interfaces: adds to the next event's inflow data.
public protocol InterfaceExchange: Sendable {
    /// Interface tag this exchange serves (its faces are absorbing in the walls' own operator).
    var tag: Int32 { get }
    func reemit(system: TransportSystem, trace: [Double], into inflow: inout [Double])
}

/// All regions of a run, each with its own material and sub-mesh, and the interfaces between them. State vectors
/// are the regions' vectors laid end to end: volume sources and nodal ψ (modes_r × nodes_r per region r), boundary
/// traces and inflow (modes_r × 3·faces_r). A single-material run is a system of one region.
public final class TransportSystem: @unchecked Sendable {
    public let regions: [Transport]
    public let volumeOffset: [Int]
    public let boundaryOffset: [Int]
    public let volumeSize: Int
    public let boundarySize: Int
    public var interfaces: [InterfaceExchange] = []

    public init(regions: [Transport]) {
        self.regions = regions
        var vo = [Int](), bo = [Int](), v = 0, b = 0
        for t in regions { vo.append(v); bo.append(b); v += t.volumeSize; b += t.boundarySize }
        volumeOffset = vo; boundaryOffset = bo; volumeSize = v; boundarySize = b
    }

    public convenience init(_ single: Transport) { self.init(regions: [single]) }

    public var modeCount: Int { regions.map(\.modeCount).reduce(0, +) }

    func slice(_ x: [Double], _ r: Int, volume: Bool) -> [Double] {
        let o = volume ? volumeOffset[r] : boundaryOffset[r]
        let n = volume ? regions[r].volumeSize : regions[r].boundarySize
        return Array(x[o..<(o + n)])
    }

    func place(_ part: [Double], into x: inout [Double], _ r: Int, volume: Bool) {
        let o = volume ? volumeOffset[r] : boundaryOffset[r]
        x.withUnsafeMutableBufferPointer { p in part.withUnsafeBufferPointer { q in
            (p.baseAddress! + o).update(from: q.baseAddress!, count: q.count)
        } }
    }

    /// The regions' parts of a system vector.
    public func split(_ x: [Double], volume: Bool) -> [[Double]] { regions.indices.map { slice(x, $0, volume: volume) } }

    /// A system vector from the regions' parts.
    public func join(_ parts: [[Double]], volume: Bool) -> [Double] { parts.flatMap { $0 } }

    public func drift(source: [Double], inflow: [Double], psi: inout [Double], trace: inout [Double]) {
        if regions.count == 1 { regions[0].drift(source: source, inflow: inflow, psi: &psi, trace: &trace); return }
        if psi.count != volumeSize { psi = .init(repeating: 0, count: volumeSize) }
        if trace.count != boundarySize { trace = .init(repeating: 0, count: boundarySize) }
        for (r, t) in regions.enumerated() {
            var p = [Double](), tr = [Double]()
            t.drift(source: slice(source, r, volume: true), inflow: slice(inflow, r, volume: false), psi: &p, trace: &tr)
            place(p, into: &psi, r, volume: true); place(tr, into: &trace, r, volume: false)
        }
    }

    public func scatter(psi: [Double], into g: inout [Double]) {
        if regions.count == 1 { regions[0].scatter(psi: psi, into: &g); return }
        if g.count != volumeSize { g = .init(repeating: 0, count: volumeSize) }
        for (r, t) in regions.enumerated() {
            var part = [Double]()
            t.scatter(psi: slice(psi, r, volume: true), into: &part)
            place(part, into: &g, r, volume: true)
        }
    }

    /// Walls of every region, then every interface.
    public func reemit(trace: [Double], into inflow: inout [Double]) {
        if inflow.count != boundarySize { inflow = .init(repeating: 0, count: boundarySize) }
        for (r, t) in regions.enumerated() {
            var part = [Double](repeating: 0, count: t.boundarySize)
            let tr = slice(trace, r, volume: false)
            tr.withUnsafeBufferPointer { a in part.withUnsafeMutableBufferPointer { b in
                t.walls.reemit(mesh: t.mesh, modes: t.modes, trace: a.baseAddress!, into: b.baseAddress!)
            } }
            place(part, into: &inflow, r, volume: false)
        }
        for i in interfaces { i.reemit(system: self, trace: trace, into: &inflow) }
    }

    public func volumePower(_ g: [Double]) -> Double {
        regions.indices.reduce(0) { $0 + regions[$1].volumePower(slice(g, $1, volume: true)) }
    }

    public func scatteredPower(_ psi: [Double]) -> Double {
        regions.indices.reduce(0) { $0 + regions[$1].scatteredPower(slice(psi, $1, volume: true)) }
    }

    public func boundaryPower(_ trace: [Double]) -> (leaving: [Int32: Double], entering: [Int32: Double]) {
        var out = [Int32: Double](), inn = [Int32: Double]()
        for r in regions.indices {
            let (l, e) = regions[r].boundaryPower(slice(trace, r, volume: false))
            for (k, v) in l { out[k, default: 0] += v }
            for (k, v) in e { inn[k, default: 0] += v }
        }
        return (out, inn)
    }

    public func inflowPower(_ inflow: [Double]) -> Double {
        regions.indices.reduce(0) { $0 + regions[$1].inflowPower(slice(inflow, $1, volume: false)) }
    }

    /// τ_μ per volume entry (1 where τ is infinite): the Krylov vector works in ψ-like units.
    public var volumeScale: [Double] {
        var s = [Double]()
        s.reserveCapacity(volumeSize)
        for t in regions {
            for mu in 0..<t.modeCount {
                let tau = t.modes.tau[mu]
                s += [Double](repeating: tau.isFinite && tau > 0 ? tau : 1, count: t.nodeCount)
            }
        }
        return s
    }
}

extension Transport {
    /// Power carried in by boundary inflow data.
    public func inflowPower(_ inflow: [Double]) -> Double {
        var e = 0.0
        let bs = 3 * boundaryFaceCount
        for b in 0..<boundaryFaceCount {
            let n = mesh.boundaryNormal(b)
            for mu in 0..<modeCount {
                let vn = modes.velocity(mu).dot(n)
                guard vn < 0 else { continue }
                let s = inflow[mu * bs + 3 * b] + inflow[mu * bs + 3 * b + 1] + inflow[mu * bs + 3 * b + 2]
                e += modes.volumeWeight[mu] * modes.energy(mu) * (-vn) * s / 3
            }
        }
        return e
    }
}
