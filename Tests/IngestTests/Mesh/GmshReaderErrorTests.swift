import Foundation
import Model
import XCTest
@testable import Ingest

enum MeshFixtureCases {
    /// Two unit cubes 5 m apart: a valid mesh in two face-disconnected parts.
    static var twoCubes: String {
        let a = BoxMesh.make(cells: (1, 1, 1), lengths: Vector3(1, 1, 1))
        let b = BoxMesh.make(cells: (1, 1, 1), lengths: Vector3(1, 1, 1), origin: Vector3(5, 0, 0))
        let offset = Int32(a.nodeCount)
        let triangles = MeshFixtures.triangles(of: a) + MeshFixtures.triangles(of: b).map { ($0.tag, $0.nodes.map { $0 + offset }) }
        return MeshFixtures.msh22(
            nodes: a.nodes + b.nodes, tets: a.tets + b.tets.map { $0 + offset },
            regions: a.region + b.region, triangles: triangles)
    }
}

/// Each malformed input must fail with an error naming the file, the line or element, what was expected and
/// what was found; none may crash or allocate what the file cannot hold.
final class GmshReaderErrorTests: XCTestCase {
    let cube = MeshFixtures.cube22
    func line(_ n: Int, _ text: String?) -> String { MeshFixtures.replacing(line: n, in: cube, with: text) }

    func testBadInputTable() {
        let truncated = cube.components(separatedBy: "\n").prefix(42).joined(separator: "\n")
        let truncatedEarly = cube.components(separatedBy: "\n").prefix(30).joined(separator: "\n")
        let cases: [(name: String, text: String, kind: MeshIngestError.Kind, fragments: [String])] = [
            (
                "truncated", truncated, .truncated,
                ["bad.msh:42:", "end of file inside $Elements (opened at line 25)", "declared 18 elements, found 16"]
            ),
            (
                "truncated before the count could fit", truncatedEarly, .tooLarge,
                ["bad.msh:26:", "$Elements declares 18 elements but only 63 bytes follow", "corrupt or the file truncated"]
            ),
            ("too few nodes", line(15, "9"), .count, ["bad.msh:24:", "$Nodes block declares 9 nodes, found 8 before $EndNodes"]),
            ("too many nodes", line(15, "7"), .count, ["bad.msh:23:", "expected $EndNodes after 7 nodes, found '8 0 1 1'"]),
            ("too few elements", line(26, "19"), .count, ["bad.msh:45:", "$Elements block declares 19 elements, found 18"]),
            (
                "non-numeric coordinate", line(18, "3 1 abc 0"), .syntax,
                ["bad.msh:18:", "expected a number (y coordinate), found 'abc'"]
            ),
            ("infinite coordinate", line(18, "3 1 inf 0"), .syntax, ["bad.msh:18:", "found 'inf'"]),
            ("non-numeric node tag", line(18, "x3 1 1 0"), .syntax, ["bad.msh:18:", "expected an integer node tag, found 'x3'"]),
            ("missing coordinate", line(18, "3 1 1"), .syntax, ["bad.msh:18:", "expected 4 fields (node tag x y z), found 3"]),
            (
                "unknown version", line(2, "3.0 0 8"), .unsupportedVersion,
                ["bad.msh:2:", "MSH format version 3.0 is not supported; expected 2.2 or 4.1"]
            ),
            ("version 4.0", line(2, "4 0 8"), .unsupportedVersion, ["bad.msh:2:", "version 4 is not supported"]),
            ("binary flag", line(2, "2.2 1 8"), .binary, ["bad.msh:2:", "binary MSH (file-type 1) is not supported; expected ASCII"]),
            (
                "second-order tetrahedron", line(39, "13 11 2 1 1 1 2 3 7 1 2 3 4 5 6"), .unsupportedElement,
                ["bad.msh:39: element 13:", "element type 11 (10-node second-order tetrahedron) is higher-order"]
            ),
            (
                "second-order triangle", line(27, "1 9 2 1 1 1 4 8 1 2 3"), .unsupportedElement,
                ["bad.msh:27: element 1:", "element type 9 (6-node second-order triangle) is higher-order"]
            ),
            (
                "hexahedron", line(39, "13 5 2 1 1 1 2 3 4 5 6 7 8"), .unsupportedElement,
                ["bad.msh:39: element 13:", "8-node hexahedron", "only linear tetrahedra"]
            ),
            (
                "missing physical tag on a tetrahedron", line(39, "13 4 2 0 1 1 2 3 7"), .missingPhysicalTag,
                ["bad.msh:39: element 13:", "tetrahedron has no physical volume tag", "Physical Volume"]
            ),
            ("no tags at all", line(39, "13 4 0 1 2 3 7"), .missingPhysicalTag, ["bad.msh:39: element 13:"]),
            (
                "wrong node count on element", line(39, "13 4 2 1 1 1 2 3"), .syntax,
                ["bad.msh:39:", "element 13 of type 4 needs 4 node tags after its 2 tags, found 3"]
            ),
            (
                "unknown node", line(39, "13 4 2 1 1 1 2 3 99"), .unknownNode,
                ["bad.msh:39: element 13:", "refers to node 99, which is not in $Nodes"]
            ),
            (
                "untagged exterior faces", untaggedXmin, .untaggedBoundary,
                ["bad.msh:", "2 exterior faces have no physical surface tag", "element 16", "1 at (0.0, 0.0, 0.0)"]
            ),
            (
                "degenerate tetrahedron", degenerate, .degenerate,
                ["bad.msh:45: element 19:", "degenerate tetrahedron", "nodes 1 at (0.0, 0.0, 0.0), 2 at (1.0, 0.0, 0.0)"]
            ),
            (
                "duplicate tetrahedron", extraTet("19 4 2 2 2 1 2 3 7"), .duplicateElement,
                ["bad.msh:45: element 19:", "same four nodes as element 13 (line 39)"]
            ),
            (
                "face shared by three tetrahedra", nonManifold, .nonManifold,
                ["bad.msh:46: element 19:", "shared by three tetrahedra"]
            ),
            (
                "triangle off the volume", line(27, "1 2 2 1 1 1 4 6"), .unmatchedTriangle,
                ["bad.msh:27: element 1:", "physical surface 1 with nodes [1, 4, 6] is not a face of any tetrahedron"]
            ),
            (
                "disconnected mesh", MeshFixtureCases.twoCubes, .disconnected,
                ["bad.msh:", "mesh falls into 2 parts not connected through shared faces", "6 tetrahedra from element 25"]
            ),
            (
                "huge node count", line(15, "1000000000000"), .tooLarge,
                ["bad.msh:15:", "$Nodes declares 1000000000000 nodes but only", "bytes follow"]
            ),
            (
                "node count overflows", line(15, "99999999999999999999999"), .syntax,
                ["bad.msh:15:", "expected an integer number of nodes, found '99999999999999999999999'"]
            ),
            ("negative count", line(26, "-3"), .syntax, ["bad.msh:26:", "negative number of elements"]),
            (
                "not an MSH file", "solid cube\nfacet normal 0 0 1\n", .syntax,
                ["bad.msh:1:", "expected $MeshFormat", "found 'solid cube'"]
            ),
            ("empty file", "", .emptyMesh, ["bad.msh:", "file is empty"]),
            ("binary garbage", "\u{1}\u{2}\u{3}ELF\n", .syntax, ["bad.msh:1:", "expected $MeshFormat", "found '???ELF'"]),
            (
                "no elements section", cube.components(separatedBy: "\n").prefix(24).joined(separator: "\n"), .truncated,
                ["bad.msh:24:", "file ends without an $Elements section"]
            ),
            (
                "unclosed unknown section", cube + "$Comments\nhello\n", .truncated,
                ["bad.msh:", "end of file inside $Comments (opened at line 46)"]
            ),
            ("no tetrahedra", twoDimensional, .emptyMesh, ["bad.msh:", "no linear tetrahedra (type 4)", "12 triangles"])
        ]
        for c in cases {
            MeshFixtures.assertFails(c.text, kind: c.kind, contains: c.fragments, case: c.name)
        }
    }

