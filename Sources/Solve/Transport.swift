import Foundation
import Model
import Config
import COpenBLAS

/// One material in one mesh region, with its walls: the pieces of one scattering event.
/// State vectors are mode-major: volume sources `G` and nodal ψ are modes × nodes; boundary inflow data and
/// traces are modes × (3 · boundary faces). In an MPI solve they hold only this process's block of modes, `owned`
/// (docs/mpi.md); the serial solve owns every mode. Power sums are totals over all processes.
public final class Transport: @unchecked Sendable {
    public let mesh: SweepMesh
    /// The material; in an MPI solve its collision matrix keeps only the rows of the owned modes.
    public let material: Material
    public let walls: WallOperator
    public var modes: ModeSet { material.modes }
    public let modeCount: Int, nodeCount: Int, boundaryFaceCount: Int
    public let comm: Communicator
    /// The modes whose ψ this process computes and stores.
    public let owned: Range<Int>
    /// Per mode: unit direction, σ = 1/Λ (1/m), 1/|v| (s/m); a zero speed marks a mode that stays where it is.
    public let direction: [Vector3], sigma: [Double], inverseSpeed: [Double]
    /// Rank-one factors of relaxation to the local temperature (docs/physics.md §3.2; CollisionOperator).
    let relaxA: [Double], relaxB: [Double]
    /// A rate added to every mode's 1/τ in the drift operator only (not in the collisions): 1/Δt for the implicit
    /// time step of a transient solve, (1/Δt + 1/τ + v·∇) ψ^{n+1} = ψ^n/Δt + G (docs/transient.md). 0 when steady.
    public let timeShift: Double

