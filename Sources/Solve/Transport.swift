import Foundation
import Model
import COpenBLAS

/// One material in one mesh region, with its walls: the pieces of one scattering event.
/// State vectors are mode-major: volume sources `G` and nodal ψ are modes × nodes; boundary inflow data and
/// traces are modes × (3 · boundary faces).
public final class Transport: @unchecked Sendable {
    public let mesh: SweepMesh
    public let material: Material
    public let walls: WallOperator
    public var modes: ModeSet { material.modes }
    public let modeCount: Int, nodeCount: Int, boundaryFaceCount: Int
    /// Per mode: unit direction, σ = 1/Λ (1/m), 1/|v| (s/m); a zero speed marks a mode that stays where it is.
    let direction: [Vector3], sigma: [Double], inverseSpeed: [Double]
    /// Rank-one factors of relaxation to the local temperature (physics.md §1.4; CollisionOperator).
    let relaxA: [Double], relaxB: [Double]

    public init(mesh: SweepMesh, material: Material, walls: [Int32: WallKind]) throws {
        self.mesh = mesh
        self.material = material
        let m = material.modes
        self.walls = try WallOperator(mesh: mesh, modes: m, kinds: walls)
        modeCount = m.count; nodeCount = mesh.nodeCount; boundaryFaceCount = mesh.boundaryFaceCount
        var dir = [Vector3](), sig = [Double](), inv = [Double]()
        for mu in 0..<m.count {
            let v = m.velocity(mu), s = v.norm
            dir.append(s > 0 ? (1 / s) * v : .zero)
            sig.append(s > 0 && m.tau[mu].isFinite ? 1 / (s * m.tau[mu]) : 0)
            inv.append(s > 0 ? 1 / s : 0)
        }
        direction = dir; sigma = sig; inverseSpeed = inv
        var a = [Double](repeating: 0, count: m.count), b = a
        var norm = 0.0
        for mu in 0..<m.count where m.tau[mu].isFinite && m.tau[mu] > 0 {
            a[mu] = m.dndT[mu] / m.tau[mu]
            b[mu] = m.volumeWeight[mu] * m.energy(mu) / m.tau[mu]
            norm += m.volumeWeight[mu] * m.heatCapacity(mu) / m.tau[mu]
        }
        relaxA = a; relaxB = b.map { norm > 0 ? $0 / norm : 0 }
    }

    public var volumeSize: Int { modeCount * nodeCount }
    public var boundarySize: Int { modeCount * 3 * boundaryFaceCount }

    // MARK: - Drift

    /// Sweeps every mode (in parallel) with volume source G and boundary inflow; fills nodal ψ and traces.
    /// Returns the number of tetrahedra that sat in dependency cycles, summed over modes.
    @discardableResult
    public func drift(source: [Double], inflow: [Double], psi: inout [Double], trace: inout [Double]) -> Int {
        precondition(source.count == volumeSize && inflow.count == boundarySize)
        if psi.count != volumeSize { psi = .init(repeating: 0, count: volumeSize) }
        if trace.count != boundarySize { trace = .init(repeating: 0, count: boundarySize) }
        let nn = nodeCount, bs = 3 * boundaryFaceCount, nt = mesh.tetCount
        let cyclic = Counter()
        source.withUnsafeBufferPointer { src in
        inflow.withUnsafeBufferPointer { inf in
        psi.withUnsafeMutableBufferPointer { ps in
        trace.withUnsafeMutableBufferPointer { tr in
            let s = SharedPointer(base: UnsafeMutablePointer(mutating: src.baseAddress!))
            let i = SharedPointer(base: UnsafeMutablePointer(mutating: inf.baseAddress!))
            let p = SharedPointer(base: ps.baseAddress!), t = SharedPointer(base: tr.baseAddress!)
            parallelChunks(modeCount) { range in
                var scratch = SweepScratch(tetCount: nt)
                var local = 0
                for mu in range {
                    let src = UnsafePointer(s.base + mu * nn), out = p.base + mu * nn
                    if self.inverseSpeed[mu] == 0 {
                        // A mode that does not move relaxes in place: ψ = τG; it never reaches a wall.
                        let tau = self.modes.tau[mu]
                        for n in 0..<nn { out[n] = tau.isFinite ? tau * src[n] : 0 }
                        for k in 0..<bs { t.base[mu * bs + k] = 0 }
                        continue
                    }
                    let r = self.mesh.sweep(direction: self.direction[mu], sigma: self.sigma[mu],
                                            sourceScale: self.inverseSpeed[mu], source: src,
                                            inflow: UnsafePointer(i.base + mu * bs), psi: out,
                                            trace: t.base + mu * bs, scratch: &scratch)
                    local += r.cyclicTets
                }
                cyclic.add(local)
            }
        } } } }
        return cyclic.value
    }