    func testBadInputTable41() {
        let cube = MeshFixtures.cube41
        func line(_ n: Int, _ text: String?) -> String { MeshFixtures.replacing(line: n, in: cube, with: text) }
        let cases: [(name: String, text: String, kind: MeshIngestError.Kind, fragments: [String])] = [
            (
                "block with too many node tags", line(19, "2 1 0 5"), .count,
                ["bad.msh:24:", "entity block at line 19 declares 5 nodes; expected node tag 5 of 5 on this line, found '0 0 0'"]
            ),
            (
                "nodes header disagrees with blocks", line(18, "2 9 10 80"), .count,
                ["bad.msh:36:", "$Nodes block declares 9 nodes, but its 2 entity blocks hold 8"]
            ),
            (
                "element block too long", line(54, "3 1 4 7"), .count,
                ["bad.msh:61:", "entity block at line 54 declares 7 elements of type 4", "element 7 of 7", "found '0 1 15 1'"]
            ),
            (
                "volume entity without physical tag", line(15, "1 0 0 0 1 1 1 0 2 1 2"), .missingPhysicalTag,
                ["bad.msh:55: element 13:", "tetrahedron has no physical volume tag"]
            ),
            (
                "volume in two physical groups", line(15, "1 0 0 0 1 1 1 2 5 6 2 1 2"), .ambiguousPhysicalTag,
                ["bad.msh:54:", "volume 1 belongs to 2 physical volumes [5, 6]"]
            ),
            (
                "second-order block", line(54, "3 1 11 6"), .unsupportedElement,
                ["bad.msh:54:", "10-node second-order tetrahedron"]
            ),
            (
                "missing entities",
                cube.replacingOccurrences(of: "$Entities", with: "$Skipped")
                    .replacingOccurrences(of: "$EndEntities", with: "$EndSkipped"), .syntax,
                ["bad.msh:38:", "without a preceding $Entities section"]
            ),
            (
                "entity with short bounding list", line(14, "2 0 0 0 1 1 1 1 2 3 1"), .syntax,
                ["bad.msh:14:", "entity 2 declares 3 bounding entities, found 1"]
            ),
            (
                "huge element count", line(39, "4 1000000000000 1 19"), .tooLarge,
                ["bad.msh:39:", "$Elements declares 1000000000000 elements but only"]
            ),
            ("huge block count", line(18, "1000000000 8 10 80"), .tooLarge, ["bad.msh:18:", "entity blocks"]),
            (
                "partitioned", MeshFixtures.inserting("$PartitionedEntities\n$EndPartitionedEntities", before: 17, in: cube),
                .unsupportedVersion, ["bad.msh:17:", "partitioned meshes are not supported"]
            ),
            ("non-numeric coordinate", line(33, "1 1 1e"), .syntax, ["bad.msh:33:", "expected a number (z coordinate), found '1e'"])
        ]
        for c in cases {
            MeshFixtures.assertFails(c.text, kind: c.kind, contains: c.fragments, case: c.name)
        }
    }

