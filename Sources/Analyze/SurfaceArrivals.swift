import Foundation
import Model

/// Power arriving at each boundary tag per event, binned by phonon frequency (the energy × event map).
struct SurfaceArrivals {
    let frequencyEdges: [Double]   // THz
    let binOfMode: [Int]
    let tags: [Int32]

    init(modes: ModeSet, tags: [Int32], bins: Int) {
        let f = modes.omega.map { $0 / (2 * Double.pi * 1e12) }
        let lo = f.min() ?? 0, hi = max(f.max() ?? 1, lo + 1e-9)
        frequencyEdges = (0...bins).map { lo + (hi - lo) * Double($0) / Double(bins) }
        binOfMode = f.map { min(bins - 1, Int(((($0 - lo) / (hi - lo)) * Double(bins)).rounded(.down))) }
        self.tags = tags
    }

    /// tags × bins power (W) leaving through each tag, from one event's boundary traces.
    func power(trace: [Double], mesh: TetMesh, geometry: MeshGeometry, modes: ModeSet) -> [Double] {
        let bins = frequencyEdges.count - 1
        var out = [Double](repeating: 0, count: tags.count * bins)
        let tagIndex = Dictionary(uniqueKeysWithValues: tags.enumerated().map { ($1, $0) })
        let stride = 3 * mesh.boundaryFaces.count
        for (b, bf) in mesh.boundaryFaces.enumerated() {
            guard let ti = tagIndex[bf.tag] else { continue }
            let n = geometry.normal(Int(bf.tet), Int(bf.face))
            for mu in 0..<modes.count {
                let vn = modes.velocity(mu).dot(n)
                guard vn > 0 else { continue }
                let s = trace[mu * stride + 3 * b] + trace[mu * stride + 3 * b + 1] + trace[mu * stride + 3 * b + 2]
                out[ti * bins + binOfMode[mu]] += modes.volumeWeight[mu] * modes.energy(mu) * vn * s / 3
            }
        }
        return out
    }
}