    // MARK: - Collisions

    /// G = M ψ over all nodes at once.
    public func scatter(psi: [Double], into g: inout [Double]) {
        let nm = modeCount, nn = nodeCount
        if g.count != volumeSize { g = .init(repeating: 0, count: volumeSize) }
        switch material.collision {
        case .relaxationToTemperature:
            var t = [Double](repeating: 0, count: nn)
            psi.withUnsafeBufferPointer { ps in relaxB.withUnsafeBufferPointer { b in t.withUnsafeMutableBufferPointer { tt in
                cblas_dgemv(CblasRowMajor, CblasTrans, Int32(nm), Int32(nn), 1, ps.baseAddress, Int32(nn),
                            b.baseAddress, 1, 0, tt.baseAddress, 1)
            } } }
            for mu in 0..<nm {
                let a = relaxA[mu]
                for n in 0..<nn { g[mu * nn + n] = a * t[n] }
            }
        case .dense(let m):
            psi.withUnsafeBufferPointer { ps in m.values.withUnsafeBufferPointer { mm in g.withUnsafeMutableBufferPointer { gg in
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(nm), Int32(nn), Int32(nm), 1,
                            mm.baseAddress, Int32(nm), ps.baseAddress, Int32(nn), 0, gg.baseAddress, Int32(nn))
            } } }
        case .sparse(let m):
            g.withUnsafeMutableBufferPointer { gg in psi.withUnsafeBufferPointer { ps in
                let gp = SharedPointer(base: gg.baseAddress!), pp = SharedPointer(base: UnsafeMutablePointer(mutating: ps.baseAddress!))
                parallelChunks(nm, chunk: 16) { range in
                    for i in range {
                        let row = gp.base + i * nn
                        for n in 0..<nn { row[n] = 0 }
                        for k in m.rowStart[i]..<m.rowStart[i + 1] {
                            let v = m.values[k], col = pp.base + Int(m.columnIndex[k]) * nn
                            for n in 0..<nn { row[n] += v * col[n] }
                        }
                    }
                }
            } }
        }
    }

    // MARK: - Energy bookkeeping (W per unit of the driving amplitude)

    /// Σ_μ ρħω ∫G dV: power injected by a volume source.
    public func volumePower(_ g: [Double]) -> Double {
        var e = 0.0
        let nn = nodeCount, w = mesh.geometry.nodeVolume
        for mu in 0..<modeCount {
            var s = 0.0
            for n in 0..<nn { s += w[n] * g[mu * nn + n] }
            e += modes.volumeWeight[mu] * modes.energy(mu) * s
        }
        return e
    }

    /// Power scattered out of ψ: Σ_μ ρħω ∫ψ/τ dV.
    public func scatteredPower(_ psi: [Double]) -> Double {
        var e = 0.0
        let nn = nodeCount, w = mesh.geometry.nodeVolume
        for mu in 0..<modeCount where modes.tau[mu].isFinite && modes.tau[mu] > 0 {
            var s = 0.0
            for n in 0..<nn { s += w[n] * psi[mu * nn + n] }
            e += modes.volumeWeight[mu] * modes.energy(mu) * s / modes.tau[mu]
        }
        return e
    }

    /// Power crossing each boundary tag: positive leaving (outflow traces), and entering (inflow data).
    public func boundaryPower(_ trace: [Double]) -> (leaving: [Int32: Double], entering: [Int32: Double]) {
        var out = [Int32: Double](), inn = [Int32: Double]()
        let bs = 3 * boundaryFaceCount
        for b in 0..<boundaryFaceCount {
            let tag = mesh.mesh.boundaryFaces[b].tag
            let nvec = mesh.boundaryNormal(b)
            var lo = 0.0, li = 0.0
            for mu in 0..<modeCount {
                let vn = modes.velocity(mu).dot(nvec)
                if vn == 0 { continue }
                let s = trace[mu * bs + 3 * b] + trace[mu * bs + 3 * b + 1] + trace[mu * bs + 3 * b + 2]
                let e = modes.volumeWeight[mu] * modes.energy(mu) * vn * s / 3
                if vn > 0 { lo += e } else { li -= e }
            }
            out[tag, default: 0] += lo; inn[tag, default: 0] += li
        }
        return (out, inn)
    }
}

/// A thread-safe tally for worker threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    func add(_ k: Int) { lock.lock(); total += k; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return total }
}
