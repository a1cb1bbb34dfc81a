import Model

/// Boundary faces matched across a translation: a periodic wall and its partner (shift between the two walls), or
/// the two sides of an interface (no shift, one mesh per region). Walls and interfaces both pair faces this way.
enum FacePairing {
    /// Face `face` of the other side, whose corner `corner[k]` is this face's corner k moved by the shift.
    struct Match: Equatable {
        let face: Int
        let corner: [Int]
    }

    /// For each face of `faces` in `mesh`, its match among `candidates` in `other`, or nil. Centroids are hashed on a
    /// grid of `tolerance`, searched with the neighbouring cells so that round-off never splits a pair: linear in the
    /// faces (the pairwise search it replaces was quadratic per periodic wall).
    static func match(
        _ faces: [Int], in mesh: SweepMesh, shift: Vector3, to candidates: [Int], in other: SweepMesh, tolerance tol: Double
    ) -> [Match?] {
        struct Key: Hashable { let x: Int64, y: Int64, z: Int64 }
        func key(_ p: Vector3) -> Key { Key(x: Int64((p.x / tol).rounded()), y: Int64((p.y / tol).rounded()), z: Int64((p.z / tol).rounded())) }
        func corners(_ m: SweepMesh, _ f: Int) -> [Vector3] { (0..<3).map { m.mesh.node(Int(m.boundaryNode[3 * f + $0])) } }
        func centroid(_ c: [Vector3]) -> Vector3 { (1.0 / 3) * (c[0] + c[1] + c[2]) }
        var cells = [Key: [Int]]()
        for f in candidates { cells[key(centroid(corners(other, f))), default: []].append(f) }
        return faces.map { f in
            let mine = corners(mesh, f).map { $0 + shift }
            let k = key(centroid(mine))
            for dx in Int64(-1)...1 {
                for dy in Int64(-1)...1 {
                    for dz in Int64(-1)...1 {
                        for g in cells[Key(x: k.x + dx, y: k.y + dy, z: k.z + dz)] ?? [] {
                            let theirs = corners(other, g)
                            let perm = mine.map { p in theirs.firstIndex { ($0 - p).norm < tol } ?? -1 }
                            if !perm.contains(-1) { return Match(face: g, corner: perm) }
                        }
                    }
                }
            }
            return nil
        }
    }
}

/// The consistent mass of a P1 trace on a triangular face: the energy that corner k carries, per unit of
/// w = ρħω|v·N| (N the face normal scaled by its area), is w (ψ_k + ψ_1 + ψ_2 + ψ_3)/12 — the integral of ψ
/// against corner k's hat function. Walls and interfaces re-emit energy per corner through it and its inverse, so
/// that what leaves a face corner is what re-enters, to round-off.
enum FaceMass {
    static func energies(_ psi: (Double, Double, Double), weight w: Double) -> (Double, Double, Double) {
        let w = w / 12, s = psi.0 + psi.1 + psi.2
        return (w * (psi.0 + s), w * (psi.1 + s), w * (psi.2 + s))
    }

    /// The corner values whose energies under weight w are `e`.
    static func values(energies e: (Double, Double, Double), weight w: Double) -> (Double, Double, Double) {
        let sum = 3 * (e.0 + e.1 + e.2) / w
        return (12 * e.0 / w - sum, 12 * e.1 / w - sum, 12 * e.2 / w - sum)
    }
}