    public init(
        mesh: SweepMesh, material: Material, walls: [Int32: WallKind],
        comm: Communicator = SerialCommunicator(), timeShift: Double = 0
    ) throws {
        precondition(timeShift >= 0 && timeShift.isFinite)
        self.mesh = mesh
        self.comm = comm
        self.timeShift = timeShift
        owned = Self.modeBlock(modes: material.modes.count, comm: comm, rank: comm.rank)
        self.material = comm.size == 1 ? material : material.keepingRows(owned)
        let m = material.modes
        self.walls = try WallOperator(mesh: mesh, modes: m, kinds: walls)
        modeCount = m.count; nodeCount = mesh.nodeCount; boundaryFaceCount = mesh.boundaryFaceCount
        var dir = [Vector3](), sig = [Double](), inv = [Double]()
        for mu in 0..<m.count {
            let v = m.velocity(mu), s = v.norm
            dir.append(s > 0 ? (1 / s) * v : .zero)
            if timeShift == 0 {
                sig.append(s > 0 && m.tau[mu].isFinite ? 1 / (s * m.tau[mu]) : 0)
            } else {
                sig.append(s > 0 ? ((m.tau[mu].isFinite ? 1 / m.tau[mu] : 0) + timeShift) / s : 0)
            }
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

    public var volumeSize: Int { owned.count * nodeCount }
    public var boundarySize: Int { owned.count * 3 * boundaryFaceCount }

    // MARK: - Drift

    /// Sweeps every mode (in parallel) with volume source G and boundary inflow; fills nodal ψ and traces.
    /// Returns the number of tetrahedra that sat in dependency cycles, summed over modes.
    @discardableResult
    public func drift(source: [Double], inflow: [Double], psi: inout [Double], trace: inout [Double]) -> Int {
        precondition(source.count == volumeSize && inflow.count == boundarySize)
        if psi.count != volumeSize { psi = .init(repeating: 0, count: volumeSize) }
        if trace.count != boundarySize { trace = .init(repeating: 0, count: boundarySize) }
        return source.withUnsafeBufferPointer { src in
            inflow.withUnsafeBufferPointer { inf in
                psi.withUnsafeMutableBufferPointer { ps in
                    trace.withUnsafeMutableBufferPointer { tr in
                        driftInPlace(source: src.baseAddress!, inflow: inf.baseAddress!, psi: ps.baseAddress!, trace: tr.baseAddress!)
                    }
                }
            }
        }
    }

    /// The same on this region's part of system vectors, in place: `source` and `psi` point at `volumeSize`
    /// numbers, `inflow` and `trace` at `boundarySize` (a multi-region system passes offsets into its own vectors
    /// rather than copies). Named apart from `drift`: Swift would pass `&array` to a pointer parameter of the same
    /// name, skipping the sizing above.
    @discardableResult
    func driftInPlace(
        source src: UnsafePointer<Double>, inflow inf: UnsafePointer<Double>, psi ps: UnsafeMutablePointer<Double>,
        trace tr: UnsafeMutablePointer<Double>
    ) -> Int {
        let nn = nodeCount, bs = 3 * boundaryFaceCount, nt = mesh.tetCount
        let cyclic = Counter()
        let s = SharedPointer(base: UnsafeMutablePointer(mutating: src))
        let i = SharedPointer(base: UnsafeMutablePointer(mutating: inf))
        let p = SharedPointer(base: ps), t = SharedPointer(base: tr)
        let first = self.owned.lowerBound
        parallelChunks(owned.count) { range in
            var scratch = SweepScratch(tetCount: nt)
            var local = 0
            for l in range {
                // l indexes this process's vectors, mu the mode set.
                let mu = first + l
                let src = UnsafePointer(s.base + l * nn), out = p.base + l * nn
                if self.inverseSpeed[mu] == 0 {
                    // A mode that does not move relaxes in place: ψ = τG (τ of the shifted rate in a transient
                    // step); it never reaches a wall.
                    let tau = self.modes.tau[mu]
                    if self.timeShift == 0 {
                        for n in 0..<nn { out[n] = tau.isFinite ? tau * src[n] : 0 }
                    } else {
                        let rate = (tau.isFinite && tau > 0 ? 1 / tau : 0) + self.timeShift
                        for n in 0..<nn { out[n] = src[n] / rate }
                    }
                    for k in 0..<bs { t.base[l * bs + k] = 0 }
                    continue
                }
                let r = self.mesh.sweep(
                    direction: self.direction[mu], sigma: self.sigma[mu],
                    sourceScale: self.inverseSpeed[mu], source: src,
                    inflow: UnsafePointer(i.base + l * bs), psi: out,
                    trace: t.base + l * bs, scratch: &scratch)
                local += r.cyclicTets
            }
            cyclic.add(local)
        }
        return Int(comm.sum(Double(cyclic.value)))
    }

    // MARK: - Collisions

    /// Nodes per tile of the dense collision product.
    static let nodeTile = 256

    /// G = M ψ over all nodes at once (this process's rows of G).
    public func scatter(psi: [Double], into g: inout [Double]) {
        precondition(psi.count == volumeSize)
        if g.count != volumeSize { g = .init(repeating: 0, count: volumeSize) }
        psi.withUnsafeBufferPointer { p in g.withUnsafeMutableBufferPointer { q in scatterInPlace(psi: p.baseAddress!, into: q.baseAddress!) } }
    }

    /// The same on this region's part of system vectors, in place (`psi` and `g` point at `volumeSize` numbers).
    func scatterInPlace(psi: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>) {
        let nm = modeCount, nn = nodeCount, nl = owned.count
        switch material.collision {
        case .relaxationToTemperature:
            // G = a (bᵀψ): bᵀψ at every node from every process's chunks of modes.
            let t = modeSum(at: psi, weights: relaxB)
            for l in 0..<nl {
                let a = relaxA[owned.lowerBound + l]
                for n in 0..<nn { g[l * nn + n] = a * t[n] }
            }
        case .dense(let m):
            // Own rows of M times every mode's ψ, one block of nodes at a time (see `gatherModes`), in tiles of
            // `Self.nodeTile` nodes at absolute offsets, each a one-thread dgemm, the tiles on all cores. OpenBLAS's
            // bits for an entry depend on the columns of the call and on its own threads (AMD VM, 2026-12-04: 3e-10
            // between 1 and 2 threads), not on the rows: fixed column tiles give the same bits for any number of
            // processes or cores (make test-mpi, dense case, 0.000e+00).
            withSingleThreadedBLAS {
                forEachNodeBlock(psi) { nodes, column in
                    let width = nodes.count
                    let tiles = ((nodes.lowerBound / Self.nodeTile)..<((nodes.upperBound + Self.nodeTile - 1) / Self.nodeTile)).map {
                        max($0 * Self.nodeTile, nodes.lowerBound)..<min(($0 + 1) * Self.nodeTile, nodes.upperBound)
                    }
                    m.values.withUnsafeBufferPointer { mm in
                        let a = SharedPointer(base: UnsafeMutablePointer(mutating: mm.baseAddress!))
                        let b = SharedPointer(base: UnsafeMutablePointer(mutating: column)), c = SharedPointer(base: g)
                        DispatchQueue.concurrentPerform(iterations: tiles.count) { k in
                            let cols = tiles[k]
                            cblas_dgemm(
                                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(nl), Int32(cols.count), Int32(nm), 1,
                                a.base, Int32(nm), b.base + (cols.lowerBound - nodes.lowerBound), Int32(width), 0,
                                c.base + cols.lowerBound, Int32(nn))
                        }
                    }
                }
            }
        case .sparse(let m):
            forEachNodeBlock(psi) { nodes, column in
                let w = nodes.count
                let gp = SharedPointer(base: g + nodes.lowerBound)
                let pp = SharedPointer(base: UnsafeMutablePointer(mutating: column))
                parallelChunks(nl, chunk: 16) { range in
                    for i in range {
                        let row = gp.base + i * nn
                        for n in 0..<w { row[n] = 0 }
                        for k in m.rowStart[i]..<m.rowStart[i + 1] {
                            let v = m.values[k], col = pp.base + Int(m.columnIndex[k]) * w
                            for n in 0..<w { row[n] += v * col[n] }
                        }
                    }
                }
            }
        }
    }

    /// Runs `body` on every mode's ψ at one block of nodes after another (modes × block, row-major). A full
    /// M needs every mode's ψ for its own rows; gathering it in `comm.size` node blocks keeps the copy each process
    /// holds at its share of ψ. The serial solve has one block: all nodes, ψ itself.
    private func forEachNodeBlock(_ psi: UnsafePointer<Double>, _ body: (Range<Int>, UnsafePointer<Double>) -> Void) {
        let nn = nodeCount
        if comm.size == 1 { body(0..<nn, psi); return }
        let counts = (0..<comm.size).map { ownedModes(rank: $0).count }
        // Blocks of whole node tiles, so that the dense product's tiles are the same for any number of processes.
        let tileCount = (nn + Self.nodeTile - 1) / Self.nodeTile
        for b in 0..<comm.size {
            let tiles = comm.block(of: tileCount, rank: b)
            let nodes = min(tiles.lowerBound * Self.nodeTile, nn)..<min(tiles.upperBound * Self.nodeTile, nn)
            var mine = [Double](repeating: 0, count: owned.count * nodes.count)
            for l in 0..<owned.count {
                for (j, n) in nodes.enumerated() { mine[l * nodes.count + j] = psi[l * nn + n] }
            }
            let all = comm.allgather(mine, counts: counts.map { $0 * nodes.count })
            all.withUnsafeBufferPointer { body(nodes, $0.baseAddress!) }
        }
    }

    // MARK: - Energy bookkeeping (W per unit of the driving amplitude)

    /// Σ_μ ρħω ∫G dV: power injected by a volume source.
    public func volumePower(_ g: [Double]) -> Double { volumePowers(g).net }

    /// The net power and its gross Σ_μ |ρħω ∫G dV|, in one pass: a drive that injects no net power (a temperature
    /// gradient) has only the gross as the scale of its balance. The net is the same sum, to the bit, as alone.
    public func volumePowers(_ g: [Double]) -> (net: Double, gross: Double) {
        g.withUnsafeBufferPointer { volumePowers(view: $0) }
    }

    /// The same on this region's rows wherever they lie (a part of a system vector, without a copy).
    func volumePowers(view g: UnsafeBufferPointer<Double>) -> (net: Double, gross: Double) {
        precondition(g.count == volumeSize)
        let nn = nodeCount, w = mesh.geometry.nodeVolume, lo = owned.lowerBound
        let e = orderedTotal(width: 2) { chunk, e in
            for mu in chunk {
                var s = 0.0
                for n in 0..<nn { s += w[n] * g[(mu - lo) * nn + n] }
                let p = modes.volumeWeight[mu] * modes.energy(mu) * s
                e[0] += p
                e[1] += abs(p)
            }
        }
        return (e[0], e[1])
    }

    /// Power scattered out of ψ: Σ_μ ρħω ∫ψ/τ dV.
    public func scatteredPower(_ psi: [Double]) -> Double { scatteredPowers(psi).net }

    /// The scattered power and its gross Σ_μ |ρħω ∫ψ/τ dV|.
    public func scatteredPowers(_ psi: [Double]) -> (net: Double, gross: Double) {
        psi.withUnsafeBufferPointer { scatteredPowers(view: $0) }
    }

    func scatteredPowers(view psi: UnsafeBufferPointer<Double>) -> (net: Double, gross: Double) {
        precondition(psi.count == volumeSize)
        let nn = nodeCount, w = mesh.geometry.nodeVolume, lo = owned.lowerBound
        let e = orderedTotal(width: 2) { chunk, e in
            for mu in chunk where modes.tau[mu].isFinite && modes.tau[mu] > 0 {
                var s = 0.0
                for n in 0..<nn { s += w[n] * psi[(mu - lo) * nn + n] }
                let p = modes.volumeWeight[mu] * modes.energy(mu) * s / modes.tau[mu]
                e[0] += p
                e[1] += abs(p)
            }
        }
        return (e[0], e[1])
    }

    /// Power crossing each boundary tag: positive leaving (outflow traces), and entering (inflow data).
    public func boundaryPower(_ trace: [Double]) -> (leaving: [Int32: Double], entering: [Int32: Double]) {
        trace.withUnsafeBufferPointer { boundaryPower(view: $0) }
    }

    func boundaryPower(view trace: UnsafeBufferPointer<Double>) -> (leaving: [Int32: Double], entering: [Int32: Double]) {
        precondition(trace.count == boundarySize)
        let bs = 3 * boundaryFaceCount, lo = owned.lowerBound
        let tags = Set(mesh.mesh.boundaryFaces.map(\.tag)).sorted()
        let slot = Dictionary(uniqueKeysWithValues: tags.enumerated().map { ($1, $0) })
        // Per chunk: leaving then entering power of every tag.
        let v = orderedTotal(width: 2 * tags.count) { chunk, p in
            for b in 0..<boundaryFaceCount {
                let k = slot[mesh.mesh.boundaryFaces[b].tag]!
                let nvec = mesh.boundaryNormal(b)
                var leaving = 0.0, entering = 0.0
                for mu in chunk {
                    let vn = modes.velocity(mu).dot(nvec)
                    if vn == 0 { continue }
                    let l = mu - lo
                    let s = trace[l * bs + 3 * b] + trace[l * bs + 3 * b + 1] + trace[l * bs + 3 * b + 2]
                    let e = modes.volumeWeight[mu] * modes.energy(mu) * vn * s / 3
                    if vn > 0 { leaving += e } else { entering -= e }
                }
                p[k] += leaving; p[tags.count + k] += entering
            }
        }
        var out = [Int32: Double](), inn = [Int32: Double]()
        for (k, t) in tags.enumerated() { out[t] = v[k]; inn[t] = v[tags.count + k] }
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
