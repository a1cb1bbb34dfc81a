import Model
import Config

/// Upwind discontinuous Galerkin (linear elements) transport of one mode through the mesh:
/// `Ω̂·∇ψ + σψ = Q`, σ = 1/Λ, with inflow data on boundary faces where Ω̂·n < 0.
///
/// Per tetrahedron the 4×4 system is `(K + σM + Σ_in F_f) ψ = M Q + Σ_in F_f ψ_up` with `K_ij = (V/4) Ω̂·∇φ_j`,
/// `M_ij = V(1+δ_ij)/20` and `F_f,ij = |Ω̂·N_f|(1+δ_ij)/12` on the corners of face f. Tetrahedra are taken in
/// upwind order (Kahn's algorithm on the face graph, solving each tet the moment its last upwind neighbour is done);
/// dependency cycles, which unstructured meshes can have, are found as strongly connected components (Tarjan); each
/// is solved as one coupled system (up to 96 tets) or by Gauss–Seidel over its own tets until nothing changes.
/// The scheme is conservative per tetrahedron, so energy balance closes to round-off.
///
/// The 4×4 matrix has a closed structure (docs/performance.md, "drift kernel"): with `dn_f = Ω̂·N_f`,
/// `K_ij = −dn_j/12` (since `∇φ_j = −N_j/(3V)`), and with `a_f = max(−dn_f, 0)/12`, `W = Σ a_f`, `s = σV/20`:
/// `A = α I + 1 pᵀ − a 1ᵀ`, `α = s + W`, `p = k + α 1 − a`. It is solved in closed form by Sherman–Morrison–Woodbury
/// (one 2×2 system) instead of Gaussian elimination: ~40 flops, no pivoting branches. The symmetric part of A is
/// `½ Σ_f |dn_f| F_f + σM`, positive definite on a scale of W + s for every real tet shape, so the formula is as
/// accurate as pivoted elimination (SweepKernelTests compares the two to 1e-12 on irregular meshes).
public struct SweepScratch {
    /// Per-thread work arrays, raw so the kernel's inner loops carry no bounds checks or copy-on-write tests.
    final class Buffers {
        let tetCount: Int
        let corner: UnsafeMutablePointer<Double> // 4 per tet, DG corner values
        let dots: UnsafeMutablePointer<Double> // Ω̂·N_f, 4 per tet
        let indegree: UnsafeMutablePointer<Int32> // upwind neighbours not yet solved
        let queue: UnsafeMutablePointer<Int32> // Kahn order (tets solved so far, in order)
        // Tarjan's strongly connected components (only when a sweep meets a dependency cycle).
        var index: UnsafeMutablePointer<Int32>? = nil
        var low: UnsafeMutablePointer<Int32>? = nil
        var stack: UnsafeMutablePointer<Int32>? = nil
        var call: UnsafeMutablePointer<Int32>? = nil // DFS call stack: tet, next face
        var components: UnsafeMutablePointer<Int32>? = nil
        var componentStart: UnsafeMutablePointer<Int32>? = nil

        init(tetCount nt: Int) {
            tetCount = nt
            let n = max(nt, 1)
            corner = .allocate(capacity: 4 * n); corner.initialize(repeating: 0, count: 4 * n)
            dots = .allocate(capacity: 4 * n); dots.initialize(repeating: 0, count: 4 * n)
            indegree = .allocate(capacity: n); indegree.initialize(repeating: 0, count: n)
            queue = .allocate(capacity: n); queue.initialize(repeating: 0, count: n)
        }

        func ensureTarjan() {
            guard index == nil else { return }
            let n = max(tetCount, 1)
            index = .allocate(capacity: n); low = .allocate(capacity: n); stack = .allocate(capacity: n)
            call = .allocate(capacity: 2 * n); components = .allocate(capacity: n); componentStart = .allocate(capacity: n + 1)
        }

