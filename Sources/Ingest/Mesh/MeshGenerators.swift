import Model

/// Structured and generated meshes. Slabs and boxes are `BoxMesh.make` (tags 1…6: xmin xmax ymin ymax zmin zmax).
public enum MeshGenerators {
    /// Boundary tag of the faces on both sides of a heterostructure's internal interface.
    public static let interfaceTag: Int32 = 7
    public static let interfaceName = "interface"

    /// Two boxes stacked along z, region 1 below `splitZ` and region 2 above, with `layers` cells along z in each.
    ///
    /// Interface nodes are duplicated, one copy per region at bit-identical positions, so the regions share no
    /// face: the solver couples them through the interface condition, pairing the faces tagged `interfaceTag`
    /// on either side by position. Outer sides carry BoxMesh's tags 1…6.
    public static func heterostructure(
        cells: (Int, Int), layers: (lower: Int, upper: Int), lengths: Vector3,
        splitZ: Double, origin: Vector3 = .zero,
        regionNames: (String, String) = ("lower", "upper")
    ) throws(MeshIngestError) -> TetMesh {
        let (nx, ny) = cells
        let top = origin.z + lengths.z
        guard nx > 0, ny > 0, layers.lower > 0, layers.upper > 0 else {
            throw MeshIngestError(
                .invalidArgument, file: "heterostructure",
                "expected positive cell counts, found \(nx)×\(ny) and layers \(layers.lower)+\(layers.upper)")
        }
        guard lengths.x > 0, lengths.y > 0, splitZ > origin.z, splitZ < top else {
            throw MeshIngestError(
                .invalidArgument, file: "heterostructure",
                "expected positive lengths and origin.z < splitZ < origin.z + lengths.z, found lengths "
                    + "(\(lengths.x), \(lengths.y), \(lengths.z)) and splitZ \(splitZ) in [\(origin.z), \(top)]")
        }
        var lower = BoxMesh.make(
            cells: (nx, ny, layers.lower), lengths: Vector3(lengths.x, lengths.y, splitZ - origin.z),
            origin: origin, regionName: regionNames.0)
        let upper = BoxMesh.make(
            cells: (nx, ny, layers.upper), lengths: Vector3(lengths.x, lengths.y, top - splitZ),
            origin: Vector3(origin.x, origin.y, splitZ), regionName: regionNames.1)
        // origin + L·n/n need not round back to splitZ; the upper copy starts exactly there, so snap the lower one.
        let tol = 1e-9 * lengths.z
        for i in 0..<lower.nodeCount where abs(lower.nodes[3 * i + 2] - splitZ) < tol { lower.nodes[3 * i + 2] = splitZ }

        let nodeOffset = Int32(lower.nodeCount), tetOffset = Int32(lower.tetCount)
        var faces: [TetMesh.BoundaryFace] = []
        faces.reserveCapacity(lower.boundaryFaces.count + upper.boundaryFaces.count)
        for bf in lower.boundaryFaces {
            faces.append(TetMesh.BoundaryFace(tet: bf.tet, face: bf.face, tag: bf.tag == 6 ? interfaceTag : bf.tag))
        }
        for bf in upper.boundaryFaces {
            faces.append(TetMesh.BoundaryFace(tet: bf.tet + tetOffset, face: bf.face, tag: bf.tag == 5 ? interfaceTag : bf.tag))
        }
        var names = Dictionary(uniqueKeysWithValues: BoxMesh.sideTags.map { ($0.tag, $0.name) })
        names[interfaceTag] = interfaceName
        return TetMesh(
            nodes: lower.nodes + upper.nodes, tets: lower.tets + upper.tets.map { $0 + nodeOffset },
            region: lower.region + [Int32](repeating: 2, count: upper.tetCount), boundaryFaces: faces,
            regionNames: [1: regionNames.0, 2: regionNames.1], boundaryNames: names)
    }

    /// As above with `cells.2` z cells shared between the layers in proportion to their thickness (at least one each).
    public static func heterostructure(
        cells: (Int, Int, Int), lengths: Vector3, splitZ: Double, origin: Vector3 = .zero,
        regionNames: (String, String) = ("lower", "upper")
    ) throws(MeshIngestError) -> TetMesh {
        let fraction = lengths.z > 0 ? (splitZ - origin.z) / lengths.z : 0.5
        let nz = max(cells.2, 2)
        let lowerCells = fraction.isFinite ? min(max(Int((Double(nz) * fraction).rounded()), 1), nz - 1) : 1
        return try heterostructure(
            cells: (cells.0, cells.1), layers: (lowerCells, nz - lowerCells), lengths: lengths,
            splitZ: splitZ, origin: origin, regionNames: regionNames)
    }
}
