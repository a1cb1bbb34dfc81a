import Model

/// Upwind discontinuous Galerkin (linear elements) transport of one mode through the mesh:
/// `Ω̂·∇ψ + σψ = Q`, σ = 1/Λ, with inflow data on boundary faces where Ω̂·n < 0.
///
/// Per tetrahedron the 4×4 system is `(K + σM + Σ_in F_f) ψ = M Q + Σ_in F_f ψ_up` with `K_ij = (V/4) Ω̂·∇φ_j`,
/// `M_ij = V(1+δ_ij)/20` and `F_f,ij = |Ω̂·N_f|(1+δ_ij)/12` on the corners of face f. Tetrahedra are taken in
/// upwind order (Kahn's algorithm on the face graph); cycles, which unstructured meshes can have, are broken and
/// the sweep repeated over the same order until the cyclic values stop changing (Gauss–Seidel on each cycle).
/// The scheme is conservative per tetrahedron, so energy balance closes to round-off.
public struct SweepScratch {
    var corner: [Double]      // 4 per tet, DG corner values
    var dots: [Double]        // Ω̂·N_f, 4 per tet
    var indegree: [Int32]
    var order: [Int32]
    var done: [Bool]
    public init(tetCount: Int) {
        corner = .init(repeating: 0, count: 4 * tetCount)
        dots = .init(repeating: 0, count: 4 * tetCount)
        indegree = .init(repeating: 0, count: tetCount)
        order = []
        order.reserveCapacity(tetCount)
        done = .init(repeating: false, count: tetCount)
    }
}

public struct SweepResult {
    /// σ ∫ψ dV (m²·ψ per unit length of path… i.e. ∫ψ/Λ): what the mode loses to scattering.
    public var absorbed: Double
    /// Number of tetrahedra in dependency cycles that needed extra passes.
    public var cyclicTets: Int
    public var passes: Int
}

extension SweepMesh {
    /// Sweeps one mode. `source` holds nodal Q (1/m), `inflow` holds ψ at every boundary face corner (read only
    /// where the face is inflow). On return `psi` holds nodal ψ (volume-weighted corner average) and `trace` the
    /// DG corner values at every boundary face corner (outflow faces: what leaves; inflow faces: the data).
    public func sweep(direction d: Vector3, sigma: Double, sourceScale: Double = 1,
                      source: UnsafePointer<Double>, inflow: UnsafePointer<Double>,
                      psi: UnsafeMutablePointer<Double>, trace: UnsafeMutablePointer<Double>,
                      scratch: inout SweepScratch) -> SweepResult {
        let nt = tetCount
        let g = geometry, topo = topology
        var cyclic = 0
        scratch.order.removeAll(keepingCapacity: true)
        g.faceNormal.withUnsafeBufferPointer { fn in
            scratch.dots.withUnsafeMutableBufferPointer { dots in
                for i in 0..<(4 * nt) {
                    dots[i] = d.x * fn[3 * i] + d.y * fn[3 * i + 1] + d.z * fn[3 * i + 2]
                }
            }
        }
        // Upwind order.
        topo.neighbor.withUnsafeBufferPointer { nb in
            scratch.dots.withUnsafeBufferPointer { dots in
                for t in 0..<nt {
                    var k: Int32 = 0
                    for f in 0..<4 where nb[4 * t + f] >= 0 && dots[4 * t + f] < 0 { k += 1 }
                    scratch.indegree[t] = k
                    scratch.done[t] = false
                    if k == 0 { scratch.order.append(Int32(t)) }
                }
                var head = 0
                while scratch.order.count < nt {
                    while head < scratch.order.count {
                        let t = Int(scratch.order[head]); head += 1
                        scratch.done[t] = true
                        for f in 0..<4 where dots[4 * t + f] > 0 {
                            let u = Int(nb[4 * t + f])
                            if u >= 0 {
                                scratch.indegree[Int(u)] -= 1
                                if scratch.indegree[u] == 0 { scratch.order.append(Int32(u)) }
                            }
                        }
                    }
                    if scratch.order.count < nt {
                        // A dependency cycle: release the waiting tet with the fewest missing inflows.
                        var best = -1, bestDeg = Int32.max
                        for t in 0..<nt where !scratch.done[t] && scratch.indegree[t] > 0 && scratch.indegree[t] < bestDeg {
                            best = t; bestDeg = scratch.indegree[t]
                        }
                        scratch.indegree[best] = 0
                        scratch.order.append(Int32(best))
                        cyclic += 1
                    }
                }
            }
        }
        // Cyclic parts start from zero and converge by repeated passes.
        if cyclic > 0 { for i in 0..<(4 * nt) { scratch.corner[i] = 0 } }
        var passes = 0
        var absorbed = 0.0
        repeat {
            passes += 1
            let change = solvePass(d: d, sigma: sigma, sourceScale: sourceScale, source: source, inflow: inflow, scratch: &scratch)
            if cyclic == 0 || change <= 1e-14 || passes >= 200 { break }
        } while true
        // Nodal average, absorption and boundary traces.
        let nn = nodeCount
        for n in 0..<nn { psi[n] = 0 }
        mesh.tets.withUnsafeBufferPointer { tets in
            for t in 0..<nt {
                let w = g.volume[t] / 4
                for c in 0..<4 {
                    let v = scratch.corner[4 * t + c]
                    psi[Int(tets[4 * t + c])] += w * v
                    absorbed += w * v
                }
            }
        }
        for n in 0..<nn { psi[n] /= g.nodeVolume[n] }
        for (b, bf) in mesh.boundaryFaces.enumerated() {
            let t = Int(bf.tet)
            let outflow = scratch.dots[4 * t + Int(bf.face)] > 0
            for k in 0..<3 {
                trace[3 * b + k] = outflow ? scratch.corner[4 * t + Int(boundaryCorner[3 * b + k])] : inflow[3 * b + k]
            }
        }
        return SweepResult(absorbed: sigma * absorbed, cyclicTets: cyclic, passes: passes)
    }