    func testErrorDescriptionFormat() {
        let e = MeshIngestError(.count, file: "mesh.msh", line: 57, "$Nodes block declares 12 nodes, found 11 before $EndNodes")
        XCTAssertEqual(e.description, "mesh.msh:57: $Nodes block declares 12 nodes, found 11 before $EndNodes")
        let f = MeshIngestError(.degenerate, file: "mesh.msh", element: 9, "degenerate")
        XCTAssertEqual(f.description, "mesh.msh: element 9: degenerate")
    }

    /// Every prefix of a valid file fails cleanly (never traps) or, for the complete file, parses.
    func testEveryTruncationFailsCleanly() {
        for text in [MeshFixtures.cube22, MeshFixtures.cube41] {
            let bytes = Array(text.utf8)
            for n in 0..<bytes.count - 1 {
                do {
                    _ = try GmshReader.parse(Array(bytes[0..<n]), fileName: "cut.msh", unit: .m)
                    XCTFail("prefix of \(n) bytes parsed")
                } catch {
                    XCTAssertTrue(error.description.hasPrefix("cut.msh"), error.description)
                }
            }
        }
    }

    /// Random single-byte corruptions of valid files must fail or parse, never trap.
    func testCorruptedBytesNeverTrap() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let alphabet = Array("0123456789 -+.eE$\n\"x".utf8)
        var failures = 0
        for text in [MeshFixtures.cube22, MeshFixtures.cube41] {
            let original = Array(text.utf8)
            for _ in 0..<1500 {
                var bytes = original
                for _ in 0..<(1 + next() % 3) { bytes[next() % bytes.count] = alphabet[next() % alphabet.count] }
                do {
                    _ = try GmshReader.parse(bytes, fileName: "fuzz.msh", unit: .m)
                } catch {
                    failures += 1
                    XCTAssertTrue(error.description.hasPrefix("fuzz.msh"), error.description)
                }
            }
        }
        XCTAssertGreaterThan(failures, 1000)
    }

    // MARK: - Inputs

    /// Triangles 1 and 2 (the xmin side, owned by elements 16 and 18) removed.
    var untaggedXmin: String {
        var text = line(27, nil)
        text = MeshFixtures.replacing(line: 27, in: text, with: nil)
        return MeshFixtures.replacing(line: 26, in: text, with: "16")
    }

    func extraTet(_ element: String) -> String {
        MeshFixtures.inserting(element, before: 45, in: line(26, "19"))
    }

    /// A flat tetrahedron on the z = 0 face added as element 19.
    var degenerate: String { extraTet("19 4 2 1 1 1 2 3 4") }

    /// A ninth node and a tetrahedron on the interior face 1-3-7 that elements 13 and 15 already share.
    var nonManifold: String {
        var text = MeshFixtures.replacing(line: 15, in: cube, with: "9")
        text = MeshFixtures.inserting("9 0 1 0.5", before: 24, in: text)
        text = MeshFixtures.replacing(line: 27, in: text, with: "19")
        return MeshFixtures.inserting("19 4 2 1 1 1 3 7 9", before: 46, in: text)
    }

    /// Only the triangles.
    var twoDimensional: String {
        var lines = cube.components(separatedBy: "\n")
        lines.removeSubrange(38..<44)
        lines[25] = "12"
        return lines.joined(separator: "\n")
    }
}
