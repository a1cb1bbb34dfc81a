/// A mesh of linear tetrahedra with material regions and tagged boundary faces. Lengths in metres.
///
/// Local face `f` of a tetrahedron is the face opposite its corner `f` (corners `TetMesh.faceCorners[f]`).
public struct TetMesh: Sendable, Equatable {
    public var nodes: [Double] // 3 per node, x y z interleaved
    public var tets: [Int32] // 4 node indices per tetrahedron
    public var region: [Int32] // physical volume tag per tetrahedron
    public var boundaryFaces: [BoundaryFace]
    public var regionNames: [Int32: String]
    public var boundaryNames: [Int32: String]

    public struct BoundaryFace: Sendable, Equatable, Hashable {
        public var tet: Int32
        public var face: Int8
        public var tag: Int32
        public init(tet: Int32, face: Int8, tag: Int32) { self.tet = tet; self.face = face; self.tag = tag }
    }

    public static let faceCorners: [[Int]] = [[1, 2, 3], [0, 2, 3], [0, 1, 3], [0, 1, 2]]

    public init(
        nodes: [Double], tets: [Int32], region: [Int32], boundaryFaces: [BoundaryFace],
        regionNames: [Int32: String] = [:], boundaryNames: [Int32: String] = [:]
    ) {
        self.nodes = nodes; self.tets = tets; self.region = region
        self.boundaryFaces = boundaryFaces
        self.regionNames = regionNames; self.boundaryNames = boundaryNames
    }

    public var nodeCount: Int { nodes.count / 3 }
    public var tetCount: Int { tets.count / 4 }

    @inlinable public func node(_ i: Int) -> Vector3 { Vector3(nodes[3 * i], nodes[3 * i + 1], nodes[3 * i + 2]) }
    @inlinable public func corner(_ t: Int, _ c: Int) -> Int { Int(tets[4 * t + c]) }

    /// Signed volume (positive for gmsh's orientation: corners 1,2,3 counter-clockwise seen from corner 0).
    public func signedVolume(_ t: Int) -> Double {
        let p0 = node(corner(t, 0))
        let a = node(corner(t, 1)) - p0, b = node(corner(t, 2)) - p0, c = node(corner(t, 3)) - p0
        return a.dot(b.cross(c)) / 6
    }

    public var boundaryTags: [Int32] { Array(Set(boundaryFaces.map(\.tag))).sorted() }
    public var regionTags: [Int32] { Array(Set(region)).sorted() }

    /// Axis-aligned bounding box (min, max).
    public var bounds: (Vector3, Vector3) {
        var lo = Vector3(.infinity, .infinity, .infinity), hi = -lo
        for i in 0..<nodeCount {
            let p = node(i)
            lo = Vector3(min(lo.x, p.x), min(lo.y, p.y), min(lo.z, p.z))
            hi = Vector3(max(hi.x, p.x), max(hi.y, p.y), max(hi.z, p.z))
        }
        return (lo, hi)
    }
}
