import Foundation
import Model
import Config

/// Couples the boundary traces of regions across interfaces: adds to the next event's inflow data.
public protocol InterfaceExchange: Sendable {
    /// Interface tag this exchange serves (its faces are absorbing in the walls' own operator).
    var tag: Int32 { get }
    /// `trace` and `inflow` cover every mode of every region, at `system.wholeBoundaryOffset`.
    func reemit(system: TransportSystem, trace: [Double], into inflow: inout [Double])
}

/// All regions of a run, each with its own material and sub-mesh, and the interfaces between them. State vectors
/// are the regions' vectors laid end to end: volume sources and nodal ψ (modes_r × nodes_r per region r), boundary
/// traces and inflow (modes_r × 3·faces_r). A single-material run is a system of one region. In an MPI solve the
/// vectors hold each region's owned modes only; walls and interfaces work on every mode's traces (`whole` layout,
/// `wholeBoundaryOffset`), which are small and gathered to every process.
public final class TransportSystem: @unchecked Sendable {
    public let regions: [Transport]
    /// Volume sources and nodal ψ: each region's owned modes × its nodes.
    public let volumeLayout: RegionLayout
    /// Boundary traces and inflow: each region's owned modes × 3 corners × its boundary faces.
    public let boundaryLayout: RegionLayout
    /// Boundary vectors over every mode (equal to `boundaryLayout` in the serial solve).
    public let wholeBoundaryLayout: RegionLayout
    /// DG corner values: each region's owned modes × 4 corners × its tetrahedra.
    public let cornerLayout: RegionLayout
    public var interfaces: [InterfaceExchange] = []
    public let comm: Communicator

    public init(regions: [Transport]) {
        self.regions = regions
        volumeLayout = RegionLayout(sizes: regions.map(\.volumeSize))
        boundaryLayout = RegionLayout(sizes: regions.map(\.boundarySize))
        wholeBoundaryLayout = RegionLayout(sizes: regions.map { $0.modeCount * 3 * $0.boundaryFaceCount })
        cornerLayout = RegionLayout(sizes: regions.map(\.cornerSize))
        comm = regions.first?.comm ?? SerialCommunicator()
        precondition(
            regions.allSatisfy { $0.comm === comm || $0.comm.size == 1 && comm.size == 1 },
            "all regions of a system share one communicator")
    }

    public convenience init(_ single: Transport) { self.init(regions: [single]) }

    public var volumeOffset: [Int] { volumeLayout.offsets }
    public var boundaryOffset: [Int] { boundaryLayout.offsets }
    public var volumeSize: Int { volumeLayout.count }
    public var boundarySize: Int { boundaryLayout.count }
    public var wholeBoundaryOffset: [Int] { wholeBoundaryLayout.offsets }
    public var wholeBoundarySize: Int { wholeBoundaryLayout.count }

    public var modeCount: Int { regions.map(\.modeCount).reduce(0, +) }

    public func drift(source: [Double], inflow: [Double], psi: inout [Double], trace: inout [Double]) {
        if regions.count == 1 { regions[0].drift(source: source, inflow: inflow, psi: &psi, trace: &trace); return }
        if psi.count != volumeSize { psi = .init(repeating: 0, count: volumeSize) }
        if trace.count != boundarySize { trace = .init(repeating: 0, count: boundarySize) }
        precondition(source.count == volumeSize && inflow.count == boundarySize)
        // Each region sweeps its own part of the system vectors in place: no per-region copies.
        source.withUnsafeBufferPointer { s in
            inflow.withUnsafeBufferPointer { i in
                psi.withUnsafeMutableBufferPointer { p in
                    trace.withUnsafeMutableBufferPointer { b in
                        for (r, t) in regions.enumerated() {
                            t.driftInPlace(
                                source: s.baseAddress! + volumeOffset[r], inflow: i.baseAddress! + boundaryOffset[r],
                                psi: p.baseAddress! + volumeOffset[r], trace: b.baseAddress! + boundaryOffset[r])
                        }
                    }
                }
            }
        }
    }

