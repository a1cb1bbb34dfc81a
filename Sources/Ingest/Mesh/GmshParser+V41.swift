/// MSH 4.1: nodes and elements come in blocks per geometric entity; an element's physical group is that of its
/// entity, listed in `$Entities`.
extension GmshParser {
    mutating func parseEntities(_ section: MshScanner.Section) throws(MeshIngestError) {
        guard s.advanceNonBlank() else { throw s.error(.truncated, "unexpected end of file inside $Entities: expected four counts") }
        try s.requireFields(4, "numPoints numCurves numSurfaces numVolumes")
        var counts: [Int] = []
        for (i, what) in ["points", "curves", "surfaces", "volumes"].enumerated() {
            let c = try s.int(i, "number of \(what)")
            try s.checkCount(c, minBytes: 10, what, in: section)
            counts.append(c)
        }
        let total = counts.reduce(0, +)
        var k = 0
        for dim in 0..<4 {
            for _ in 0..<counts[dim] {
                try s.entry(k, of: total, "entities", in: section)
                k += 1
                let tag = try s.int(0, "entity tag")
                // Points: tag x y z nPhys phys…; others: tag minX minY minZ maxX maxY maxZ nPhys phys… nBound bound…
                let physAt = dim == 0 ? 4 : 7
                try s.requireFields(physAt + 1, "entity of dimension \(dim)", exact: false)
                let nPhys = try s.int(physAt, "number of physical tags")
                // Counts are compared with what the line holds by subtraction: `physAt + 1 + nPhys` overflows for
                // a count near Int.max (found by make fuzz).
                guard nPhys >= 0 && nPhys <= s.fields.count - physAt - 1 else {
                    throw s.error(.syntax, "entity \(tag) declares \(nPhys) physical tags, found \(max(0, s.fields.count - physAt - 1)) fields")
                }
                var phys: [Int] = []
                for i in 0..<nPhys { phys.append(try s.int(physAt + 1 + i, "physical tag")) }
                if dim > 0 {
                    let boundAt = physAt + 1 + nPhys
                    let nBound = try s.int(boundAt, "number of bounding entities")
                    guard nBound == s.fields.count - boundAt - 1 else {
                        throw s.error(.syntax, "entity \(tag) declares \(nBound) bounding entities, found \(s.fields.count - boundAt - 1)")
                    }
                } else {
                    try s.requireFields(5 + nPhys, "point entity: tag x y z nPhys phys…")
                }
                if dim == 2 { surfacePhysicals[tag] = phys }
                if dim == 3 { volumePhysicals[tag] = phys }
            }
        }
        try s.end(section, after: total, "entities")
        entitiesLine = section.line
    }

    mutating func parseNodes41(_ section: MshScanner.Section) throws(MeshIngestError) {
        guard s.advanceNonBlank() else { throw s.error(.truncated, "unexpected end of file inside $Nodes: expected its header") }
        try s.requireFields(4, "numEntityBlocks numNodes minNodeTag maxNodeTag")
        let blocks = try s.int(0, "number of entity blocks")
        let n = try s.int(1, "number of nodes")
        _ = try s.int(2, "minimum node tag")
        _ = try s.int(3, "maximum node tag")
        try s.checkCount(blocks, minBytes: 8, "entity blocks", in: section)
        try s.checkCount(n, minBytes: 8, "nodes", in: section)
        raw.coords.reserveCapacity(3 * n)
        raw.nodeTags.reserveCapacity(n)
        raw.nodeIndex.reserveCapacity(n)
        var read = 0
        var tags: [Int] = []
        for b in 0..<blocks {
            try s.entry(b, of: blocks, "entity blocks", in: section)
            try s.requireFields(4, "entityDim entityTag parametric numNodesInBlock")
            let blockLine = s.line
            let dim = try s.int(0, "entity dimension")
            let entity = try s.int(1, "entity tag")
            let parametric = try s.int(2, "parametric flag")
            let m = try s.int(3, "number of nodes in block")
            guard (0...3).contains(dim), parametric == 0 || parametric == 1 else {
                throw s.error(.syntax, "expected entity dimension 0…3 and parametric flag 0 or 1, found \(dim) and \(parametric)")
            }
            try s.checkCount(m, minBytes: 8, "nodes in the block of entity \(entity)", in: section)
            guard read + m <= n else {
                throw s.error(.count, "$Nodes block declares \(n) nodes, but its entity blocks hold at least \(read + m)")
            }
            let blockSection = MshScanner.Section(name: "$Nodes", line: blockLine)
            tags.removeAll(keepingCapacity: true)
            for k in 0..<m {
                try s.entry(k, of: m, "node tags (entity block at line \(blockLine))", in: blockSection)
                guard s.fields.count == 1 else {
                    throw s.error(
                        .count,
                        "entity block at line \(blockLine) declares \(m) nodes; expected node tag \(k + 1) "
                            + "of \(m) on this line, found '\(s.lineText)'")
                }
                tags.append(try s.int(0, "node tag"))
            }
            let width = 3 + (parametric == 1 ? dim : 0)
            for k in 0..<m {
                try s.entry(k, of: m, "node coordinates (entity block at line \(blockLine))", in: blockSection)
                guard s.fields.count == width else {
                    throw s.error(
                        .count,
                        "entity block at line \(blockLine) declares \(m) nodes; expected coordinates of node "
                            + "\(tags[k]) (\(width) numbers), found '\(s.lineText)'")
                }
                try addNode(
                    tag: tags[k], x: s.double(0, "x coordinate"), y: s.double(1, "y coordinate"),
                    z: s.double(2, "z coordinate"))
            }
            read += m
        }
        guard read == n else {
            throw s.error(.count, "$Nodes block declares \(n) nodes, but its \(blocks) entity blocks hold \(read)")
        }
        try s.end(section, after: n, "nodes")
    }

