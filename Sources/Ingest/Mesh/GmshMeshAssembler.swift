import Model

/// Turns parsed MSH content into a checked `TetMesh`: unused nodes dropped, units converted, tetrahedra
/// oriented positively, tagged triangles matched to tetrahedron faces, and the boundary, manifoldness and
/// connectivity verified.
struct GmshMeshAssembler {
    let raw: GmshRawMesh
    let file: String
    let unit: MeshLengthUnit
    let allowDisconnected: Bool

    struct FaceKey: Hashable {
        let a: Int32, b: Int32, c: Int32
        init(_ x: Int32, _ y: Int32, _ z: Int32) {
            // Sort three values without allocating.
            var (p, q, r) = (x, y, z)
            if p > q { swap(&p, &q) }
            if q > r { swap(&q, &r) }
            if p > q { swap(&p, &q) }
            a = p; b = q; c = r
        }
    }

    struct QuadKey: Hashable {
        let a: Int32, b: Int32, c: Int32, d: Int32
        init(_ w: Int32, _ x: Int32, _ y: Int32, _ z: Int32) {
            // Sorting network for four values.
            var (p, q, r, s) = (w, x, y, z)
            if p > q { swap(&p, &q) }
            if r > s { swap(&r, &s) }
            if p > r { swap(&p, &r) }
            if q > s { swap(&q, &s) }
            if q > r { swap(&q, &r) }
            a = p; b = q; c = r; d = s
        }
    }

    /// Up to two local faces `4t+f` holding the same three nodes.
    struct FaceSlot { var first: Int; var second: Int = -1 }

    func assemble() throws(MeshIngestError) -> (TetMesh, MeshIngestReport) {
        let nt = raw.tetRegion.count
        guard nt < Int(Int32.max) / 4 else {
            throw MeshIngestError(.tooLarge, file: file, "\(nt) tetrahedra exceed the \(Int32.max / 4) a TetMesh can index")
        }
        guard nt > 0 else {
            throw MeshIngestError(
                .emptyMesh, file: file,
                "no linear tetrahedra (type 4) in $Elements; expected a 3-D mesh "
                    + "(found \(raw.tris.count / 3 + raw.untaggedTriangles) triangles, \(raw.ignoredElements) points/lines)")
        }

        // Compact nodes to those used by tetrahedra, keeping file order.
        var newIndex = [Int32](repeating: -1, count: raw.nodeCount)
        for v in raw.tets { newIndex[Int(v)] = 0 }
        var nodes: [Double] = []
        var used = 0
        for i in 0..<raw.nodeCount where newIndex[i] == 0 {
            newIndex[i] = Int32(used)
            used += 1
            for d in 0..<3 { nodes.append(raw.coords[3 * i + d] * unit.metres) }
        }
        var fileNode = [Int](repeating: 0, count: used) // new index → position in raw
        for i in 0..<raw.nodeCount where newIndex[i] >= 0 { fileNode[Int(newIndex[i])] = i }
        var tets = raw.tets.map { newIndex[Int($0)] }

        let (reoriented, minV, maxV) = try orient(&tets, nodes: nodes, fileNode: fileNode)
        try rejectDuplicates(tets)
        let (slots, neighbor) = try faceSlots(tets, fileNode: fileNode)
        let (boundary, conflicts) = try matchTriangles(slots, newIndex: newIndex, fileNode: fileNode)
        var warnings = raw.warnings
        if let c = conflicts { warnings.append(c) }
        try rejectUntagged(boundary, neighbor: neighbor, tets: tets, fileNode: fileNode)
        let components = try checkConnectivity(neighbor, count: nt)

        var boundaryNames = raw.boundaryNames
        var regionNames = raw.regionNames
        for tag in Set(boundary.map(\.tag)) where boundaryNames[tag] == nil { boundaryNames[tag] = "surface\(tag)" }
        for tag in Set(raw.tetRegion) where regionNames[tag] == nil { regionNames[tag] = "volume\(tag)" }
        let mesh = TetMesh(
            nodes: nodes, tets: tets, region: raw.tetRegion, boundaryFaces: boundary,
            regionNames: regionNames, boundaryNames: boundaryNames)
        let interfaceFaces = boundary.reduce(0) { $0 + (neighbor[4 * Int($1.tet) + Int($1.face)] >= 0 ? 1 : 0) }
        let report = MeshIngestReport(
            file: file, formatVersion: raw.version, unit: unit, nodesInFile: raw.nodeCount,
            unusedNodesDropped: raw.nodeCount - used, tetrahedra: nt, taggedTriangles: raw.triTag.count,
            untaggedTrianglesIgnored: raw.untaggedTriangles, pointsAndLinesIgnored: raw.ignoredElements,
            boundaryFaces: boundary.count - interfaceFaces, interfaceFaces: interfaceFaces,
            reorientedTets: reoriented, minVolume: minV, maxVolume: maxV, components: components,
            warnings: warnings, quality: MeshQuality(mesh: mesh) { neighbor[$0] >= 0 })
        return (mesh, report)
    }

