import Model

/// What reading a mesh file found and changed, alongside the mesh itself.
public struct MeshIngestReport: Sendable, CustomStringConvertible {
    public var file: String
    public var formatVersion: String
    public var unit: MeshLengthUnit
    public var nodesInFile: Int
    /// Nodes not used by any tetrahedron (geometry points, curve nodes); dropped so every node has volume.
    public var unusedNodesDropped: Int
    public var tetrahedra: Int
    public var taggedTriangles: Int
    public var untaggedTrianglesIgnored: Int
    public var pointsAndLinesIgnored: Int
    /// Boundary-face entries on the outside of the mesh.
    public var boundaryFaces: Int
    /// Boundary-face entries on faces shared by two tetrahedra (each such face is listed once per side).
    public var interfaceFaces: Int
    /// Tetrahedra with negative signed volume, reoriented by swapping two corners.
    public var reorientedTets: Int
    public var minVolume: Double // m³
    public var maxVolume: Double // m³
    public var components: Int
    public var warnings: [String]
    public var quality: MeshQuality

    public var description: String {
        var out = "\(file): MSH \(formatVersion) ASCII, coordinates in \(unit.rawValue)\n"
        out +=
            "  read \(nodesInFile) nodes (\(unusedNodesDropped) unused dropped), \(tetrahedra) tetrahedra, "
            + "\(taggedTriangles) tagged triangles (\(untaggedTrianglesIgnored) untagged and \(pointsAndLinesIgnored) "
            + "points/lines ignored)\n"
        out +=
            "  \(boundaryFaces) boundary faces, \(interfaceFaces) interface face sides, \(components) connected "
            + "component\(components == 1 ? "" : "s")\n"
        out += "  \(reorientedTets) inverted tetrahedra reoriented; volume min \(minVolume) m³, max \(maxVolume) m³\n"
        for w in warnings { out += "  warning: \(w)\n" }
        return out + quality.description
    }
}

/// A mesh read from a file together with its report.
public struct MeshIngestResult: Sendable {
    public var mesh: TetMesh
    public var report: MeshIngestReport
}