    /// One pass over the upwind order; returns the largest relative change of a corner value.
    private func solvePass(d: Vector3, sigma: Double, sourceScale: Double, source: UnsafePointer<Double>,
                           inflow: UnsafePointer<Double>, scratch: inout SweepScratch) -> Double {
        var maxChange = 0.0
        let g = geometry
        let ones = SIMD4<Double>(repeating: 1)
        let unit = [SIMD4<Double>(1, 0, 0, 0), SIMD4<Double>(0, 1, 0, 0), SIMD4<Double>(0, 0, 1, 0), SIMD4<Double>(0, 0, 0, 1)]
        mesh.tets.withUnsafeBufferPointer { tets in
        topology.neighbor.withUnsafeBufferPointer { nb in
        topology.neighborCorner.withUnsafeBufferPointer { ncor in
        topology.boundaryIndex.withUnsafeBufferPointer { bidx in
        g.gradient.withUnsafeBufferPointer { grad in
        g.volume.withUnsafeBufferPointer { vol in
        scratch.order.withUnsafeBufferPointer { order in
        scratch.dots.withUnsafeBufferPointer { dots in
        scratch.corner.withUnsafeMutableBufferPointer { corner in
            for ti in order {
                let t = Int(ti)
                let v = vol[t]
                let gb = 12 * t
                let k = (v / 4) * SIMD4<Double>(
                    d.x * grad[gb] + d.y * grad[gb + 1] + d.z * grad[gb + 2],
                    d.x * grad[gb + 3] + d.y * grad[gb + 4] + d.z * grad[gb + 5],
                    d.x * grad[gb + 6] + d.y * grad[gb + 7] + d.z * grad[gb + 8],
                    d.x * grad[gb + 9] + d.y * grad[gb + 10] + d.z * grad[gb + 11])
                let sv = sigma * v / 20
                var rows = (k + sv * (ones + unit[0]), k + sv * (ones + unit[1]),
                            k + sv * (ones + unit[2]), k + sv * (ones + unit[3]))
                let tb = 4 * t
                let q = sourceScale * SIMD4<Double>(source[Int(tets[tb])], source[Int(tets[tb + 1])],
                                                    source[Int(tets[tb + 2])], source[Int(tets[tb + 3])])
                var r = (v / 20) * (q + SIMD4<Double>(repeating: q.sum()))
                for f in 0..<4 {
                    let dn = dots[tb + f]
                    guard dn < 0 else { continue }
                    let w = -dn / 12
                    var up = SIMD4<Double>(repeating: 0)
                    let u = Int(nb[tb + f])
                    if u >= 0 {
                        for c in 0..<4 where c != f { up[c] = corner[4 * u + Int(ncor[16 * t + 4 * f + c])] }
                    } else {
                        let b = Int(bidx[tb + f])
                        if b >= 0 {
                            // Boundary corner slot of tet corner c on face f: corners of a face are increasing.
                            for c in 0..<4 where c != f { up[c] = inflow[3 * b + (c < f ? c : c - 1)] }
                        }
                    }
                    var mask = ones
                    mask[f] = 0
                    let s = up.sum()
                    let add = w * (up + SIMD4<Double>(repeating: s))
                    if f != 0 { rows.0 += w * (mask + unit[0]) * mask; r[0] += add[0] }
                    if f != 1 { rows.1 += w * (mask + unit[1]) * mask; r[1] += add[1] }
                    if f != 2 { rows.2 += w * (mask + unit[2]) * mask; r[2] += add[2] }
                    if f != 3 { rows.3 += w * (mask + unit[3]) * mask; r[3] += add[3] }
                }
                let x = Self.solve4(rows, r)
                let old = SIMD4<Double>(corner[tb], corner[tb + 1], corner[tb + 2], corner[tb + 3])
                for c in 0..<4 where x[c] != old[c] {
                    let ch = Swift.abs(x[c] - old[c]) / Swift.max(Swift.abs(x[c]), 1e-300)
                    if ch > maxChange { maxChange = ch }
                }
                corner[tb] = x[0]; corner[tb + 1] = x[1]; corner[tb + 2] = x[2]; corner[tb + 3] = x[3]
            }
        } } } } } } } } }
        return maxChange
    }