    public func scatter(psi: [Double], into g: inout [Double]) {
        if regions.count == 1 { regions[0].scatter(psi: psi, into: &g); return }
        if g.count != volumeSize { g = .init(repeating: 0, count: volumeSize) }
        precondition(psi.count == volumeSize)
        psi.withUnsafeBufferPointer { p in
            g.withUnsafeMutableBufferPointer { q in
                for (r, t) in regions.enumerated() { t.scatterInPlace(psi: p.baseAddress! + volumeOffset[r], into: q.baseAddress! + volumeOffset[r]) }
            }
        }
    }

    /// Walls of every region, then every interface. Diffuse walls and interfaces mix modes, so they see every
    /// mode's traces; each process keeps the inflow of its own modes.
    public func reemit(trace: [Double], into inflow: inout [Double]) {
        let whole = wholeBoundary(trace)
        var out = [Double](repeating: 0, count: wholeBoundarySize)
        for (r, t) in regions.enumerated() {
            whole.withUnsafeBufferPointer { a in
                out.withUnsafeMutableBufferPointer { b in
                    t.walls.reemit(
                        mesh: t.mesh, modes: t.modes, trace: a.baseAddress! + wholeBoundaryOffset[r],
                        into: b.baseAddress! + wholeBoundaryOffset[r])
                }
            }
        }
        for i in interfaces { i.reemit(system: self, trace: whole, into: &out) }
        inflow = ownedBoundary(out)
    }

    /// Every mode's part of a boundary vector, regions laid end to end (the vector itself in the serial solve), on
    /// the faces some wall or interface reads; elsewhere (black walls) zero.
    public func wholeBoundary(_ x: [Double]) -> [Double] {
        if comm.size == 1 { return x }
        var w = [Double](repeating: 0, count: wholeBoundarySize)
        for (r, t) in regions.enumerated() {
            let faces = exchangedFaces(r), nf = faces.count, bs = 3 * t.boundaryFaceCount
            if nf == 0 { continue }
            let o = boundaryOffset[r]
            var mine = [Double](repeating: 0, count: t.owned.count * 3 * nf)
            for l in 0..<t.owned.count {
                for (j, f) in faces.enumerated() { for k in 0..<3 { mine[(l * nf + j) * 3 + k] = x[o + l * bs + 3 * f + k] } }
            }
            let all = comm.allgather(mine, counts: (0..<comm.size).map { t.ownedModes(rank: $0).count * 3 * nf })
            let wo = wholeBoundaryOffset[r]
            for mu in 0..<t.modeCount {
                for (j, f) in faces.enumerated() { for k in 0..<3 { w[wo + mu * bs + 3 * f + k] = all[(mu * nf + j) * 3 + k] } }
            }
        }
        return w
    }

    /// Boundary faces of region r whose traces a wall or an interface reads: black walls read none.
    func exchangedFaces(_ r: Int) -> [Int] {
        let t = regions[r], coupled = Set(interfaces.map(\.tag))
        return (0..<t.boundaryFaceCount).filter { b in
            if coupled.contains(t.mesh.mesh.boundaryFaces[b].tag) { return true }
            if case .black = t.walls.faceKind[b] { return false }
            return true
        }
    }

    /// This process's rows of a boundary vector over all modes.
    public func ownedBoundary(_ w: [Double]) -> [Double] {
        if comm.size == 1 { return w }
        var x = [Double]()
        x.reserveCapacity(boundarySize)
        for (r, t) in regions.enumerated() {
            let bs = 3 * t.boundaryFaceCount, o = wholeBoundaryOffset[r]
            x += w[(o + t.owned.lowerBound * bs)..<(o + t.owned.upperBound * bs)]
        }
        return x
    }

