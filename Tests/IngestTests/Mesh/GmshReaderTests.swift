import Foundation
import Model
import XCTest
@testable import Ingest

final class GmshReaderTests: XCTestCase {
    func testCube22SampleFile() throws {
        let url = MeshFixtures.meshesDirectory.appendingPathComponent("cube6.msh")
        let result = try GmshReader.read(contentsOf: url, unit: "m")
        let mesh = result.mesh
        XCTAssertEqual(mesh.nodeCount, 8)
        XCTAssertEqual(mesh.tetCount, 6)
        XCTAssertEqual(mesh.region, [Int32](repeating: 1, count: 6))
        XCTAssertEqual(mesh.regionNames[1], "bulk")
        XCTAssertEqual(mesh.boundaryTags, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(mesh.boundaryNames[4], "ymax")
        XCTAssertEqual(mesh.boundaryFaces.count, 12)
        XCTAssertEqual(MeshFixtures.totalVolume(mesh), 1, accuracy: 1e-14)
        for t in 0..<mesh.tetCount { XCTAssertGreaterThan(mesh.signedVolume(t), 0) }
        // Every tagged face lies on its side of the cube: tag 2a+1 at axis a = 0, tag 2a+2 at axis a = 1.
        for bf in mesh.boundaryFaces {
            let axis = Int(bf.tag - 1) / 2, value = Double(Int(bf.tag - 1) % 2)
            for p in MeshFixtures.face(mesh, bf) { XCTAssertEqual(p[axis], value, "face tagged \(bf.tag)") }
        }
        let topology = MeshTopology(mesh: mesh)
        XCTAssertTrue(topology.untaggedBoundaryFaces.isEmpty)
        XCTAssertEqual(topology.overSharedFaces, 0)
        let report = result.report
        XCTAssertEqual(report.formatVersion, "2.2")
        XCTAssertEqual(report.boundaryFaces, 12)
        XCTAssertEqual(report.interfaceFaces, 0)
        XCTAssertEqual(report.reorientedTets, 0)
        XCTAssertEqual(report.components, 1)
        XCTAssertEqual(report.minVolume, 1.0 / 6, accuracy: 1e-15)
        XCTAssertEqual(report.maxVolume, 1.0 / 6, accuracy: 1e-15)
        XCTAssertTrue(report.description.contains("cube6.msh: MSH 2.2 ASCII"), report.description)
    }

    func testEmbeddedFixtureMatchesSampleFile() throws {
        let url = MeshFixtures.meshesDirectory.appendingPathComponent("cube6.msh")
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), MeshFixtures.cube22)
    }

    func testCube41WithNonContiguousTagsAndEntityPhysicals() throws {
        let result = try GmshReader.parse(text: MeshFixtures.cube41, fileName: "cube41.msh", unit: "m")
        let mesh = result.mesh
        XCTAssertEqual(mesh.nodeCount, 8)
        XCTAssertEqual(mesh.tetCount, 6)
        XCTAssertEqual(mesh.region, [Int32](repeating: 5, count: 6))
        XCTAssertEqual(mesh.regionNames, [5: "bulk"])
        XCTAssertEqual(mesh.boundaryNames, [1: "bottom", 2: "rest"])
        XCTAssertEqual(mesh.boundaryFaces.filter { $0.tag == 1 }.count, 2)
        XCTAssertEqual(mesh.boundaryFaces.filter { $0.tag == 2 }.count, 10)
        for bf in mesh.boundaryFaces where bf.tag == 1 {
            for p in MeshFixtures.face(mesh, bf) { XCTAssertEqual(p.z, 0) }
        }
        XCTAssertEqual(MeshFixtures.totalVolume(mesh), 1, accuracy: 1e-14)
        XCTAssertEqual(result.report.formatVersion, "4.1")
        XCTAssertEqual(result.report.pointsAndLinesIgnored, 1)
        XCTAssertEqual(result.report.nodesInFile, 8)
        // Node tags 10…80 in file order become indices 0…7.
        XCTAssertEqual(mesh.node(6), Vector3(1, 1, 1))
    }

    func testSphere41SampleFile() throws {
        let url = MeshFixtures.meshesDirectory.appendingPathComponent("sphere-r50nm.msh")
        let result = try GmshReader.read(contentsOf: url, unit: "nm")
        let mesh = result.mesh
        XCTAssertEqual(mesh.regionTags, [1])
        XCTAssertEqual(mesh.regionNames[1], "particle")
        XCTAssertEqual(mesh.boundaryTags, [1])
        XCTAssertEqual(mesh.boundaryNames[1], "surface")
        XCTAssertEqual(result.report.formatVersion, "4.1")
        XCTAssertGreaterThan(mesh.tetCount, 200)
        let r = 50e-9, exact = 4 * Double.pi * r * r * r / 3
        let volume = MeshFixtures.totalVolume(mesh)
        XCTAssertLessThan(volume, exact)
        XCTAssertGreaterThan(volume, 0.9 * exact)
        for i in 0..<mesh.nodeCount { XCTAssertLessThanOrEqual(mesh.node(i).norm, r * (1 + 1e-9)) }
        let topology = MeshTopology(mesh: mesh)
        XCTAssertTrue(topology.untaggedBoundaryFaces.isEmpty)
        XCTAssertEqual(mesh.boundaryFaces.count, topology.neighbor.filter { $0 < 0 }.count)
        XCTAssertEqual(result.report.components, 1)
        XCTAssertGreaterThan(result.report.quality.minQuality, 0.05)
    }

    func testUnitsConvertToMetres() throws {
        let cases: [(String, Double)] = [("m", 1), ("mm", 1e-3), ("um", 1e-6), ("µm", 1e-6), ("nm", 1e-9), ("angstrom", 1e-10), ("Å", 1e-10)]
        for (unit, scale) in cases {
            let mesh = try GmshReader.parse(text: MeshFixtures.cube22, fileName: "cube.msh", unit: unit).mesh
            XCTAssertEqual(mesh.node(6).x, scale, accuracy: scale * 1e-15, unit)
            XCTAssertEqual(MeshFixtures.totalVolume(mesh), scale * scale * scale, accuracy: scale * scale * scale * 1e-12, unit)
        }
        MeshFixtures.assertFails(
            MeshFixtures.cube22, unit: "furlong", kind: .unknownUnit,
            contains: ["bad.msh", "unknown length unit 'furlong'", "m, mm, um, nm, angstrom"])
    }

    func testInvertedTetrahedronIsReorientedAndCounted() throws {
        // Element 13 (line 39) written with two corners swapped.
        let text = MeshFixtures.replacing(line: 39, in: MeshFixtures.cube22, with: "13 4 2 1 1 1 3 2 7")
        let result = try GmshReader.parse(text: text, fileName: "inv.msh")
        XCTAssertEqual(result.report.reorientedTets, 1)
        for t in 0..<result.mesh.tetCount { XCTAssertGreaterThan(result.mesh.signedVolume(t), 0) }
        XCTAssertEqual(result.mesh.boundaryFaces.count, 12)
        for bf in result.mesh.boundaryFaces {
            let axis = Int(bf.tag - 1) / 2, value = Double(Int(bf.tag - 1) % 2)
            for p in MeshFixtures.face(result.mesh, bf) { XCTAssertEqual(p[axis], value) }
        }
        XCTAssertTrue(result.report.description.contains("1 inverted tetrahedra reoriented"))
    }

    func testTaggedInteriorTrianglesBecomeInterfacesOnBothSides() throws {
        // Two unit cubes stacked along z sharing the nodes of z = 1: regions 1 and 2, interface tag 7.
        let box = BoxMesh.make(cells: (1, 1, 2), lengths: Vector3(1, 1, 2))
        let regions: [Int32] = (0..<box.tetCount).map { t in
            let z = (0..<4).reduce(0.0) { $0 + box.node(box.corner(t, $1)).z } / 4
            return z < 1 ? 1 : 2
        }
        let topology = MeshTopology(mesh: box)
        var triangles = MeshFixtures.triangles(of: box)
        for t in 0..<box.tetCount {
            for f in 0..<4 where Int(topology.neighbor[4 * t + f]) > t {
                let nodes = TetMesh.faceCorners[f].map { box.tets[4 * t + $0] }
                if nodes.allSatisfy({ box.node(Int($0)).z == 1 }) { triangles.append((7, nodes)) }
            }
        }
        XCTAssertEqual(triangles.filter { $0.tag == 7 }.count, 2)
        let text = MeshFixtures.msh22(nodes: box.nodes, tets: box.tets, regions: regions, triangles: triangles)
        let result = try GmshReader.parse(text: text, fileName: "stack.msh")
        let mesh = result.mesh
        let interface = mesh.boundaryFaces.filter { $0.tag == 7 }
        XCTAssertEqual(interface.count, 4)
        XCTAssertEqual(Set(interface.map { mesh.region[Int($0.tet)] }), [1, 2])
        let meshTopology = MeshTopology(mesh: mesh)
        for bf in interface {
            let across = Int(meshTopology.neighbor[4 * Int(bf.tet) + Int(bf.face)])
            XCTAssertGreaterThanOrEqual(across, 0)
            XCTAssertNotEqual(mesh.region[across], mesh.region[Int(bf.tet)])
            XCTAssertTrue(interface.contains { Int($0.tet) == across })
        }
        XCTAssertEqual(result.report.interfaceFaces, 4)
        XCTAssertEqual(result.report.boundaryFaces, 20)
        XCTAssertEqual(result.report.quality.interfaceTags, [7])
        XCTAssertEqual(result.report.components, 1)
    }

    func testBoxMeshRoundTripsThroughMsh22() throws {
        let box = BoxMesh.make(cells: (3, 2, 2), lengths: Vector3(3e-9, 2e-9, 2e-9))
        let text = MeshFixtures.msh22(
            nodes: box.nodes.map { $0 * 1e9 }, tets: box.tets, regions: box.region,
            triangles: MeshFixtures.triangles(of: box))
        let mesh = try GmshReader.parse(text: text, fileName: "box.msh", unit: "nm").mesh
        XCTAssertEqual(mesh.tets, box.tets)
        XCTAssertEqual(mesh.region, box.region)
        XCTAssertEqual(Set(mesh.boundaryFaces), Set(box.boundaryFaces))
        for (a, b) in zip(mesh.nodes, box.nodes) { XCTAssertEqual(a, b, accuracy: 1e-24) }
    }

    func testUnusedNodesAreDroppedAndUntaggedTrianglesIgnored() throws {
        var text = MeshFixtures.replacing(line: 15, in: MeshFixtures.cube22, with: "9")
        text = MeshFixtures.inserting("9 5 5 5", before: 24, in: text)
        // An extra untagged copy of a boundary triangle (physical 0) is ignored.
        text = MeshFixtures.replacing(line: 27, in: text, with: "19")
        text = MeshFixtures.inserting("19 2 2 0 3 1 2 3", before: 28, in: text)
        let result = try GmshReader.parse(text: text, fileName: "extra.msh")
        XCTAssertEqual(result.mesh.nodeCount, 8)
        XCTAssertEqual(result.report.nodesInFile, 9)
        XCTAssertEqual(result.report.unusedNodesDropped, 1)
        XCTAssertEqual(result.report.untaggedTrianglesIgnored, 1)
    }

    func testDisconnectedMeshAllowedWhenAsked() throws {
        let text = MeshFixtureCases.twoCubes
        let result = try GmshReader.parse(text: text, fileName: "two.msh", allowDisconnected: true)
        XCTAssertEqual(result.report.components, 2)
        XCTAssertEqual(result.mesh.tetCount, 12)
    }

    func testReadMissingFileNamesIt() {
        XCTAssertThrowsError(try GmshReader.read(contentsOf: URL(fileURLWithPath: "/nonexistent/none.msh"))) { error in
            let e = error as? MeshIngestError
            XCTAssertEqual(e?.kind, .io)
            XCTAssertTrue(e?.description.hasPrefix("none.msh: cannot read /nonexistent/none.msh") ?? false, "\(error)")
        }
    }
}
