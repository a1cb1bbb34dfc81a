/// Reads the sections of an ASCII MSH 2.2 or 4.1 file into a `GmshRawMesh`; version-specific sections live in
/// GmshParser+V22.swift and GmshParser+V41.swift.
struct GmshParser {
    enum Version { case v22, v41 }

    var s: MshScanner
    var raw = GmshRawMesh()
    var version = Version.v41
    var nodesLine: Int?
    var elementsLine: Int?
    /// MSH 4.1: physical tags of each surface / volume entity, from $Entities.
    var surfacePhysicals: [Int: [Int]] = [:]
    var volumePhysicals: [Int: [Int]] = [:]
    var entitiesLine: Int?

    init(bytes: [UInt8], file: String) {
        s = MshScanner(bytes: bytes, file: file)
    }

    var file: String { s.file }

    mutating func parse() throws(MeshIngestError) -> GmshRawMesh {
        guard s.advanceNonBlank() else { throw MeshIngestError(.emptyMesh, file: file, "file is empty; expected an MSH mesh") }
        guard s.fields.count == 1 && s.text(0) == "$MeshFormat" else {
            throw s.error(.syntax, "expected $MeshFormat (is this a gmsh .msh file?), found '\(s.lineText)'")
        }
        try parseMeshFormat(MshScanner.Section(name: "$MeshFormat", line: s.line))
        while s.advanceNonBlank() {
            guard s.fields.count == 1 && s.isSectionMarker else {
                throw s.error(.syntax, "expected a section header such as $Nodes or $Elements, found '\(s.lineText)'")
            }
            let name = s.text(0)
            let section = MshScanner.Section(name: name, line: s.line)
            switch name {
            case "$PhysicalNames": try parsePhysicalNames(section)
            case "$Entities" where version == .v41: try parseEntities(section)
            case "$Nodes":
                if let first = nodesLine { throw s.error(.syntax, "second $Nodes section (the first is at line \(first))") }
                nodesLine = s.line
                if version == .v22 { try parseNodes22(section) } else { try parseNodes41(section) }
            case "$Elements":
                if let first = elementsLine { throw s.error(.syntax, "second $Elements section (the first is at line \(first))") }
                guard nodesLine != nil else { throw s.error(.syntax, "$Elements before $Nodes; expected $Nodes first") }
                elementsLine = s.line
                if version == .v22 { try parseElements22(section) } else { try parseElements41(section) }
            case "$PartitionedEntities":
                throw s.error(
                    .unsupportedVersion,
                    "partitioned meshes are not supported; expected an unpartitioned mesh "
                        + "(re-save without Mesh.PartitionSplitMeshFiles / partitioning)")
            case "$MeshFormat":
                throw s.error(.syntax, "second $MeshFormat section; expected one per file")
            default:
                if name.hasPrefix("$End") { throw s.error(.syntax, "\(name) without a matching opening section") }
                try s.skip(section)
            }
        }
        guard nodesLine != nil else { throw s.error(.truncated, "file ends without a $Nodes section") }
        guard elementsLine != nil else { throw s.error(.truncated, "file ends without an $Elements section") }
        return raw
    }

    private mutating func parseMeshFormat(_ section: MshScanner.Section) throws(MeshIngestError) {
        guard s.advanceNonBlank() else {
            throw s.error(.truncated, "unexpected end of file inside $MeshFormat: expected 'version file-type data-size'")
        }
        try s.requireFields(3, "version file-type data-size")
        let v = s.text(0)
        switch v {
        case "2.2": version = .v22
        case "4.1": version = .v41
        default:
            let found = Double(v) == nil ? "'\(MshScanner.printable(s.bytes[s.fields[0]], limit: 20))'" : v
            throw s.error(
                .unsupportedVersion,
                "MSH format version \(found) is not supported; expected 2.2 or 4.1 "
                    + "(convert with: gmsh in.msh -0 -format msh41 -o out.msh)")
        }
        raw.version = v
        let fileType = try s.int(1, "file-type")
        if fileType == 1 {
            throw s.error(
                .binary,
                "binary MSH (file-type 1) is not supported; expected ASCII (file-type 0): "
                    + "re-save without -bin / Mesh.Binary = 0")
        }
        guard fileType == 0 else { throw s.error(.syntax, "expected file-type 0 (ASCII), found \(fileType)") }
        _ = try s.int(2, "data-size")
        try s.end(section, after: 1, "lines")
    }

