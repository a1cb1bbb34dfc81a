import Foundation
import Model

/// Summary of a tetrahedral mesh for `inspect`: sizes, regions, boundary and interface tags, element shape quality.
///
/// Shape quality is the normalized measure q = 6√2 V / l_rms³ (l_rms: root-mean-square edge length), 1 for a
/// regular tetrahedron and → 0 for slivers; it is scale-free, so meshes in any unit compare directly.
public struct MeshQuality: Sendable, CustomStringConvertible {
    public struct Region: Sendable, Equatable {
        public var tag: Int32
        public var name: String
        public var tetrahedra: Int
        public var volume: Double // m³
    }

    /// Faces carrying a boundary tag that lie on tetrahedra of one region.
    public struct Side: Sendable, Equatable {
        public var region: Int32
        public var faces: Int
        public var area: Double // m²
    }

    public struct Boundary: Sendable, Equatable {
        public var tag: Int32
        public var name: String
        public var faces: Int
        public var area: Double // m², summed over every side
        /// True when the tag lies between tetrahedra (an interface), not only on the outside of the mesh.
        public var isInterface: Bool
        public var sides: [Side]
    }

    public var nodes: Int
    public var tetrahedra: Int
    public var totalVolume: Double
    public var boundsMin: Vector3
    public var boundsMax: Vector3
    public var regions: [Region]
    public var boundaries: [Boundary]
    public var minQuality: Double
    public var meanQuality: Double
    public var worstTet: Int
    /// Tetrahedra with quality below 0.1 (slivers that slow or spoil the sweep).
    public var poorTets: Int

    public var interfaceTags: [Int32] { boundaries.filter(\.isInterface).map(\.tag) }

    public init(mesh: TetMesh, topology: MeshTopology? = nil) {
        let neighbor = (topology ?? MeshTopology(mesh: mesh)).neighbor
        self.init(mesh: mesh) { neighbor[$0] >= 0 }
    }

    /// `hasNeighbor(4t+f)`: whether another tetrahedron lies across local face f of t.
    init(mesh: TetMesh, hasNeighbor: (Int) -> Bool) {
        let nt = mesh.tetCount
        nodes = mesh.nodeCount
        tetrahedra = nt
        (boundsMin, boundsMax) = nt > 0 ? mesh.bounds : (.zero, .zero)
        var regionStats: [Int32: (Int, Double)] = [:]
        var minQ = Double.infinity, sumQ = 0.0, worst = -1, poor = 0, total = 0.0
        for t in 0..<nt {
            let v = abs(mesh.signedVolume(t))
            total += v
            regionStats[mesh.region[t], default: (0, 0)].0 += 1
            regionStats[mesh.region[t], default: (0, 0)].1 += v
            let q = Self.shapeQuality(of: mesh, tet: t)
            sumQ += q
            if q < minQ { minQ = q; worst = t }
            if q < 0.1 { poor += 1 }
        }
        totalVolume = total
        minQuality = nt > 0 ? minQ : 0
        meanQuality = nt > 0 ? sumQ / Double(nt) : 0
        worstTet = worst
        poorTets = poor
        regions = regionStats.keys.sorted().map { tag in
            Region(tag: tag, name: mesh.regionNames[tag] ?? "", tetrahedra: regionStats[tag]!.0, volume: regionStats[tag]!.1)
        }

        // A tag is an interface where its faces lie between tetrahedra: shared through nodes (a neighbour across
        // the face) or through duplicated nodes (another face with the same tag at the same position).
        var sides: [Int32: [Int32: (Int, Double)]] = [:]
        var interior: Set<Int32> = []
        var outerFaces: Set<PlacedFace> = []
        for bf in mesh.boundaryFaces {
            let t = Int(bf.tet), f = Int(bf.face)
            let c = TetMesh.faceCorners[f].map { mesh.node(mesh.corner(t, $0)) }
            if hasNeighbor(4 * t + f) {
                interior.insert(bf.tag)
            } else if !outerFaces.insert(PlacedFace(tag: bf.tag, corners: c)).inserted {
                interior.insert(bf.tag)
            }
            let area = 0.5 * (c[1] - c[0]).cross(c[2] - c[0]).norm
            sides[bf.tag, default: [:]][mesh.region[t], default: (0, 0)].0 += 1
            sides[bf.tag, default: [:]][mesh.region[t], default: (0, 0)].1 += area
        }
        boundaries = sides.keys.sorted().map { tag in
            let perRegion = sides[tag]!.keys.sorted().map { r in Side(region: r, faces: sides[tag]![r]!.0, area: sides[tag]![r]!.1) }
            return Boundary(
                tag: tag, name: mesh.boundaryNames[tag] ?? "",
                faces: perRegion.reduce(0) { $0 + $1.faces }, area: perRegion.reduce(0) { $0 + $1.area },
                isInterface: interior.contains(tag), sides: perRegion)
        }
    }