        deinit {
            corner.deallocate(); dots.deallocate(); indegree.deallocate(); queue.deallocate()
            for p in [index, low, stack, call, components, componentStart] { p?.deallocate() }
        }
    }
    let buffers: Buffers
    public init(tetCount: Int) { buffers = Buffers(tetCount: tetCount) }
}

public struct SweepResult {
    /// σ ∫ψ dV (m²·ψ per unit length of path… i.e. ∫ψ/Λ): what the mode loses to scattering.
    public var absorbed: Double
    /// Number of tetrahedra in dependency cycles (strongly connected components of more than one tet).
    public var cyclicTets: Int
    /// Gauss–Seidel passes of the slowest cycle (1 when there is none or every cycle was solved directly).
    public var passes: Int
}

/// The per-tet solve, with every array it touches as a raw pointer.
struct SweepKernel {
    let tets: UnsafePointer<Int32>
    let neighbor: UnsafePointer<Int32>
    let neighborCorner: UnsafePointer<Int8>
    let boundaryIndex: UnsafePointer<Int32>
    let volume: UnsafePointer<Double>
    let dots: UnsafePointer<Double>
    let corner: UnsafeMutablePointer<Double>
    let source: UnsafePointer<Double>
    /// Optional per-corner source (4 per tet) added to the nodal one: a transient step's history, which is a DG
    /// field and not continuous.
    let cornerSource: UnsafePointer<Double>?
    let inflow: UnsafePointer<Double>
    let sigma: Double
    let sourceScale: Double

    /// Corner values of tet t from its source and its upwind data (neighbours' corners, boundary inflow).
    @inline(__always)
    func solve(_ t: Int) -> SIMD4<Double> {
        let tb = 4 * t
        let dn = SIMD4<Double>(dots[tb], dots[tb + 1], dots[tb + 2], dots[tb + 3])
        let v = volume[t]
        let zero = SIMD4<Double>(repeating: 0)
        let k = dn / -12
        let a = k.replacing(with: zero, where: .!(dn .< zero))
        let s = sigma * v / 20
        let w = a.sum()
        let alpha = s + w
        let p = k + SIMD4<Double>(repeating: alpha) - a
        var q =
            sourceScale
            * SIMD4<Double>(
                source[Int(tets[tb])], source[Int(tets[tb + 1])],
                source[Int(tets[tb + 2])], source[Int(tets[tb + 3])])
        if let c = cornerSource { q += sourceScale * SIMD4<Double>(c[tb], c[tb + 1], c[tb + 2], c[tb + 3]) }
        var r = (v / 20) * (q + SIMD4<Double>(repeating: q.sum()))
        for f in 0..<4 where dn[f] < 0 {
            var up = zero
            let u = Int(neighbor[tb + f])
            if u >= 0 {
                let nc = neighborCorner + 16 * t + 4 * f
                let ub = corner + 4 * u
                if f != 0 { up[0] = ub[Int(nc[0])] }
                if f != 1 { up[1] = ub[Int(nc[1])] }
                if f != 2 { up[2] = ub[Int(nc[2])] }
                if f != 3 { up[3] = ub[Int(nc[3])] }
            } else {
                let b = Int(boundaryIndex[tb + f])
                if b >= 0 {
                    // Boundary corner slot of tet corner c on face f: corners of a face are increasing.
                    let ib = inflow + 3 * b
                    switch f {
                    case 0: up = SIMD4(0, ib[0], ib[1], ib[2])
                    case 1: up = SIMD4(ib[0], 0, ib[1], ib[2])
                    case 2: up = SIMD4(ib[0], ib[1], 0, ib[2])
                    default: up = SIMD4(ib[0], ib[1], ib[2], 0)
                    }
                }
            }
            var mask = SIMD4<Double>(repeating: 1)
            mask[f] = 0
            r += a[f] * (up + SIMD4<Double>(repeating: up.sum())) * mask
        }
        // A = αI + U Vᵀ with U = [1, −a], V = [p, 1]: x = (r − U z)/α, (α I₂ + Vᵀ U) z = Vᵀ r, and
        // α I₂ + Vᵀ U = [[α + Σp, −p·a], [4, α − W = s]].
        let pr = (p * r).sum(), rs = r.sum()
        let c00 = alpha + p.sum(), pa = (p * a).sum()
        let det = c00 * s + 4 * pa
        let z0 = (s * pr + pa * rs) / det
        let z1 = (c00 * rs - 4 * pr) / det
        return (r - SIMD4<Double>(repeating: z0) + z1 * a) / alpha
    }
}

