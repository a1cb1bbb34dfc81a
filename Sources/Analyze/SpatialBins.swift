import Foundation
import Model

/// Volume-weighted averages of nodal fields over radial shells or slabs: the exact mean of the piecewise-linear
/// field where a tetrahedron lies inside one bin, and a lattice quadrature of it where bin edges cut a tetrahedron.
/// Each tetrahedron's volume is shared among the bins holding its sample points, the barycentric lattice
/// ((i, j, k, l) + 1/4)/s with i + j + k + l = s − 1, whose centroid is the tetrahedron's (a linear field is
/// integrated exactly). s grows with the range of the bin coordinate over the tetrahedron, so samples are at most a
/// third of a bin apart and a bin thinner than the elements still gets samples: with one centroid per tetrahedron the
/// innermost shells of a graded sphere held no element and stayed empty.
struct SpatialBins {
    let edges: [Double]
    let binVolume: [Double]
    /// (bin, tetrahedron, volume weight of each of its four corners), one entry per bin a tetrahedron reaches.
    let shares: [(bin: Int, tet: Int, weight: (Double, Double, Double, Double))]
    let tets: [Int32]
    let coordinateName: String
    let longName: String

    /// The lattice of order s (C(s+2, 3) points).
    static func lattice(_ s: Int) -> [(Double, Double, Double, Double)] {
        var out: [(Double, Double, Double, Double)] = []
        let n = s - 1, d = Double(s)
        for i in 0...n {
            for j in 0...(n - i) {
                for k in 0...(n - i - j) {
                    let l = n - i - j - k
                    out.append(((Double(i) + 0.25) / d, (Double(j) + 0.25) / d, (Double(k) + 0.25) / d, (Double(l) + 0.25) / d))
                }
            }
        }
        return out
    }

    init(mesh: TetMesh, tetVolume: [Double], binning: AnalysisOptions.Binning) {
        let (lo, hi) = mesh.bounds
        let nt = mesh.tetCount
        let coordinate: (Vector3) -> Double
        /// The range of the coordinate over a tetrahedron, or an upper bound of it.
        let range: ([Vector3]) -> Double
        let lower: Double, upper: Double, bins: Int
        switch binning {
        case .radial(let c, let b, let r):
            let center = c ?? 0.5 * (lo + hi)
            coordinate = { ($0 - center).norm }
            range = { p in
                // From the distance to the corners' bounding box (a lower bound of the nearest point) to the farthest corner.
                var gap = 0.0
                for a in 0..<3 {
                    let l = p.map { $0[a] }.min()!, h = p.map { $0[a] }.max()!
                    let d = max(0, l - center[a], center[a] - h)
                    gap += d * d
                }
                return p.map { ($0 - center).norm }.max()! - gap.squareRoot()
            }
            lower = 0
            upper = r ?? (0..<mesh.nodeCount).map { (mesh.node($0) - center).norm }.max() ?? 1
            bins = b
            coordinateName = "r"; longName = "distance from the centre"
        case .slab(let a, let b):
            coordinate = { $0[a] }
            range = { p in p.map { $0[a] }.max()! - p.map { $0[a] }.min()! }
            lower = lo[a]; upper = hi[a]; bins = b
            coordinateName = ["x", "y", "z"][a]; longName = "position along \(["x", "y", "z"][a])"
        }
        edges = (0...bins).map { lower + (upper - lower) * Double($0) / Double(bins) }
        var vol = [Double](repeating: 0, count: bins)
        var shares: [(bin: Int, tet: Int, weight: (Double, Double, Double, Double))] = []
        let width = (upper - lower) / Double(bins)
        var lattices: [Int: [(Double, Double, Double, Double)]] = [:]
        for t in 0..<nt {
            let p = (0..<4).map { mesh.node(mesh.corner(t, $0)) }
            let spread = 3 * range(p) / width
            let order = spread.isFinite ? Int(min(40, max(4, spread.rounded(.up)))) : 40
            if lattices[order] == nil { lattices[order] = Self.lattice(order) }
            let samples = lattices[order]!
            let per = 1.0 / Double(samples.count)
            var byBin: [Int: (Double, Double, Double, Double)] = [:]
            for s in samples {
                let x = coordinate(s.0 * p[0] + s.1 * p[1] + s.2 * p[2] + s.3 * p[3])
                guard x >= lower, x <= upper else { continue }
                let position = ((x - lower) / (upper - lower) * Double(bins)).rounded(.down)
                guard position.isFinite else { continue }
                let k = min(bins - 1, max(0, Int(min(position, Double(bins)))))
                let w = per * tetVolume[t]
                let old = byBin[k] ?? (0, 0, 0, 0)
                byBin[k] = (old.0 + w * s.0, old.1 + w * s.1, old.2 + w * s.2, old.3 + w * s.3)
                vol[k] += w
            }
            for k in byBin.keys.sorted() { shares.append((k, t, byBin[k]!)) }
        }
        self.shares = shares; binVolume = vol; tets = mesh.tets
    }

    var count: Int { edges.count - 1 }

    /// Bin averages; NaN (written as the fill value) for an empty bin.
    func average(_ field: [Double]) -> [Double] {
        var s = [Double](repeating: 0, count: count)
        for e in shares {
            let c = 4 * e.tet
            s[e.bin] +=
                e.weight.0 * field[Int(tets[c])] + e.weight.1 * field[Int(tets[c + 1])]
                + e.weight.2 * field[Int(tets[c + 2])] + e.weight.3 * field[Int(tets[c + 3])]
        }
        return (0..<count).map { binVolume[$0] > 0 ? s[$0] / binVolume[$0] : .nan }
    }
}