    /// A tagged face by the positions of its corners, in an order independent of the tetrahedron's.
    private struct PlacedFace: Hashable {
        let tag: Int32
        let a: Vector3, b: Vector3, c: Vector3
        init(tag: Int32, corners: [Vector3]) {
            let s = corners.sorted { ($0.x, $0.y, $0.z) < ($1.x, $1.y, $1.z) }
            self.tag = tag; a = s[0]; b = s[1]; c = s[2]
        }
    }

    /// 6√2 V / l_rms³ for tetrahedron `t`: 1 for a regular tetrahedron, 0 for a flat one.
    public static func shapeQuality(of mesh: TetMesh, tet t: Int) -> Double {
        let p0 = mesh.node(mesh.corner(t, 0)), p1 = mesh.node(mesh.corner(t, 1))
        let p2 = mesh.node(mesh.corner(t, 2)), p3 = mesh.node(mesh.corner(t, 3))
        func sq(_ e: Vector3) -> Double { e.dot(e) }
        let sumSq = sq(p1 - p0) + sq(p2 - p0) + sq(p3 - p0) + sq(p2 - p1) + sq(p3 - p1) + sq(p3 - p2)
        let lrms = (sumSq / 6).squareRoot()
        guard lrms > 0 else { return 0 }
        return 6 * 2.0.squareRoot() * abs(mesh.signedVolume(t)) / (lrms * lrms * lrms)
    }

    public static func shapeQualities(of mesh: TetMesh) -> [Double] {
        (0..<mesh.tetCount).map { shapeQuality(of: mesh, tet: $0) }
    }

    public var description: String {
        func g(_ x: Double) -> String { String(format: "%.4g", x) }
        func label(_ tag: Int32, _ name: String) -> String {
            let n = name.isEmpty ? "" : " \"\(name)\""
            return ("\(tag)\(n)" as String).padding(toLength: max(16, "\(tag)\(n)".count), withPad: " ", startingAt: 0)
        }
        var out =
            "mesh: \(nodes) nodes, \(tetrahedra) tetrahedra, \(regions.count) regions, "
            + "\(boundaries.count - interfaceTags.count) boundary tags, \(interfaceTags.count) interface tags\n"
        out +=
            "  bounds: x [\(g(boundsMin.x)), \(g(boundsMax.x))]  y [\(g(boundsMin.y)), \(g(boundsMax.y))]  "
            + "z [\(g(boundsMin.z)), \(g(boundsMax.z))] m\n"
        out += "  volume: \(g(totalVolume)) m³\n"
        out += "regions (physical volumes):\n"
        for r in regions { out += "  \(label(r.tag, r.name)) \(r.tetrahedra) tets, volume \(g(r.volume)) m³\n" }
        out += "boundaries (physical surfaces):\n"
        for b in boundaries where !b.isInterface { out += "  \(label(b.tag, b.name)) \(b.faces) faces, area \(g(b.area)) m²\n" }
        if !interfaceTags.isEmpty {
            out += "interfaces (tagged faces between tetrahedra, listed per side):\n"
            for b in boundaries where b.isInterface {
                let s = b.sides.map { "region \($0.region): \($0.faces) faces, \(g($0.area)) m²" }.joined(separator: "; ")
                out += "  \(label(b.tag, b.name)) \(s)\n"
            }
        }
        out +=
            "quality (6√2 V / l_rms³, 1 = regular): min \(String(format: "%.3f", minQuality))"
            + (worstTet >= 0 ? " (tet \(worstTet))" : "") + ", mean \(String(format: "%.3f", meanQuality)), "
            + "\(poorTets) below 0.1"
        return out
    }
}