extension SweepMesh {
    /// Sweeps one mode. `source` holds nodal Q (1/m), `inflow` holds ψ at every boundary face corner (read only
    /// where the face is inflow). On return `psi` holds nodal ψ (volume-weighted corner average) and `trace` the
    /// DG corner values at every boundary face corner (outflow faces: what leaves; inflow faces: the data).
    /// With `cornerSource` (4 per tet) added to the source and `corners` (4 per tet) receiving the DG corner values,
    /// the sweep carries a discontinuous field exactly (the transient solve's state).
    public func sweep(
        direction d: Vector3, sigma: Double, sourceScale: Double = 1,
        source: UnsafePointer<Double>, inflow: UnsafePointer<Double>,
        psi: UnsafeMutablePointer<Double>, trace: UnsafeMutablePointer<Double>,
        cornerSource: UnsafePointer<Double>? = nil, corners: UnsafeMutablePointer<Double>? = nil,
        scratch: inout SweepScratch
    ) -> SweepResult {
        let nt = tetCount, nn = nodeCount
        let buf = scratch.buffers
        precondition(buf.tetCount == nt, "SweepScratch was made for another mesh")
        let dots = buf.dots, indeg = buf.indegree, queue = buf.queue, corner = buf.corner
        var result = SweepResult(absorbed: 0, cyclicTets: 0, passes: 1)
        for n in 0..<nn { psi[n] = 0 }
        mesh.tets.withUnsafeBufferPointer { tetsB in
            topology.neighbor.withUnsafeBufferPointer { nbB in
                topology.neighborCorner.withUnsafeBufferPointer { ncB in
                    topology.boundaryIndex.withUnsafeBufferPointer { biB in
                        geometry.volume.withUnsafeBufferPointer { volB in
                            geometry.faceNormal.withUnsafeBufferPointer { fnB in
                                let tets = tetsB.baseAddress!, nb = nbB.baseAddress!, vol = volB.baseAddress!, fn = fnB.baseAddress!
                                // Ω̂·N_f per local face, and the number of upwind neighbours of each tet; tets with none start the order.
                                var tail = 0
                                for t in 0..<nt {
                                    var k: Int32 = 0
                                    for f in 0..<4 {
                                        let i = 4 * t + f
                                        let dn = d.x * fn[3 * i] + d.y * fn[3 * i + 1] + d.z * fn[3 * i + 2]
                                        dots[i] = dn
                                        if dn < 0 && nb[i] >= 0 { k += 1 }
                                    }
                                    indeg[t] = k
                                    if k == 0 { queue[tail] = Int32(t); tail += 1 }
                                }
                                let kernel = SweepKernel(
                                    tets: tets, neighbor: nb, neighborCorner: ncB.baseAddress!, boundaryIndex: biB.baseAddress!,
                                    volume: vol, dots: dots, corner: corner, source: source,
                                    cornerSource: cornerSource, inflow: inflow,
                                    sigma: sigma, sourceScale: sourceScale)
                                var absorbed = 0.0
                                @inline(__always) func deposit(_ t: Int, _ x: SIMD4<Double>) {
                                    let tb = 4 * t
                                    corner[tb] = x[0]; corner[tb + 1] = x[1]; corner[tb + 2] = x[2]; corner[tb + 3] = x[3]
                                    let wx = (vol[t] / 4) * x
                                    psi[Int(tets[tb])] += wx[0]; psi[Int(tets[tb + 1])] += wx[1]
                                    psi[Int(tets[tb + 2])] += wx[2]; psi[Int(tets[tb + 3])] += wx[3]
                                    absorbed += wx.sum()
                                }
                                // Kahn's algorithm with the solve inside: a tet is solved when it leaves the queue, then releases its
                                // downwind neighbours.
                                var head = 0
                                while head < tail {
                                    let t = Int(queue[head]); head += 1
                                    deposit(t, kernel.solve(t))
                                    let tb = 4 * t
                                    for f in 0..<4 where dots[tb + f] > 0 {
                                        let u = Int(nb[tb + f])
                                        if u >= 0 {
                                            let left = indeg[u] - 1
                                            indeg[u] = left
                                            if left == 0 { queue[tail] = Int32(u); tail += 1 }
                                        }
                                    }
                                }
                                if tail < nt {
                                    // What is left sits in or behind dependency cycles: its strongly connected components, taken in
                                    // upwind order; a component of several tets is iterated until its values stop changing.
                                    let (cyclic, passes) = sweepCycles(
                                        kernel: kernel, indegree: indeg, solved: tail, buffers: buf,
                                        deposit: deposit)
                                    result.cyclicTets = cyclic; result.passes = passes
                                }
                                result.absorbed = sigma * absorbed
                            }
                        }
                    }
                }
            }
        }
        geometry.nodeVolume.withUnsafeBufferPointer { nv in
            for n in 0..<nn { psi[n] /= nv[n] }
        }
        if let out = corners { out.update(from: corner, count: 4 * nt) }
        mesh.boundaryFaces.withUnsafeBufferPointer { bfs in
            boundaryCorner.withUnsafeBufferPointer { bc in
                for b in 0..<bfs.count {
                    let t = Int(bfs[b].tet)
                    if dots[4 * t + Int(bfs[b].face)] > 0 {
                        for k in 0..<3 { trace[3 * b + k] = corner[4 * t + Int(bc[3 * b + k])] }
                    } else {
                        for k in 0..<3 { trace[3 * b + k] = inflow[3 * b + k] }
                    }
                }
            }
        }
        return result
    }

