/// Spreads phono3py's irreducible q-points over the full Γ-centred mesh: each mesh point k = ±C q gets the
/// frequencies and linewidths of q and the rotated velocities ±C v (time reversal included), with the velocities of
/// degenerate bands first made consistent with the little group of q (the operations with ±C q ≡ q).
///
/// Why: phonopy diagonalises dD/dq in a degenerate subspace for each Cartesian direction separately, so the
/// velocities it lists for, say, the two TA bands on a [111] line are not a set that the line's C3v maps onto
/// itself. Rotated with one operation per star point they give a κ whose diagonal depends on which operation came
/// first (cubic Si 8³: 460.62 / 461.40 / 462.18 W m⁻¹ K⁻¹). What is basis independent is the set's Σ_b |v_b|²
/// (Σ_a Tr V_a², V_a the velocity operator in the subspace), and it is what phono3py's k-star κ keeps: it sums
/// g (v⊗v) gᵀ over the whole point group. So for each degenerate set whose Σ_b v_b⊗v_b is not invariant under the
/// little group, each velocity is replaced by its little-group average, rescaled (one factor for the set) to the
/// set's Σ_b |v_b|². Then every star point's tensor is the same whichever operation reaches it; for a cubic group
/// the star sum is (Σ|v|²/3)·1 and the unfolded κ equals phono3py's k-star κ. Sets that are already invariant
/// (non-degenerate bands, the ± pairs of bands that stick together at the zone boundary) are kept as they are.
enum Phono3pyUnfolding {
    static let maximumGrid = 1 << 24
    static func unfold(_ ir: IrreducibleModes, mesh: [Int], crystal: CrystalStructure, path: String) throws -> IrreducibleModes {
        let ops = CrystalSymmetry.rotations(crystal)
        let nir = ir.qReduced.count, nb = ir.frequency.count / max(nir, 1)
        let nGrid = mesh.reduce(1, *)
        // One entry per mesh point is allocated before any star is checked.
        guard nGrid <= Self.maximumGrid else {
            throw PhononIngestError(
                .irreducibleMesh, file: path, dataset: "mesh",
                "unfolding to \(mesh.map(String.init).joined(separator: "×")) = \(nGrid) points is beyond the \(Self.maximumGrid) this reader unfolds; run phono3py with --no-kappa-stars"
            )
        }
        var source = [(iq: Int, op: Int, sign: Double)?](repeating: nil, count: nGrid)
        var symmetrized = ir.velocity
        for iq in 0..<nir {
            let qc = crystal.cartesian(reduced: ir.qReduced[iq])
            let home = try address(ir.qReduced[iq], mesh: mesh, iq: iq, path: path)
            var littleGroup: [(op: Int, sign: Double)] = []
            var star = 0
            for (o, c) in ops.enumerated() {
                for sign in [1.0, -1.0] {
                    let k = crystal.reduced(cartesian: CrystalSymmetry.apply(c, qc).map { sign * $0 })
                    let gp = try address(k, mesh: mesh, iq: iq, path: path)
                    if gp == home { littleGroup.append((o, sign)) }
                    if source[gp] == nil { source[gp] = (iq, o, sign); star += 1 }
                }
            }
            let fixed = try symmetricVelocities(iq: iq, nb: nb, ir: ir, littleGroup: littleGroup.map { (ops[$0.op], $0.sign) })
            symmetrized.replaceSubrange((3 * iq * nb)..<(3 * (iq + 1) * nb), with: fixed)
            guard star == ir.weight[iq] else {
                throw PhononIngestError(
                    .irreducibleMesh, file: path, dataset: "weight",
                    "q-point \(iq) has weight \(ir.weight[iq]) but its star under the crystal's \(ops.count) rotations has \(star) new points; the crystal header may not match, run phono3py with --no-kappa-stars"
                )
            }
        }
        var out = IrreducibleModes(qReduced: [], frequency: [], gamma: [], velocity: [], weight: [])
        for gp in 0..<nGrid {
            guard let (iq, o, sign) = source[gp] else {
                throw PhononIngestError(
                    .irreducibleMesh, file: path, dataset: "qpoint",
                    "mesh point \(gp) is not in the star of any listed q-point; run phono3py with --no-kappa-stars")
            }
            let address = [gp % mesh[0], (gp / mesh[0]) % mesh[1], gp / (mesh[0] * mesh[1])]
            out.qReduced.append(
                (0..<3).map { d in
                    let a = address[d] >= (mesh[d] + 1) / 2 && mesh[d] > 1 ? address[d] - mesh[d] : address[d]
                    return Double(a) / Double(mesh[d])
                })
            out.frequency += ir.frequency[(iq * nb)..<((iq + 1) * nb)]
            out.gamma += ir.gamma[(iq * nb)..<((iq + 1) * nb)]
            for s in 0..<nb {
                let v = Array(symmetrized[(3 * (iq * nb + s))..<(3 * (iq * nb + s) + 3)])
                out.velocity += CrystalSymmetry.apply(ops[o], v).map { sign * $0 }
            }
            out.weight.append(1)
        }
        return out
    }

