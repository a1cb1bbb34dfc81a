import Foundation
import Model

/// Volume-weighted averages of nodal fields over radial shells or slabs. Each tetrahedron contributes its
/// corner-mean with its volume to the bin holding its centroid, so bins aligned with element layers are not
/// biased by nodes sitting on bin edges.
struct SpatialBins {
    let edges: [Double]
    let binOfTet: [Int]           // −1 outside
    let tetVolume: [Double]
    let binVolume: [Double]
    let tets: [Int32]
    let coordinateName: String
    let longName: String

    init(mesh: TetMesh, tetVolume: [Double], binning: AnalysisOptions.Binning) {
        let (lo, hi) = mesh.bounds
        let nt = mesh.tetCount
        let centroid = (0..<nt).map { t in 0.25 * (0..<4).reduce(Vector3.zero) { $0 + mesh.node(mesh.corner(t, $1)) } }
        var coord = [Double](repeating: 0, count: nt)
        let lower: Double, upper: Double, bins: Int
        switch binning {
        case .radial(let c, let b, let r):
            let center = c ?? 0.5 * (lo + hi)
            for t in 0..<nt { coord[t] = (centroid[t] - center).norm }
            lower = 0
            upper = r ?? (0..<mesh.nodeCount).map { (mesh.node($0) - center).norm }.max() ?? 1
            bins = b
            coordinateName = "r"; longName = "distance from the centre"
        case .slab(let a, let b):
            for t in 0..<nt { coord[t] = centroid[t][a] }
            lower = lo[a]; upper = hi[a]; bins = b
            coordinateName = ["x", "y", "z"][a]; longName = "position along \(["x", "y", "z"][a])"
        }
        edges = (0...bins).map { lower + (upper - lower) * Double($0) / Double(bins) }
        var bin = [Int](repeating: -1, count: nt)
        var vol = [Double](repeating: 0, count: bins)
        for t in 0..<nt {
            let x = coord[t]
            guard x >= lower, x <= upper else { continue }
            let k = min(bins - 1, Int(((x - lower) / (upper - lower) * Double(bins)).rounded(.down)))
            bin[t] = k; vol[k] += tetVolume[t]
        }
        binOfTet = bin; self.tetVolume = tetVolume; binVolume = vol; tets = mesh.tets
    }

    var count: Int { edges.count - 1 }

    /// Bin averages; NaN (written as the fill value) for an empty bin.
    func average(_ field: [Double]) -> [Double] {
        var s = [Double](repeating: 0, count: count)
        for t in 0..<binOfTet.count where binOfTet[t] >= 0 {
            let m = 0.25 * (field[Int(tets[4 * t])] + field[Int(tets[4 * t + 1])] + field[Int(tets[4 * t + 2])] + field[Int(tets[4 * t + 3])])
            s[binOfTet[t]] += tetVolume[t] * m
        }
        return (0..<count).map { binVolume[$0] > 0 ? s[$0] / binVolume[$0] : .nan }
    }
}
