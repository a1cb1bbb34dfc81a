/// One material region of a mesh as a mesh of its own: its tetrahedra, the nodes they use (renumbered), and the
/// boundary faces on them, interface faces included. Interfaces between regions must have duplicated nodes (each
/// region its own copies), which the generators and gmsh meshes with a physical interface surface provide.
public struct Submesh: Sendable {
    public let region: Int32
    public let mesh: TetMesh
    /// Global node index of each local node.
    public let globalNode: [Int32]
    /// Global tetrahedron index of each local tetrahedron.
    public let globalTet: [Int32]

    public init(of parent: TetMesh, region r: Int32) {
        region = r
        var localOfNode = [Int32](repeating: -1, count: parent.nodeCount)
        var localOfTet = [Int32](repeating: -1, count: parent.tetCount)
        var nodes: [Double] = [], tets: [Int32] = [], gNode: [Int32] = [], gTet: [Int32] = []
        for t in 0..<parent.tetCount where parent.region[t] == r {
            localOfTet[t] = Int32(gTet.count)
            gTet.append(Int32(t))
            for c in 0..<4 {
                let n = parent.corner(t, c)
                if localOfNode[n] < 0 {
                    localOfNode[n] = Int32(gNode.count)
                    gNode.append(Int32(n))
                    nodes += [parent.nodes[3 * n], parent.nodes[3 * n + 1], parent.nodes[3 * n + 2]]
                }
                tets.append(localOfNode[n])
            }
        }
        let faces = parent.boundaryFaces.compactMap { f -> TetMesh.BoundaryFace? in
            let lt = localOfTet[Int(f.tet)]
            return lt >= 0 ? TetMesh.BoundaryFace(tet: lt, face: f.face, tag: f.tag) : nil
        }
        mesh = TetMesh(
            nodes: nodes, tets: tets, region: [Int32](repeating: r, count: gTet.count), boundaryFaces: faces,
            regionNames: parent.regionNames.filter { $0.key == r }, boundaryNames: parent.boundaryNames)
        globalNode = gNode
        globalTet = gTet
    }
}