    /// The mesh index of a reduced q-point, or an error when it is not on the mesh.
    private static func address(_ k: [Double], mesh: [Int], iq: Int, path: String) throws -> Int {
        var a = [Int](repeating: 0, count: 3)
        for d in 0..<3 {
            let x = k[d] * Double(mesh[d])
            // |x| < 2^52 also keeps Int(x.rounded()) from trapping on an absurd q-point.
            guard abs(x) < 4.5e15, abs(x - x.rounded()) < 1e-6 else {
                throw PhononIngestError(
                    .irreducibleMesh, file: path, dataset: "qpoint",
                    "q-point \(iq) maps off the \(mesh) mesh under the crystal's symmetry; run phono3py with --no-kappa-stars")
            }
            a[d] = ((Int(x.rounded()) % mesh[d]) + mesh[d]) % mesh[d]
        }
        return a[0] + mesh[0] * (a[1] + mesh[1] * a[2])
    }

    /// Degenerate bands: frequencies within this of each other (THz), phonopy's default degeneracy cutoff.
    static let degeneracyTolerance = 1e-4

    /// The velocities of q-point iq (nb × 3), with each degenerate set made consistent with the little group.
    static func symmetricVelocities(iq: Int, nb: Int, ir: IrreducibleModes, littleGroup: [([[Double]], Double)]) throws -> [Double] {
        var out = Array(ir.velocity[(3 * iq * nb)..<(3 * (iq + 1) * nb)])
        guard littleGroup.count > 1 else { return out }
        let f = Array(ir.frequency[(iq * nb)..<((iq + 1) * nb)])
        let order = (0..<nb).sorted { f[$0] < f[$1] }
        var first = 0
        while first < nb {
            var last = first
            while last + 1 < nb && abs(f[order[last + 1]] - f[order[first]]) < Self.degeneracyTolerance { last += 1 }
            let set = Array(order[first...last])
            first = last + 1
            let v = set.map { Array(out[(3 * $0)..<(3 * $0 + 3)]) }
            func tensor(_ vs: [[Double]]) -> [Double] {
                (0..<9).map { ab in vs.reduce(0) { $0 + $1[ab / 3] * $1[ab % 3] } }
            }
            let t = tensor(v)
            var tBar = [Double](repeating: 0, count: 9)
            for (c, _) in littleGroup {
                let r = tensor(v.map { CrystalSymmetry.apply(c, $0) })
                for ab in 0..<9 { tBar[ab] += r[ab] / Double(littleGroup.count) }
            }
            let total = t[0] + t[4] + t[8]
            let change = zip(t, tBar).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
            // Below 1e-9 of the set's own scale, or of 1 m/s (in THz·Å: 0.01) for velocities that vanish by symmetry.
            guard change > 1e-9 * max(total, 1e-4) else { continue }
            let w = try representing(tBar, total: total, set: v, littleGroup: littleGroup)
            for (i, b) in set.enumerated() {
                for d in 0..<3 { out[3 * b + d] = w[i][d] }
            }
        }
        return out
    }

    /// Velocities for a degenerate set whose Σ_b w_b⊗w_b is the little-group-invariant tensor tBar (same trace as
    /// the set's): when tBar has rank ≤ the set's size, its eigenvectors scaled by √λ (each given to the band whose
    /// velocity is most nearly along it, with that band's sign) reproduce it exactly; otherwise each band keeps its
    /// little-group average, rescaled to the set's Σ|v|², which is exact for a cubic group's star sum.
    private static func representing(
        _ tBar: [Double], total: Double, set v: [[Double]],
        littleGroup: [([[Double]], Double)]
    ) throws -> [[Double]] {
        let eig = try SymmetricEigen(symmetric: tBar, size: 3, vectors: true)
        let kept = (0..<3).filter { eig.values[$0] > 1e-12 * total }.sorted { eig.values[$0] > eig.values[$1] }
        if kept.count <= v.count {
            var w = v.map { _ in [0.0, 0.0, 0.0] }
            var free = Array(v.indices)
            for k in kept {
                let e = (0..<3).map { eig.vectors[$0 + 3 * k] }
                // First of the most aligned bands, so that ties resolve the same way on every run.
                var pick = 0
                for (i, b) in free.enumerated() where abs(CrystalSymmetry.dot(v[b], e)) > abs(CrystalSymmetry.dot(v[free[pick]], e)) { pick = i }
                let b = free.remove(at: pick)
                let sign: Double = CrystalSymmetry.dot(v[b], e) < 0 ? -1 : 1
                w[b] = e.map { $0 * sign * eig.values[k].squareRoot() }
            }
            return w
        }
        var mean = v.map { _ in [0.0, 0.0, 0.0] }
        for (i, vb) in v.enumerated() {
            for (c, sign) in littleGroup {
                let r = CrystalSymmetry.apply(c, vb)
                for d in 0..<3 { mean[i][d] += sign * r[d] / Double(littleGroup.count) }
            }
        }
        let speed2 = mean.reduce(0) { $0 + CrystalSymmetry.dot($1, $1) }
        let scale = speed2 > 0 ? (total / speed2).squareRoot() : 0
        return mean.map { $0.map { $0 * scale } }
    }
}
