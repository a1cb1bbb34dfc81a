/// Face adjacency of a tetrahedral mesh: which tetrahedron lies across each local face, and which boundary face
/// (if any) a local face is. Built once per mesh; everything the sweep needs besides geometry.
public struct MeshTopology: Sendable {
    /// Neighbour across local face `4t+f`, or −1 on the boundary.
    public let neighbor: [Int32]
    /// Index into `TetMesh.boundaryFaces` for local face `4t+f`, or −1 for interior faces.
    public let boundaryIndex: [Int32]
    /// For interior face `4t+f` and local corner `c ≠ f`, the corner of the neighbour holding the same node:
    /// entry `16t + 4f + c`; −1 where undefined.
    public let neighborCorner: [Int8]
    /// Local faces that lie on the boundary but carry no tag.
    public let untaggedBoundaryFaces: [(tet: Int, face: Int)]
    /// Faces shared by more than two tetrahedra (a non-manifold or duplicated mesh).
    public let overSharedFaces: Int

    public init(mesh: TetMesh) {
        let nt = mesh.tetCount
        var neighbor = [Int32](repeating: -1, count: 4 * nt)
        var bindex = [Int32](repeating: -1, count: 4 * nt)
        var ncorner = [Int8](repeating: -1, count: 16 * nt)
        struct Key: Hashable { let a: Int32, b: Int32, c: Int32 }
        func key(_ t: Int, _ f: Int) -> Key {
            var v = TetMesh.faceCorners[f].map { mesh.tets[4 * t + $0] }
            v.sort()
            return Key(a: v[0], b: v[1], c: v[2])
        }
        var open = [Key: Int](minimumCapacity: 2 * nt)
        var over = 0
        for t in 0..<nt {
            for f in 0..<4 {
                let k = key(t, f)
                if let other = open.removeValue(forKey: k) {
                    let (u, g) = (other / 4, other % 4)
                    if neighbor[4 * u + g] != -1 { over += 1; continue }
                    neighbor[4 * t + f] = Int32(u)
                    neighbor[4 * u + g] = Int32(t)
                    for c in TetMesh.faceCorners[f] {
                        let node = mesh.tets[4 * t + c]
                        for d in 0..<4 where mesh.tets[4 * u + d] == node { ncorner[16 * t + 4 * f + c] = Int8(d) }
                    }
                    for d in TetMesh.faceCorners[g] {
                        let node = mesh.tets[4 * u + d]
                        for c in 0..<4 where mesh.tets[4 * t + c] == node { ncorner[16 * u + 4 * g + d] = Int8(c) }
                    }
                } else {
                    open[k] = 4 * t + f
                }
            }
        }
        for (i, bf) in mesh.boundaryFaces.enumerated() { bindex[4 * Int(bf.tet) + Int(bf.face)] = Int32(i) }
        var untagged: [(Int, Int)] = []
        for t in 0..<nt { for f in 0..<4 where neighbor[4 * t + f] < 0 && bindex[4 * t + f] < 0 { untagged.append((t, f)) } }
        self.neighbor = neighbor
        self.boundaryIndex = bindex
        self.neighborCorner = ncorner
        self.untaggedBoundaryFaces = untagged
        self.overSharedFaces = over
    }
}