    /// Gaussian elimination with partial pivoting on a 4×4 system given by rows (no heap traffic).
    @inline(__always)
    static func solve4(_ rows: (SIMD4<Double>, SIMD4<Double>, SIMD4<Double>, SIMD4<Double>),
                       _ rhs: SIMD4<Double>) -> SIMD4<Double> {
        var m = rows
        var r = rhs
        @inline(__always) func row(_ i: Int) -> SIMD4<Double> {
            switch i { case 0: return m.0; case 1: return m.1; case 2: return m.2; default: return m.3 }
        }
        @inline(__always) func set(_ i: Int, _ v: SIMD4<Double>) {
            switch i { case 0: m.0 = v; case 1: m.1 = v; case 2: m.2 = v; default: m.3 = v }
        }
        for col in 0..<4 {
            var p = col
            for i in (col + 1)..<4 where Swift.abs(row(i)[col]) > Swift.abs(row(p)[col]) { p = i }
            if p != col {
                let a = row(p); set(p, row(col)); set(col, a)
                let t = r[p]; r[p] = r[col]; r[col] = t
            }
            let pr = row(col)
            let inv = 1 / pr[col]
            for i in (col + 1)..<4 {
                let ri = row(i)
                let f = ri[col] * inv
                set(i, ri - f * pr)
                r[i] -= f * r[col]
            }
        }
        var x = SIMD4<Double>(repeating: 0)
        for i in stride(from: 3, through: 0, by: -1) {
            let ri = row(i)
            var s = r[i]
            for j in (i + 1)..<4 { s -= ri[j] * x[j] }
            x[i] = s / ri[i]
        }
        return x
    }
}
