/// Structured tetrahedral meshes of boxes: each cell is split into six Kuhn tetrahedra sharing the main diagonal,
/// which tile conformingly. Boundary faces are tagged by side.
public enum BoxMesh {
    public static let sideTags: [(tag: Int32, name: String)] = [
        (1, "xmin"), (2, "xmax"), (3, "ymin"), (4, "ymax"), (5, "zmin"), (6, "zmax")
    ]

    /// The tag of the walls of cells removed from a box (`make(…, removing:)`): a pore's surface.
    public static let poreTag: (tag: Int32, name: String) = (7, "pore")

    /// A box [origin, origin+lengths] with n cells per axis; region tag 1 named `regionName`. Cells for which
    /// `removing(i, j, k)` holds are left out (the nodes only they used too): the faces they leave open are tagged
    /// `poreTag`, a hole's wall.
    public static func make(
        cells n: (Int, Int, Int), lengths: Vector3, origin: Vector3 = .zero,
        regionName: String = "bulk", removing: ((Int, Int, Int)) -> Bool = { _ in false }
    ) -> TetMesh {
        let (nx, ny, nz) = n
        precondition(nx > 0 && ny > 0 && nz > 0)
        func id(_ i: Int, _ j: Int, _ k: Int) -> Int32 { Int32((k * (ny + 1) + j) * (nx + 1) + i) }
        var nodes: [Double] = []
        nodes.reserveCapacity(3 * (nx + 1) * (ny + 1) * (nz + 1))
        for k in 0...nz {
            for j in 0...ny {
                for i in 0...nx {
                    nodes += [
                        origin.x + lengths.x * Double(i) / Double(nx),
                        origin.y + lengths.y * Double(j) / Double(ny),
                        origin.z + lengths.z * Double(k) / Double(nz)
                    ]
                }
            }
        }
        let perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
        var tets: [Int32] = []
        tets.reserveCapacity(24 * nx * ny * nz)
        for k in 0..<nz {
            for j in 0..<ny {
                for i in 0..<nx where !removing((i, j, k)) {
                    for p in perms {
                        var c = [i, j, k]
                        var corners = [id(c[0], c[1], c[2])]
                        for axis in p { c[axis] += 1; corners.append(id(c[0], c[1], c[2])) }
                        // Orient positively (gmsh convention).
                        let t = corners
                        let p0 = point(nodes, t[0]), a = point(nodes, t[1]) - p0, b = point(nodes, t[2]) - p0, d = point(nodes, t[3]) - p0
                        tets += a.dot(b.cross(d)) > 0 ? t : [t[0], t[2], t[1], t[3]]
                    }
                }
            }
        }
        // Nodes that only removed cells used go, the rest keep their order.
        var renumber = [Int32](repeating: -1, count: nodes.count / 3)
        for c in tets { renumber[Int(c)] = 0 }
        var kept: [Double] = [], next: Int32 = 0
        kept.reserveCapacity(nodes.count)
        for i in renumber.indices where renumber[i] == 0 {
            renumber[i] = next; next += 1
            kept += nodes[(3 * i)..<(3 * i + 3)]
        }
        let compact = tets.map { renumber[Int($0)] }
        let region = [Int32](repeating: 1, count: compact.count / 4)
        var names = Dictionary(uniqueKeysWithValues: sideTags.map { ($0.tag, $0.name) })
        var mesh = TetMesh(
            nodes: kept, tets: compact, region: region, boundaryFaces: [],
            regionNames: [1: regionName], boundaryNames: names)
        let lo = origin, hi = origin + lengths
        let tol = 1e-9 * max(lengths.x, lengths.y, lengths.z)
        let topo = MeshTopology(mesh: mesh)
        var faces: [TetMesh.BoundaryFace] = []
        for t in 0..<mesh.tetCount {
            for f in 0..<4 where topo.neighbor[4 * t + f] < 0 {
                let pts = TetMesh.faceCorners[f].map { mesh.node(mesh.corner(t, $0)) }
                var side: Int32? = nil
                for axis in 0..<3 {
                    if pts.allSatisfy({ abs($0[axis] - lo[axis]) < tol }) { side = Int32(2 * axis + 1) }
                    if pts.allSatisfy({ abs($0[axis] - hi[axis]) < tol }) { side = Int32(2 * axis + 2) }
                }
                faces.append(.init(tet: Int32(t), face: Int8(f), tag: side ?? poreTag.tag))
            }
        }
        if faces.contains(where: { $0.tag == poreTag.tag }) { names[poreTag.tag] = poreTag.name }
        mesh.boundaryNames = names
        mesh.boundaryFaces = faces
        return mesh
    }

    private static func point(_ nodes: [Double], _ i: Int32) -> Vector3 {
        let k = 3 * Int(i)
        return Vector3(nodes[k], nodes[k + 1], nodes[k + 2])
    }

    /// A periodic cell of a porous film: a square cell of side `lengths.x = lengths.y`, n × n cells in plane and
    /// `layers` along z, with a centred square pore through the whole thickness whose side is `poreCells` cells.
    /// Porosity (poreCells/n)²; the pore walls are tagged `poreTag`.
    public static func porousCell(cells n: Int, poreCells p: Int, layers: Int, lengths: Vector3, regionName: String = "bulk") -> TetMesh {
        precondition(p >= 0 && p < n && (n - p) % 2 == 0, "a centred pore needs n − p even and p < n")
        let a = (n - p) / 2, b = a + p
        return make(cells: (n, n, layers), lengths: lengths, regionName: regionName) { (i, j, _) in
            i >= a && i < b && j >= a && j < b
        }
    }
}