    /// Solves the tets not reached by Kahn's algorithm (those with `indegree > 0`): Tarjan's algorithm on the
    /// graph they span (edges point downwind) gives its strongly connected components in reverse topological
    /// order; they are solved from the most upwind one on. Returns (tets in cycles, largest number of passes).
    private func sweepCycles(
        kernel: SweepKernel, indegree: UnsafeMutablePointer<Int32>, solved: Int,
        buffers buf: SweepScratch.Buffers, deposit: (Int, SIMD4<Double>) -> Void
    ) -> (Int, Int) {
        buf.ensureTarjan()
        let nt = tetCount
        let index = buf.index!, low = buf.low!, stack = buf.stack!, call = buf.call!
        let comps = buf.components!, compStart = buf.componentStart!
        let nb = kernel.neighbor, dots = kernel.dots
        // index −1: unvisited member of the remaining graph; −2: not a member (already solved).
        for t in 0..<nt { index[t] = indegree[t] > 0 ? -1 : -2 }
        var counter: Int32 = 0, sp = 0, ncomp = 0, filled = 0
        @inline(__always) func member(_ u: Int) -> Bool { u >= 0 && index[u] != -2 }
        for root in 0..<nt where index[root] == -1 {
            // Iterative DFS: call stack of (tet, next local face to try).
            var depth = 0
            call[0] = Int32(root); call[1] = 0
            index[root] = counter; low[root] = counter; counter += 1
            stack[sp] = Int32(root); sp += 1
            while depth >= 0 {
                let t = Int(call[2 * depth])
                let f = Int(call[2 * depth + 1])
                if f < 4 {
                    call[2 * depth + 1] = Int32(f + 1)
                    guard dots[4 * t + f] > 0 else { continue }
                    let u = Int(nb[4 * t + f])
                    guard member(u) else { continue }
                    if index[u] == -1 {
                        index[u] = counter; low[u] = counter; counter += 1
                        stack[sp] = Int32(u); sp += 1
                        depth += 1
                        call[2 * depth] = Int32(u); call[2 * depth + 1] = 0
                    } else if index[u] >= 0 {
                        // On the stack (components already emitted are marked −3).
                        low[t] = min(low[t], index[u])
                    }
                    continue
                }
                // All faces of t done.
                if low[t] == index[t] {
                    compStart[ncomp] = Int32(filled)
                    while true {
                        sp -= 1
                        let w = Int(stack[sp])
                        index[w] = -3
                        comps[filled] = Int32(w); filled += 1
                        if w == t { break }
                    }
                    ncomp += 1
                }
                depth -= 1
                if depth >= 0 {
                    let parent = Int(call[2 * depth])
                    low[parent] = min(low[parent], low[t])
                }
            }
        }
        compStart[ncomp] = Int32(filled)
        precondition(filled == nt - solved, "sweep ordering lost tets")
        // Tarjan emits components sinks first: walk them backwards.
        var cyclic = 0, maxPasses = 1
        let corner = kernel.corner
        for c in stride(from: ncomp - 1, through: 0, by: -1) {
            let lo = Int(compStart[c]), hi = Int(compStart[c + 1])
            if hi - lo == 1 {
                let t = Int(comps[lo])
                deposit(t, kernel.solve(t))
                continue
            }
            cyclic += hi - lo
            if hi - lo <= Self.exactComponentLimit {
                // Small component (the usual case): one coupled linear system, solved exactly.
                solveComponent(kernel: kernel, tets: comps + lo, count: hi - lo, slot: index)
            } else {
                // Large component: Gauss–Seidel over it, from zero, in the order the DFS first reached its tets
                // (upwind first), until the largest relative change of a corner value is at round-off.
                for i in lo..<hi { let t = Int(comps[i]); for j in 0..<4 { corner[4 * t + j] = 0 } }
                var passes = 0
                repeat {
                    passes += 1
                    var change = 0.0
                    for i in stride(from: hi - 1, through: lo, by: -1) {
                        let t = Int(comps[i])
                        let x = kernel.solve(t)
                        let tb = 4 * t
                        for j in 0..<4 where x[j] != corner[tb + j] {
                            let ch = Swift.abs(x[j] - corner[tb + j]) / Swift.max(Swift.abs(x[j]), 1e-300)
                            if ch > change { change = ch }
                            corner[tb + j] = x[j]
                        }
                    }
                    if change <= 1e-15 || passes >= 1000 { break }
                } while true
                maxPasses = max(maxPasses, passes)
            }
            for i in lo..<hi { let t = Int(comps[i]); deposit(t, SIMD4(corner[4 * t], corner[4 * t + 1], corner[4 * t + 2], corner[4 * t + 3])) }
        }
        return (cyclic, maxPasses)
    }