    mutating func parseElements41(_ section: MshScanner.Section) throws(MeshIngestError) {
        guard entitiesLine != nil else {
            throw s.error(
                .syntax,
                "MSH 4.1 $Elements without a preceding $Entities section; expected $Entities, which "
                    + "maps elements to physical groups")
        }
        guard s.advanceNonBlank() else { throw s.error(.truncated, "unexpected end of file inside $Elements: expected its header") }
        try s.requireFields(4, "numEntityBlocks numElements minElementTag maxElementTag")
        let blocks = try s.int(0, "number of entity blocks")
        let n = try s.int(1, "number of elements")
        _ = try s.int(2, "minimum element tag")
        _ = try s.int(3, "maximum element tag")
        try s.checkCount(blocks, minBytes: 8, "entity blocks", in: section)
        try s.checkCount(n, minBytes: 4, "elements", in: section)
        var read = 0
        for b in 0..<blocks {
            try s.entry(b, of: blocks, "entity blocks", in: section)
            try s.requireFields(4, "entityDim entityTag elementType numElementsInBlock")
            let blockLine = s.line
            let dim = try s.int(0, "entity dimension")
            let entity = try s.int(1, "entity tag")
            let type = try s.int(2, "element type")
            let m = try s.int(3, "number of elements in block")
            try s.checkCount(m, minBytes: 4, "elements in the block of entity \(entity)", in: section)
            guard read + m <= n else {
                throw s.error(.count, "$Elements block declares \(n) elements, but its entity blocks hold at least \(read + m)")
            }
            let kind = GmshElementType(type)
            let count: Int
            var tag: Int32? = nil
            switch kind {
            case .tetrahedron:
                count = 4
                let phys = dim == 3 ? volumePhysicals[entity] ?? [] : []
                if phys.count > 1 {
                    throw s.error(
                        .ambiguousPhysicalTag,
                        "volume \(entity) belongs to \(phys.count) physical volumes "
                            + "\(phys); expected exactly one (a tetrahedron has one region)")
                }
                if let p = phys.first { tag = try physicalTag(p) }
            case .triangle:
                count = 3
                let phys = dim == 2 ? surfacePhysicals[entity] ?? [] : []
                if phys.count > 1 {
                    raw.warnings.append("surface \(entity) belongs to physical surfaces \(phys); its faces carry only the first, \(phys[0])")
                }
                if let p = phys.first { tag = try physicalTag(p) }
            case .ignored(let nodes): count = nodes
            case .rejected(let why): throw s.error(.unsupportedElement, why)
            }
            let blockSection = MshScanner.Section(name: "$Elements", line: blockLine)
            for k in 0..<m {
                try s.entry(k, of: m, "elements (entity block at line \(blockLine))", in: blockSection)
                guard s.fields.count == 1 + count else {
                    throw s.error(
                        .count,
                        "entity block at line \(blockLine) declares \(m) elements of type \(type); expected "
                            + "element \(k + 1) of \(m) as a tag and \(count) node tags, found '\(s.lineText)'")
                }
                let element = try s.int(0, "element tag")
                switch kind {
                case .tetrahedron: try addTet(element: element, region: tag, nodes: nodes(from: 1, count: 4, element: element))
                case .triangle: addTriangle(element: element, tag: tag, nodes: try nodes(from: 1, count: 3, element: element))
                default: raw.ignoredElements += 1
                }
            }
            read += m
        }
        guard read == n else {
            throw s.error(.count, "$Elements block declares \(n) elements, but its \(blocks) entity blocks hold \(read)")
        }
        try s.end(section, after: n, "elements")
    }
}
