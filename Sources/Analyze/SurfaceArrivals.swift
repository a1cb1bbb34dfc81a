import Foundation
import Model
import Store

/// Power arriving at each boundary tag per event, binned by phonon frequency (the energy × event map), from the
/// stored face-mean fluxes S = (v·n)ψ: power = Σ ρħω S A over faces where S > 0.
struct SurfaceArrivals {
    let frequencyEdges: [Double]   // THz
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

    /// Adds the power leaving one region through each face into latitude × longitude bins of the face centroid's
    /// direction from `center` (the angular surface map).
    func addAngular(flux: [Double], region r: RunRegion, mesh: TetMesh, geometry: MeshGeometry, center: Vector3,
                    latitudes: Int, longitudes: Int, into out: inout [Double]) {
        let nf = r.faces
        for (lf, gf) in r.faceIndex.enumerated() {
            let f = mesh.boundaryFaces[Int(gf)]
            let c = (1.0 / 3) * TetMesh.faceCorners[Int(f.face)].reduce(Vector3.zero) { $0 + mesh.node(mesh.corner(Int(f.tet), $1)) }
            let d = (c - center).normalized
            let lat = asin(max(-1, min(1, d.z))), lon = atan2(d.y, d.x)
            let i = min(latitudes - 1, Int(((lat + Double.pi / 2) / Double.pi * Double(latitudes)).rounded(.down)))
            let j = min(longitudes - 1, Int(((lon + Double.pi) / (2 * Double.pi) * Double(longitudes)).rounded(.down)))
            let n = geometry.normal(Int(f.tet), Int(f.face))
            let a = n.norm
            var p = 0.0
            for mu in 0..<r.modes.count where r.modes.velocity(mu).dot(n) > 0 {
                p += r.modes.volumeWeight[mu] * r.modes.energy(mu) * flux[mu * nf + lf] * a
            }
            out[i * longitudes + j] += p
        }
    }
}
