/// MSH 2.2: `$Nodes` is `tag x y z` per line; `$Elements` is `tag type ntags tags… nodes…`, whose first tag is
/// the physical group (0 = none).
extension GmshParser {
    mutating func parseNodes22(_ section: MshScanner.Section) throws(MeshIngestError) {
        guard s.advanceNonBlank() else { throw s.error(.truncated, "unexpected end of file inside $Nodes: expected the node count") }
        try s.requireFields(1, "number of nodes")
        let n = try s.int(0, "number of nodes")
        try s.checkCount(n, minBytes: 8, "nodes", in: section)
        raw.coords.reserveCapacity(3 * n)
        raw.nodeTags.reserveCapacity(n)
        raw.nodeIndex.reserveCapacity(n)
        for k in 0..<n {
            try s.entry(k, of: n, "nodes", in: section)
            try s.requireFields(4, "node tag x y z")
            try addNode(
                tag: s.int(0, "node tag"), x: s.double(1, "x coordinate"), y: s.double(2, "y coordinate"),
                z: s.double(3, "z coordinate"))
        }
        try s.end(section, after: n, "nodes")
    }

    mutating func parseElements22(_ section: MshScanner.Section) throws(MeshIngestError) {
        guard s.advanceNonBlank() else { throw s.error(.truncated, "unexpected end of file inside $Elements: expected the element count") }
        try s.requireFields(1, "number of elements")
        let n = try s.int(0, "number of elements")
        try s.checkCount(n, minBytes: 8, "elements", in: section)
        for k in 0..<n {
            try s.entry(k, of: n, "elements", in: section)
            try s.requireFields(3, "element tag, type, number of tags", exact: false)
            let element = try s.int(0, "element tag")
            let type = try s.int(1, "element type")
            let ntags = try s.int(2, "number of tags")
            guard ntags >= 0 && ntags <= s.fields.count - 3 else {
                throw s.error(.syntax, "element \(element) declares \(ntags) tags but the line has \(s.fields.count - 3) fields after them")
            }
            let physical = ntags > 0 ? try s.int(3, "physical tag") : 0
            let first = 3 + ntags
            let kind = GmshElementType(type)
            let count: Int
            switch kind {
            case .tetrahedron: count = 4
            case .triangle: count = 3
            case .ignored(let nodes): count = nodes
            case .rejected(let why):
                throw MeshIngestError(.unsupportedElement, file: file, line: s.line, element: element, why)
            }
            guard s.fields.count == first + count else {
                throw s.error(
                    .syntax,
                    "element \(element) of type \(type) needs \(count) node tags after its \(ntags) tags, "
                        + "found \(s.fields.count - first)")
            }
            switch kind {
            case .tetrahedron:
                try addTet(
                    element: element, region: physical == 0 ? nil : physicalTag(physical),
                    nodes: nodes(from: first, count: 4, element: element))
            case .triangle:
                try addTriangle(
                    element: element, tag: physical == 0 ? nil : physicalTag(physical),
                    nodes: nodes(from: first, count: 3, element: element))
            default:
                raw.ignoredElements += 1
            }
        }
        try s.end(section, after: n, "elements")
    }
}