    /// Components of up to this many tets are solved as one coupled system (4 unknowns per tet, dense elimination).
    static var exactComponentLimit: Int { 96 }

    /// Solves the tets of one dependency cycle together: the DG equations of every tet, with the upwind values
    /// that come from inside the component as unknowns, by Gaussian elimination with partial pivoting. Values
    /// from outside (solved neighbours, boundary data) are known. Writes the corner values. `slot` is scratch
    /// (one Int32 per tet), left as found.
    private func solveComponent(
        kernel: SweepKernel, tets comp: UnsafeMutablePointer<Int32>, count k: Int,
        slot: UnsafeMutablePointer<Int32>
    ) {
        let n = 4 * k
        var saved = [Int32](repeating: 0, count: k)
        for i in 0..<k { let t = Int(comp[i]); saved[i] = slot[t]; slot[t] = Int32(-10 - i) }
        @inline(__always) func slotOf(_ u: Int) -> Int { u >= 0 && slot[u] <= -10 ? Int(-10 - slot[u]) : -1 }
        var a = [Double](repeating: 0, count: n * n), b = [Double](repeating: 0, count: n)
        for i in 0..<k {
            let t = Int(comp[i]), tb = 4 * t
            let dn = SIMD4<Double>(kernel.dots[tb], kernel.dots[tb + 1], kernel.dots[tb + 2], kernel.dots[tb + 3])
            let v = kernel.volume[t]
            // The tet's own matrix, A_cj = (−dn_j/12) + s(1 + δ_cj) + Σ_{inflow f ∉ {c, j}} a_f (1 + δ_cj).
            for c in 0..<4 {
                for j in 0..<4 {
                    var e = -dn[j] / 12 + kernel.sigma * v / 20 * (c == j ? 2 : 1)
                    for f in 0..<4 where dn[f] < 0 && f != c && f != j { e += -dn[f] / 12 * (c == j ? 2 : 1) }
                    a[(4 * i + c) * n + 4 * i + j] = e
                }
            }
            let q =
                kernel.sourceScale
                * SIMD4<Double>(
                    kernel.source[Int(kernel.tets[tb])], kernel.source[Int(kernel.tets[tb + 1])],
                    kernel.source[Int(kernel.tets[tb + 2])], kernel.source[Int(kernel.tets[tb + 3])])
            var r = (v / 20) * (q + SIMD4<Double>(repeating: q.sum()))
            for f in 0..<4 where dn[f] < 0 {
                let w = -dn[f] / 12
                let u = Int(kernel.neighbor[tb + f])
                let j = slotOf(u)
                if j >= 0 {
                    // Upwind values from inside the component: coupling terms −F_f on the neighbour's corners.
                    for c in 0..<4 where c != f {
                        for c2 in 0..<4 where c2 != f {
                            let uc = Int(kernel.neighborCorner[16 * t + 4 * f + c2])
                            a[(4 * i + c) * n + 4 * j + uc] -= w * (c == c2 ? 2 : 1)
                        }
                    }
                    continue
                }
                var up = SIMD4<Double>(repeating: 0)
                if u >= 0 {
                    for c in 0..<4 where c != f { up[c] = kernel.corner[4 * u + Int(kernel.neighborCorner[16 * t + 4 * f + c])] }
                } else {
                    let bi = Int(kernel.boundaryIndex[tb + f])
                    if bi >= 0 { for c in 0..<4 where c != f { up[c] = kernel.inflow[3 * bi + (c < f ? c : c - 1)] } }
                }
                var mask = SIMD4<Double>(repeating: 1)
                mask[f] = 0
                r += w * (up + SIMD4<Double>(repeating: up.sum())) * mask
            }
            for c in 0..<4 { b[4 * i + c] = r[c] }
        }
        // Gaussian elimination with partial pivoting.
        for col in 0..<n {
            var p = col
            for i in (col + 1)..<n where Swift.abs(a[i * n + col]) > Swift.abs(a[p * n + col]) { p = i }
            if p != col {
                for j in 0..<n { a.swapAt(col * n + j, p * n + j) }
                b.swapAt(col, p)
            }
            let inv = 1 / a[col * n + col]
            for i in (col + 1)..<n {
                let f = a[i * n + col] * inv
                if f == 0 { continue }
                for j in col..<n { a[i * n + j] -= f * a[col * n + j] }
                b[i] -= f * b[col]
            }
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = b[i]
            for j in (i + 1)..<n { s -= a[i * n + j] * b[j] }
            b[i] = s / a[i * n + i]
        }
        for i in 0..<k {
            let t = Int(comp[i])
            for c in 0..<4 { kernel.corner[4 * t + c] = b[4 * i + c] }
            slot[t] = saved[i]
        }
    }
}
