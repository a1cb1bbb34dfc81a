import Foundation
import Model
import XCTest
@testable import Ingest

/// Sample meshes and helpers shared by the mesh tests.
enum MeshFixtures {
    /// data/meshes, found from this file whether it is compiled in place or through a symlinked test package.
    static var meshesDirectory: URL {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().resolvingSymlinksInPath()
        var dir = here
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("data/meshes")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("cube6.msh").path) { return candidate }
            dir.deleteLastPathComponent()
        }
        // Tests/IngestTests/Mesh → repository root.
        return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("data/meshes")
    }

    /// Same content as data/meshes/cube6.msh: unit cube, 6 tetrahedra, 12 triangles tagged 1…6 by side.
    static let cube22 = """
        $MeshFormat
        2.2 0 8
        $EndMeshFormat
        $PhysicalNames
        7
        2 1 "xmin"
        2 2 "xmax"
        2 3 "ymin"
        2 4 "ymax"
        2 5 "zmin"
        2 6 "zmax"
        3 1 "bulk"
        $EndPhysicalNames
        $Nodes
        8
        1 0 0 0
        2 1 0 0
        3 1 1 0
        4 0 1 0
        5 0 0 1
        6 1 0 1
        7 1 1 1
        8 0 1 1
        $EndNodes
        $Elements
        18
        1 2 2 1 1 1 4 8
        2 2 2 1 1 1 8 5
        3 2 2 2 2 2 3 7
        4 2 2 2 2 6 2 7
        5 2 2 3 3 1 5 6
        6 2 2 3 3 1 6 2
        7 2 2 4 4 3 4 7
        8 2 2 4 4 4 8 7
        9 2 2 5 5 1 2 3
        10 2 2 5 5 1 3 4
        11 2 2 6 6 5 6 7
        12 2 2 6 6 8 5 7
        13 4 2 1 1 1 2 3 7
        14 4 2 1 1 1 6 2 7
        15 4 2 1 1 1 3 4 7
        16 4 2 1 1 1 4 8 7
        17 4 2 1 1 1 5 6 7
        18 4 2 1 1 1 8 5 7
        $EndElements

        """

    /// The same cube in MSH 4.1 with non-contiguous node tags 10…80, two physical surfaces (1 "bottom" = z = 0,
    /// 2 "rest") and a point element that must be ignored.
    static let cube41 = """
        $MeshFormat
        4.1 0 8
        $EndMeshFormat
        $PhysicalNames
        3
        2 1 "bottom"
        2 2 "rest"
        3 5 "bulk"
        $EndPhysicalNames
        $Entities
        1 0 2 1
        1 0 0 0 0
        1 0 0 0 1 1 0 1 1 0
        2 0 0 0 1 1 1 1 2 0
        1 0 0 0 1 1 1 1 5 2 1 2
        $EndEntities
        $Nodes
        2 8 10 80
        2 1 0 4
        10
        20
        30
        40
        0 0 0
        1 0 0
        1 1 0
        0 1 0
        3 1 0 4
        50
        60
        70
        80
        0 0 1
        1 0 1
        1 1 1
        0 1 1
        $EndNodes
        $Elements
        4 19 1 19
        2 1 2 2
        1 10 20 30
        2 10 30 40
        2 2 2 10
        3 10 40 80
        4 10 80 50
        5 20 30 70
        6 60 20 70
        7 10 50 60
        8 10 60 20
        9 30 40 70
        10 40 80 70
        11 50 60 70
        12 80 50 70
        3 1 4 6
        13 10 20 30 70
        14 10 60 20 70
        15 10 30 40 70
        16 10 40 80 70
        17 10 50 60 70
        18 10 80 50 70
        0 1 15 1
        19 10
        $EndElements

        """

    /// `text` with 1-based line `n` replaced (or removed when `with` is nil).
    static func replacing(line n: Int, in text: String, with new: String?) -> String {
        var lines = text.components(separatedBy: "\n")
        if let new { lines[n - 1] = new } else { lines.remove(at: n - 1) }
        return lines.joined(separator: "\n")
    }

    static func inserting(_ new: String, before n: Int, in text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        lines.insert(new, at: n - 1)
        return lines.joined(separator: "\n")
    }

    /// Writes tetrahedra and tagged triangles as MSH 2.2 text (node tags = index + 1).
    static func msh22(nodes: [Double], tets: [Int32], regions: [Int32], triangles: [(tag: Int32, nodes: [Int32])]) -> String {
        var out = "$MeshFormat\n2.2 0 8\n$EndMeshFormat\n$Nodes\n\(nodes.count / 3)\n"
        for i in 0..<nodes.count / 3 { out += "\(i + 1) \(nodes[3 * i]) \(nodes[3 * i + 1]) \(nodes[3 * i + 2])\n" }
        out += "$EndNodes\n$Elements\n\(triangles.count + regions.count)\n"
        var e = 1
        for tri in triangles {
            out += "\(e) 2 2 \(tri.tag) \(tri.tag) " + tri.nodes.map { String($0 + 1) }.joined(separator: " ") + "\n"
            e += 1
        }
        for t in 0..<regions.count {
            out += "\(e) 4 2 \(regions[t]) \(regions[t]) " + tets[4 * t..<4 * t + 4].map { String($0 + 1) }.joined(separator: " ") + "\n"
            e += 1
        }
        return out + "$EndElements\n"
    }

    /// A TetMesh's own boundary faces as triangles (each face once).
    static func triangles(of mesh: TetMesh) -> [(tag: Int32, nodes: [Int32])] {
        mesh.boundaryFaces.map { bf in
            (bf.tag, TetMesh.faceCorners[Int(bf.face)].map { mesh.tets[4 * Int(bf.tet) + $0] })
        }
    }

    /// Asserts that parsing `text` fails with `kind` and a description containing every fragment.
    static func assertFails(
        _ text: String, file name: String = "bad.msh", unit: String = "m", allowDisconnected: Bool = false,
        kind: MeshIngestError.Kind, contains fragments: [String], case label: String = "",
        file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            let result = try GmshReader.parse(text: text, fileName: name, unit: unit, allowDisconnected: allowDisconnected)
            XCTFail("\(label): expected \(kind) error, parsed \(result.mesh.tetCount) tetrahedra", file: file, line: line)
        } catch {
            XCTAssertEqual(error.kind, kind, "\(label): \(error)", file: file, line: line)
            for fragment in fragments {
                XCTAssertTrue(error.description.contains(fragment), "\(label): '\(error)' lacks '\(fragment)'", file: file, line: line)
            }
        }
    }

    static func face(_ mesh: TetMesh, _ bf: TetMesh.BoundaryFace) -> [Vector3] {
        TetMesh.faceCorners[Int(bf.face)].map { mesh.node(mesh.corner(Int(bf.tet), $0)) }
    }

    static func totalVolume(_ mesh: TetMesh) -> Double {
        (0..<mesh.tetCount).reduce(0) { $0 + abs(mesh.signedVolume($1)) }
    }
}