    // MARK: - Steps

    private func point(_ nodes: [Double], _ i: Int32) -> Vector3 {
        let k = 3 * Int(i)
        return Vector3(nodes[k], nodes[k + 1], nodes[k + 2])
    }

    private func describeNodes(_ idx: [Int32], fileNode: [Int]) -> String {
        idx.map { i -> String in
            let r = fileNode[Int(i)]
            return "\(raw.nodeTags[r]) at (\(raw.coords[3 * r]), \(raw.coords[3 * r + 1]), \(raw.coords[3 * r + 2]))"
        }.joined(separator: ", ")
    }

    /// Rejects degenerate tetrahedra and swaps two corners of inverted ones (gmsh orientation: V > 0).
    private func orient(_ tets: inout [Int32], nodes: [Double], fileNode: [Int]) throws(MeshIngestError)
        -> (reoriented: Int, minVolume: Double, maxVolume: Double)
    {
        var reoriented = 0
        var minV = Double.infinity, maxV = 0.0
        for t in 0..<tets.count / 4 {
            let p0 = point(nodes, tets[4 * t]), p1 = point(nodes, tets[4 * t + 1])
            let p2 = point(nodes, tets[4 * t + 2]), p3 = point(nodes, tets[4 * t + 3])
            let v = (p1 - p0).dot((p2 - p0).cross(p3 - p0)) / 6
            let meanEdge =
                ((p1 - p0).norm + (p2 - p0).norm + (p3 - p0).norm + (p2 - p1).norm + (p3 - p1).norm
                    + (p3 - p2).norm) / 6
            if !(abs(v) >= 1e-12 * meanEdge * meanEdge * meanEdge) || meanEdge == 0 {
                throw MeshIngestError(
                    .degenerate, file: file, line: raw.tetLine[t], element: raw.tetElement[t],
                    "degenerate tetrahedron: volume \(v) m³ is below 1e-12 × (mean edge \(meanEdge) m)³; "
                        + "nodes " + describeNodes(Array(tets[4 * t..<4 * t + 4]), fileNode: fileNode))
            }
            if v < 0 {
                tets.swapAt(4 * t + 1, 4 * t + 2)
                reoriented += 1
            }
            minV = min(minV, abs(v)); maxV = max(maxV, abs(v))
        }
        return (reoriented, minV, maxV)
    }

    /// A volume in two physical groups is written twice by MSH 2.2; that would double the mesh silently.
    private func rejectDuplicates(_ tets: [Int32]) throws(MeshIngestError) {
        var seen = [QuadKey: Int](minimumCapacity: tets.count / 4)
        for t in 0..<tets.count / 4 {
            if let first = seen.updateValue(t, forKey: QuadKey(tets[4 * t], tets[4 * t + 1], tets[4 * t + 2], tets[4 * t + 3])) {
                throw MeshIngestError(
                    .duplicateElement, file: file, line: raw.tetLine[t], element: raw.tetElement[t],
                    "tetrahedron has the same four nodes as element \(raw.tetElement[first]) "
                        + "(line \(raw.tetLine[first])); is its volume in two physical groups?")
            }
        }
    }

    private func faceSlots(_ tets: [Int32], fileNode: [Int]) throws(MeshIngestError) -> ([FaceKey: FaceSlot], [Int]) {
        let nt = tets.count / 4
        var slots = [FaceKey: FaceSlot](minimumCapacity: 2 * nt + 16)
        var neighbor = [Int](repeating: -1, count: 4 * nt)
        for t in 0..<nt {
            for f in 0..<4 {
                let c = TetMesh.faceCorners[f]
                let key = FaceKey(tets[4 * t + c[0]], tets[4 * t + c[1]], tets[4 * t + c[2]])
                let id = 4 * t + f
                // One hash per face: the default-subscript accessor mutates the slot in place.
                let (first, second) = Self.claim(&slots[key, default: FaceSlot(first: -1)], id)
                if second == id {
                    neighbor[id] = first / 4
                    neighbor[first] = t
                } else if second >= 0 {
                    throw MeshIngestError(
                        .nonManifold, file: file, line: raw.tetLine[t], element: raw.tetElement[t],
                        "face with nodes \(describeNodes([key.a, key.b, key.c], fileNode: fileNode)) "
                            + "is shared by three tetrahedra (also elements \(raw.tetElement[first / 4]) and "
                            + "\(raw.tetElement[second / 4])); expected at most two")
                }
            }
        }
        return (slots, neighbor)
    }

