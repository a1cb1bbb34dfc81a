import Model
import Config

/// Everything about one region's mesh that every mode's sweep shares: topology, geometry, and the boundary faces
/// with their corners, so boundary traces can be stored per (face, corner) with the exact face normal.
public struct SweepMesh: Sendable {
    public let mesh: TetMesh
    public let topology: MeshTopology
    public let geometry: MeshGeometry
    /// Global node of corner k of boundary face b: entry 3b + k.
    public let boundaryNode: [Int32]
    /// Tet-local corner of corner k of boundary face b: entry 3b + k.
    public let boundaryCorner: [Int8]

    public init(mesh: TetMesh) {
        self.mesh = mesh
        topology = MeshTopology(mesh: mesh)
        geometry = MeshGeometry(mesh: mesh, topology: topology)
        var bn = [Int32](), bc = [Int8]()
        for bf in mesh.boundaryFaces {
            for c in TetMesh.faceCorners[Int(bf.face)] {
                bc.append(Int8(c)); bn.append(mesh.tets[4 * Int(bf.tet) + c])
            }
        }
        boundaryNode = bn; boundaryCorner = bc
    }

    public var boundaryFaceCount: Int { mesh.boundaryFaces.count }
    public var nodeCount: Int { mesh.nodeCount }
    public var tetCount: Int { mesh.tetCount }

    /// Outward area-normal (m²) of boundary face b.
    @inlinable public func boundaryNormal(_ b: Int) -> Vector3 {
        let bf = mesh.boundaryFaces[b]
        return geometry.normal(Int(bf.tet), Int(bf.face))
    }
}
