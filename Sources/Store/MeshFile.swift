import Model

/// Reads and writes the mesh layout of `Schema.mesh` (also embedded under /mesh in run files).
public enum MeshFile {
    public static func write(_ mesh: TetMesh, into g: HDF5Container, prefix: String = "") throws {
        let p = prefix
        try g.put("\(p)/nodes", mesh.nodes, shape: [mesh.nodeCount, 3], units: "m")
        try g.put("\(p)/tets", mesh.tets, shape: [mesh.tetCount, 4], units: "1")
        try g.put("\(p)/region", mesh.region, shape: [mesh.tetCount], units: "1")
        let bf = mesh.boundaryFaces
        try g.put("\(p)/boundary/tet", bf.map(\.tet), shape: [bf.count], units: "1")
        try g.put("\(p)/boundary/face", bf.map { Int32($0.face) }, shape: [bf.count], units: "1")
        try g.put("\(p)/boundary/tag", bf.map(\.tag), shape: [bf.count], units: "1")
        let rt = mesh.regionNames.keys.sorted(), bt = mesh.boundaryNames.keys.sorted()
        try g.put("\(p)/names/region_tag", rt, shape: [rt.count], units: "1")
        try g.put("\(p)/names/boundary_tag", bt, shape: [bt.count], units: "1")
        let names = try g.openGroup("\(p)/names")
        try names.setAttribute("region_name", rt.map { mesh.regionNames[$0]! })
        try names.setAttribute("boundary_name", bt.map { mesh.boundaryNames[$0]! })
    }

    public static func write(_ mesh: TetMesh, to path: String, provenance: Provenance) throws {
        try HDF5File.writeAtomically(path) { file in
            try provenance.write(to: file, filetype: Schema.mesh.filetype, version: Schema.mesh.version)
            try write(mesh, into: file)
        }
    }

    public static func read(from g: HDF5Container, prefix: String = "") throws -> TetMesh {
        let p = prefix
        let nodes = try g.get("\(p)/nodes", as: Double.self, units: "m")
        let tets = try g.get("\(p)/tets", as: Int32.self, units: "1")
        let region = try g.get("\(p)/region", as: Int32.self, units: "1")
        let bt = try g.get("\(p)/boundary/tet", as: Int32.self, units: "1")
        let bfc = try g.get("\(p)/boundary/face", as: Int32.self, units: "1")
        let btag = try g.get("\(p)/boundary/tag", as: Int32.self, units: "1")
        let faces = (0..<bt.count).map { TetMesh.BoundaryFace(tet: bt[$0], face: Int8(bfc[$0]), tag: btag[$0]) }
        let rt = try g.get("\(p)/names/region_tag", as: Int32.self, units: "1")
        let btags = try g.get("\(p)/names/boundary_tag", as: Int32.self, units: "1")
        let names = try g.openGroup("\(p)/names")
        let rn = try names.stringArrayAttribute("region_name"), bn = try names.stringArrayAttribute("boundary_name")
        return TetMesh(
            nodes: nodes, tets: tets, region: region, boundaryFaces: faces,
            regionNames: Dictionary(uniqueKeysWithValues: zip(rt, rn)),
            boundaryNames: Dictionary(uniqueKeysWithValues: zip(btags, bn)))
    }

    /// Opens, validates against the schema, and reads a mesh file.
    public static func read(path: String) throws -> TetMesh {
        try SchemaCheck.require(path: path, filetype: Schema.mesh.filetype)
        let file = try HDF5File.open(path)
        defer { try? file.close() }
        return try read(from: file)
    }
}

/// Refuses a file that does not validate, with every issue in the message.
public struct SchemaCheckError: Error, CustomStringConvertible {
    public var issues: [ValidationIssue]
    public init(issues: [ValidationIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

public enum SchemaCheck {
    public static func require(path: String, filetype: String) throws {
        let (schema, issues) = SchemaValidator.validate(path: path)
        if !issues.isEmpty { throw SchemaCheckError(issues: issues) }
        if schema?.filetype != filetype {
            throw SchemaCheckError(issues: [
                .init(
                    file: path, object: "/@filetype",
                    message: "expected a \(filetype) file, found \(schema?.filetype ?? "unknown")")
            ])
        }
    }
}