    /// Records local face `id` in `slot`; returns the slot's faces (second == id when `id` completed a pair).
    private static func claim(_ slot: inout FaceSlot, _ id: Int) -> (Int, Int) {
        if slot.first < 0 { slot.first = id; return (id, -1) }
        if slot.second < 0 { slot.second = id; return (slot.first, id) }
        return (slot.first, slot.second)
    }

    /// Each tagged triangle becomes a boundary face; on an interior face it tags both tetrahedra (an interface).
    private func matchTriangles(_ slots: [FaceKey: FaceSlot], newIndex: [Int32], fileNode: [Int]) throws(MeshIngestError)
        -> ([TetMesh.BoundaryFace], String?)
    {
        var faces: [TetMesh.BoundaryFace] = []
        faces.reserveCapacity(raw.triTag.count)
        var tagOf: [Int: Int32] = [:]
        var conflicts = 0
        var firstConflict = ""
        for k in 0..<raw.triTag.count {
            let v = (0..<3).map { newIndex[Int(raw.tris[3 * k + $0])] }
            let tag = raw.triTag[k]
            guard !v.contains(-1), let slot = slots[FaceKey(v[0], v[1], v[2])] else {
                let tags = (0..<3).map { raw.nodeTags[Int(raw.tris[3 * k + $0])] }
                throw MeshIngestError(
                    .unmatchedTriangle, file: file, line: raw.triLine[k], element: raw.triElement[k],
                    "triangle of physical surface \(tag) with nodes \(tags) is not a face of any "
                        + "tetrahedron; expected physical surfaces to lie on the meshed volumes")
            }
            for id in [slot.first, slot.second] where id >= 0 {
                if let existing = tagOf[id] {
                    if existing != tag {
                        if conflicts == 0 { firstConflict = "element \(raw.triElement[k]) (line \(raw.triLine[k])) tagged \(tag), kept \(existing)" }
                        conflicts += 1
                    }
                    continue
                }
                tagOf[id] = tag
                faces.append(TetMesh.BoundaryFace(tet: Int32(id / 4), face: Int8(id % 4), tag: tag))
            }
        }
        let warning =
            conflicts == 0
            ? nil
            : "\(conflicts) tetrahedron faces are in more than one physical surface; the first tag read wins (\(firstConflict))"
        return (faces, warning)
    }

    private func rejectUntagged(_ boundary: [TetMesh.BoundaryFace], neighbor: [Int], tets: [Int32], fileNode: [Int])
        throws(MeshIngestError)
    {
        var tagged = [Bool](repeating: false, count: neighbor.count)
        for bf in boundary { tagged[4 * Int(bf.tet) + Int(bf.face)] = true }
        var missing: [Int] = []
        var count = 0
        for id in 0..<neighbor.count where neighbor[id] < 0 && !tagged[id] {
            count += 1
            if missing.count < 3 { missing.append(id) }
        }
        guard count > 0 else { return }
        let examples = missing.map { id -> String in
            let t = id / 4
            let v = TetMesh.faceCorners[id % 4].map { tets[4 * t + $0] }
            return "face of element \(raw.tetElement[t]) with nodes \(describeNodes(v, fileNode: fileNode))"
        }
        throw MeshIngestError(
            .untaggedBoundary, file: file,
            "\(count) exterior faces have no physical surface tag; expected every boundary face in a "
                + "Physical Surface (first: " + examples.joined(separator: "; ") + ")")
    }

    /// Counts face-connected components; several are an error unless allowed (e.g. duplicated interface nodes).
    private func checkConnectivity(_ neighbor: [Int], count nt: Int) throws(MeshIngestError) -> Int {
        var parent = Array(0..<nt)
        func find(_ x: Int) -> Int {
            var r = x
            while parent[r] != r { r = parent[r] }
            var y = x
            while parent[y] != r { let next = parent[y]; parent[y] = r; y = next }
            return r
        }
        for id in 0..<neighbor.count where neighbor[id] >= 0 {
            let a = find(id / 4), b = find(neighbor[id])
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        var sizes: [Int: Int] = [:]
        var firsts: [Int] = []
        for t in 0..<nt {
            let r = find(t)
            if sizes[r] == nil { firsts.append(t) }
            sizes[r, default: 0] += 1
        }
        if firsts.count > 1 && !allowDisconnected {
            let shown = firsts.prefix(4)
            let parts = shown.map { "\(sizes[find($0)]!) tetrahedra from element \(raw.tetElement[$0])" }
            throw MeshIngestError(
                .disconnected, file: file,
                "mesh falls into \(firsts.count) parts not connected through shared faces ("
                    + parts.joined(separator: "; ") + (firsts.count > 4 ? "; …" : "")
                    + "); expected one connected mesh (touching volumes must share nodes: use Coherence or "
                    + "BooleanFragments), or allow disconnected meshes explicitly")
        }
        return firsts.count
    }
}