    /// This process's rows of a volume vector over all modes (modes × nodes per region, end to end).
    public func ownedVolume(_ w: [Double]) -> [Double] {
        if comm.size == 1 { return w }
        var x = [Double](), o = 0
        x.reserveCapacity(volumeSize)
        for t in regions {
            let nn = t.nodeCount
            x += w[(o + t.owned.lowerBound * nn)..<(o + t.owned.upperBound * nn)]
            o += t.modeCount * nn
        }
        return x
    }

    public func volumePower(_ g: [Double]) -> Double {
        volumePowers(g).net
    }

    public func volumePowers(_ g: [Double]) -> (net: Double, gross: Double) {
        regions.indices.reduce((0, 0)) { sum, r in
            let p = volumeLayout.withPart(of: g, r) { regions[r].volumePowers(view: $0) }
            return (sum.net + p.net, sum.gross + p.gross)
        }
    }

    public func scatteredPower(_ psi: [Double]) -> Double {
        scatteredPowers(psi).net
    }

    public func scatteredPowers(_ psi: [Double]) -> (net: Double, gross: Double) {
        regions.indices.reduce((0, 0)) { sum, r in
            let p = volumeLayout.withPart(of: psi, r) { regions[r].scatteredPowers(view: $0) }
            return (sum.net + p.net, sum.gross + p.gross)
        }
    }

    public func boundaryPower(_ trace: [Double]) -> (leaving: [Int32: Double], entering: [Int32: Double]) {
        var out = [Int32: Double](), inn = [Int32: Double]()
        for r in regions.indices {
            let (l, e) = boundaryLayout.withPart(of: trace, r) { regions[r].boundaryPower(view: $0) }
            for (k, v) in l { out[k, default: 0] += v }
            for (k, v) in e { inn[k, default: 0] += v }
        }
        return (out, inn)
    }

    public func inflowPower(_ inflow: [Double]) -> Double {
        inflowPowers(inflow).net
    }

    public func inflowPowers(_ inflow: [Double]) -> (net: Double, gross: Double) {
        regions.indices.reduce((0, 0)) { sum, r in
            let p = boundaryLayout.withPart(of: inflow, r) { regions[r].inflowPowers(view: $0) }
            return (sum.net + p.net, sum.gross + p.gross)
        }
    }

    /// τ_μ per volume entry (1 where τ is infinite): the Krylov vector works in ψ-like units.
    public var volumeScale: [Double] {
        var s = [Double]()
        s.reserveCapacity(volumeSize)
        for t in regions {
            for mu in t.owned {
                let tau = t.modes.tau[mu]
                s += [Double](repeating: tau.isFinite && tau > 0 ? tau : 1, count: t.nodeCount)
            }
        }
        return s
    }
}

extension Transport {
    /// Power carried in by boundary inflow data.
    public func inflowPower(_ inflow: [Double]) -> Double { inflowPowers(inflow).net }

    public func inflowPowers(_ inflow: [Double]) -> (net: Double, gross: Double) {
        inflow.withUnsafeBufferPointer { inflowPowers(view: $0) }
    }

    /// The entering power and its gross Σ |power per mode and face|, on this region's rows wherever they lie.
    func inflowPowers(view inflow: UnsafeBufferPointer<Double>) -> (net: Double, gross: Double) {
        precondition(inflow.count == boundarySize)
        let bs = 3 * boundaryFaceCount, lo = owned.lowerBound
        let e = orderedTotal(width: 2) { chunk, e in
            for b in 0..<boundaryFaceCount {
                let n = mesh.boundaryNormal(b)
                for mu in chunk {
                    let vn = modes.velocity(mu).dot(n)
                    guard vn < 0 else { continue }
                    let l = mu - lo
                    let s = inflow[l * bs + 3 * b] + inflow[l * bs + 3 * b + 1] + inflow[l * bs + 3 * b + 2]
                    let p = modes.volumeWeight[mu] * modes.energy(mu) * (-vn) * s / 3
                    e[0] += p
                    e[1] += abs(p)
                }
            }
        }
        return (e[0], e[1])
    }
}
