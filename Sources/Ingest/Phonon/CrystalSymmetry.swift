/// The point-group part of the crystal's space group, found from the lattice and the atoms: the lattice-preserving
/// integer rotations R (fractional coordinates) for which some translation maps every atom onto an atom of the same
/// species. Returned as Cartesian rotations C = A R A⁻¹.
enum CrystalSymmetry {
    static func rotations(_ crystal: CrystalStructure) -> [[[Double]]] {
        let a = crystal.lattice // rows a_i
        let b = crystal.reciprocal // rows b_i, a_i·b_j = δ_ij
        let g = (0..<3).map { i in (0..<3).map { j in dot(a[i], a[j]) } }
        let frac = crystal.atomPositions.map { t in (0..<3).map { dot(t, b[$0]) } }
        let tol = 1e-5
        var out: [[[Double]]] = []
        var r = [[Int]](repeating: [Int](repeating: 0, count: 3), count: 3)
        for code in 0..<19683 {
            var c = code
            for i in 0..<3 { for j in 0..<3 { r[i][j] = c % 3 - 1; c /= 3 } }
            // Rᵀ G R = G keeps lengths and angles of the lattice.
            var ok = true
            for i in 0..<3 where ok {
                for j in 0..<3 where ok {
                    var s = 0.0
                    for k in 0..<3 { for l in 0..<3 { s += Double(r[k][i]) * g[k][l] * Double(r[l][j]) } }
                    if abs(s - g[i][j]) > tol { ok = false }
                }
            }
            guard ok, mapsAtoms(r, frac: frac, species: crystal.atomSpecies, tol: tol) else { continue }
            // C = A R A⁻¹ with A = [a1 a2 a3] as columns; A⁻¹ has rows b_i.
            let cart = (0..<3).map { x in
                (0..<3).map { y in
                    var s = 0.0
                    for i in 0..<3 { for j in 0..<3 { s += a[i][x] * Double(r[i][j]) * b[j][y] } }
                    return s
                }
            }
            out.append(cart)
        }
        return out
    }

    private static func mapsAtoms(_ r: [[Int]], frac: [[Double]], species: [Int], tol: Double) -> Bool {
        func rot(_ x: [Double]) -> [Double] { (0..<3).map { i in (0..<3).reduce(0) { $0 + Double(r[i][$1]) * x[$1] } } }
        func same(_ u: [Double], _ v: [Double]) -> Bool {
            (0..<3).allSatisfy {
                let d = u[$0] - v[$0]; return abs(d - d.rounded()) < tol
            }
        }
        let r0 = rot(frac[0])
        for cand in frac.indices where species[cand] == species[0] {
            let t = (0..<3).map { frac[cand][$0] - r0[$0] }
            let all = frac.indices.allSatisfy { a in
                let y = rot(frac[a]).enumerated().map { $1 + t[$0] }
                return frac.indices.contains { species[$0] == species[a] && same(y, frac[$0]) }
            }
            if all { return true }
        }
        return false
    }

    static func dot(_ u: [Double], _ v: [Double]) -> Double { u[0] * v[0] + u[1] * v[1] + u[2] * v[2] }

    static func apply(_ c: [[Double]], _ v: [Double]) -> [Double] { c.map { dot($0, v) } }
}