    private mutating func parsePhysicalNames(_ section: MshScanner.Section) throws(MeshIngestError) {
        guard s.advanceNonBlank() else { throw s.error(.truncated, "unexpected end of file inside $PhysicalNames: expected a count") }
        try s.requireFields(1, "number of physical names")
        let n = try s.int(0, "number of physical names")
        try s.checkCount(n, minBytes: 7, "physical names", in: section)
        for k in 0..<n {
            try s.entry(k, of: n, "physical names", in: section)
            try s.requireFields(3, "dimension tag \"name\"", exact: false)
            let dim = try s.int(0, "dimension")
            let tag = try physicalTag(s.int(1, "physical tag"))
            var name = String(decoding: s.bytes[s.fields[2].lowerBound..<s.lineRange.upperBound], as: UTF8.self)
            while let last = name.last, last == " " || last == "\t" || last == "\r" { name.removeLast() }
            if name.count >= 2 && name.first == "\"" && name.last == "\"" { name = String(name.dropFirst().dropLast()) }
            switch dim {
            case 3: raw.regionNames[tag] = name
            case 2: raw.boundaryNames[tag] = name
            case 0, 1: break
            default: throw s.error(.syntax, "expected physical dimension 0…3, found \(dim)")
            }
        }
        try s.end(section, after: n, "physical names")
    }

    // MARK: - Shared by both versions

    /// Physical tags are positive and stored as Int32.
    func physicalTag(_ v: Int) throws(MeshIngestError) -> Int32 {
        guard v > 0 && v <= Int(Int32.max) else { throw s.error(.syntax, "expected a positive physical tag, found \(v)") }
        return Int32(v)
    }

    mutating func addNode(tag: Int, x: Double, y: Double, z: Double) throws(MeshIngestError) {
        guard raw.nodeCount < Int(Int32.max) else { throw s.error(.tooLarge, "more than \(Int32.max) nodes") }
        let index = Int32(raw.nodeCount)
        if raw.nodeIndex.updateValue(index, forKey: tag) != nil {
            throw s.error(.syntax, "node tag \(tag) appears twice in $Nodes; expected unique node tags")
        }
        raw.nodeTags.append(tag)
        raw.coords.append(x); raw.coords.append(y); raw.coords.append(z)
    }

    /// Resolves the node tags in fields `first..<first+count` of the current line.
    func nodes(from first: Int, count: Int, element: Int) throws(MeshIngestError) -> (Int32, Int32, Int32, Int32) {
        var v: (Int32, Int32, Int32, Int32) = (0, 0, 0, 0)
        for i in 0..<count {
            let tag = try s.int(first + i, "node tag")
            guard let index = raw.nodeIndex[tag] else {
                throw MeshIngestError(
                    .unknownNode, file: file, line: s.line, element: element,
                    "refers to node \(tag), which is not in $Nodes")
            }
            switch i {
            case 0: v.0 = index;
            case 1: v.1 = index;
            case 2: v.2 = index;
            default: v.3 = index
            }
        }
        return v
    }

    mutating func addTet(element: Int, region: Int32?, nodes v: (Int32, Int32, Int32, Int32)) throws(MeshIngestError) {
        guard let region else {
            throw MeshIngestError(
                .missingPhysicalTag, file: file, line: s.line, element: element,
                "tetrahedron has no physical volume tag; expected every meshed volume in a "
                    + "Physical Volume (the region it belongs to)")
        }
        raw.tets += [v.0, v.1, v.2, v.3]
        raw.tetRegion.append(region)
        raw.tetElement.append(element)
        raw.tetLine.append(s.line)
    }

    mutating func addTriangle(element: Int, tag: Int32?, nodes v: (Int32, Int32, Int32, Int32)) {
        guard let tag else { raw.untaggedTriangles += 1; return }
        raw.tris += [v.0, v.1, v.2]
        raw.triTag.append(tag)
        raw.triElement.append(element)
        raw.triLine.append(s.line)
    }
}
