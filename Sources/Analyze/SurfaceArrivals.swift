import Foundation
import Model
import Store

/// Power arriving at each boundary tag per event, binned by phonon frequency (the energy × event map), from the
/// stored face-mean fluxes S = (v·n)ψ: power = Σ ρħω S A over faces where S > 0.
struct SurfaceArrivals {
    let frequencyEdges: [Double] // THz
    let tags: [Int32]

    init(regions: [RunRegion], tags: [Int32], bins: Int) {
        let f = regions.flatMap { r in r.modes.omega.map { $0 / (2 * Double.pi * 1e12) } }
        let lo = max(0, f.min() ?? 0), hi = max(f.max() ?? 1, lo + 1e-9)
        frequencyEdges = (0...bins).map { lo + (hi - lo) * Double($0) / Double(bins) }
        self.tags = tags
    }

    func bin(_ omega: Double) -> Int {
        let f = omega / (2 * Double.pi * 1e12), lo = frequencyEdges.first!, hi = frequencyEdges.last!
        let n = frequencyEdges.count - 1
        return min(n - 1, max(0, Int(((f - lo) / (hi - lo) * Double(n)).rounded(.down))))
    }

    /// Adds tags × bins power (W) of one region's event into `out`: every mode moving out of the region through a
    /// face counts (its ψ, and so S, may be negative where a region runs colder than the reference).
    func add(flux: [Double], region r: RunRegion, mesh: TetMesh, geometry: MeshGeometry, into out: inout [Double]) {
        let bins = frequencyEdges.count - 1
        let tagIndex = Dictionary(uniqueKeysWithValues: tags.enumerated().map { ($1, $0) })
        let nf = r.faces
        let modeBin = r.modes.omega.map(bin)
        for (lf, gf) in r.faceIndex.enumerated() {
            guard let ti = tagIndex[mesh.boundaryFaces[Int(gf)].tag] else { continue }
            let f = mesh.boundaryFaces[Int(gf)]
            let n = geometry.normal(Int(f.tet), Int(f.face))
            let a = n.norm
            for mu in 0..<r.modes.count where r.modes.velocity(mu).dot(n) > 0 {
                out[ti * bins + modeBin[mu]] += r.modes.volumeWeight[mu] * r.modes.energy(mu) * flux[mu * nf + lf] * a
            }
        }
    }

    /// Polar-angle bin edges (rad) of equal solid angle: uniform in cos θ from +1 to −1.
    static func polarEdges(_ n: Int) -> [Double] {
        (0...n).map { acos(max(-1, min(1, 1 - 2 * Double($0) / Double(n)))) }
    }

    /// Sub-triangles per face edge: each face spreads its power over 16 points by area, so that a bin sees many
    /// samples even where a few large faces cover it (one centroid per face left most bins with 0–3 samples).
    static let samplesPerEdge = 4

    /// Adds the power per steradian (W sr⁻¹) leaving one region through each face into polar × azimuth bins of
    /// equal solid angle, by the direction of each face sample from `center` (the angular surface map).
    func addAngular(
        flux: [Double], region r: RunRegion, mesh: TetMesh, geometry: MeshGeometry, center: Vector3,
        latitudes: Int, longitudes: Int, into out: inout [Double]
    ) {
        let nf = r.faces, k = Self.samplesPerEdge
        let perSteradian = Double(latitudes * longitudes) / (4 * Double.pi)
        // Centroids of the k² sub-triangles of the barycentric grid (upward and downward ones), equal in area.
        var samples: [(Double, Double, Double)] = []
        for i in 0..<k {
            for j in 0..<(k - i) {
                samples.append(((Double(i) + 1.0 / 3) / Double(k), (Double(j) + 1.0 / 3) / Double(k), 0))
                if i + j < k - 1 { samples.append(((Double(i) + 2.0 / 3) / Double(k), (Double(j) + 2.0 / 3) / Double(k), 0)) }
            }
        }
        let share = 1.0 / Double(samples.count)
        for (lf, gf) in r.faceIndex.enumerated() {
            let f = mesh.boundaryFaces[Int(gf)]
            let corners = TetMesh.faceCorners[Int(f.face)].map { mesh.node(mesh.corner(Int(f.tet), $0)) }
            let n = geometry.normal(Int(f.tet), Int(f.face))
            let a = n.norm
            var p = 0.0
            for mu in 0..<r.modes.count where r.modes.velocity(mu).dot(n) > 0 {
                p += r.modes.volumeWeight[mu] * r.modes.energy(mu) * flux[mu * nf + lf] * a
            }
            if p == 0 { continue }
            for (u, v, _) in samples {
                let x = corners[0] + u * (corners[1] - corners[0]) + v * (corners[2] - corners[0])
                let d = (x - center).normalized
                guard d.x.isFinite, d.y.isFinite, d.z.isFinite else { continue }
                let i = min(latitudes - 1, max(0, Int(((1 - max(-1, min(1, d.z))) / 2 * Double(latitudes)).rounded(.down))))
                let j = min(longitudes - 1, max(0, Int(((atan2(d.y, d.x) + Double.pi) / (2 * Double.pi) * Double(longitudes)).rounded(.down))))
                out[i * longitudes + j] += p * share * perSteradian
            }
        }
    }
}
