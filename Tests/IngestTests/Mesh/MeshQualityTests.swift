import Foundation
import Model
import XCTest
@testable import Ingest

final class MeshQualityTests: XCTestCase {
    func testRegularTetrahedronHasQualityOne() {
        let s = 1 / 2.0.squareRoot()
        // Alternate corners of a cube form a regular tetrahedron.
        let mesh = TetMesh(
            nodes: [0, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 1].map { $0 * s }, tets: [0, 1, 2, 3], region: [1],
            boundaryFaces: [])
        XCTAssertEqual(MeshQuality.shapeQuality(of: mesh, tet: 0), 1, accuracy: 1e-12)
        let flat = TetMesh(nodes: [0, 0, 0, 1, 0, 0, 0, 1, 0, 0.3, 0.3, 1e-6], tets: [0, 1, 2, 3], region: [1], boundaryFaces: [])
        XCTAssertLessThan(MeshQuality.shapeQuality(of: flat, tet: 0), 1e-5)
    }

    func testSummaryOfCube() throws {
        let result = try GmshReader.parse(text: MeshFixtures.cube22, fileName: "cube.msh", unit: "um")
        let q = result.report.quality
        XCTAssertEqual(q.nodes, 8)
        XCTAssertEqual(q.tetrahedra, 6)
        XCTAssertEqual(q.regions, [MeshQuality.Region(tag: 1, name: "bulk", tetrahedra: 6, volume: q.regions[0].volume)])
        XCTAssertEqual(q.regions[0].volume, 1e-18, accuracy: 1e-30)
        XCTAssertEqual(q.boundaries.map(\.tag), [1, 2, 3, 4, 5, 6])
        XCTAssertTrue(q.boundaries.allSatisfy { $0.faces == 2 && !$0.isInterface && abs($0.area - 1e-12) < 1e-24 })
        XCTAssertTrue(q.interfaceTags.isEmpty)
        XCTAssertEqual(q.shapeQualitiesAreEqual(result.mesh), true)
        XCTAssertGreaterThan(q.minQuality, 0.5)
        XCTAssertEqual(q.poorTets, 0)
        let text = q.description
        for fragment in [
            "8 nodes, 6 tetrahedra, 1 regions", "1 \"bulk\"", "6 tets, volume 1e-18 m³", "4 \"ymax\"",
            "2 faces, area 1e-12 m²", "quality (6√2 V / l_rms³, 1 = regular): min"
        ] {
            XCTAssertTrue(text.contains(fragment), "'\(fragment)' missing from:\n\(text)")
        }
    }

    func testInterfaceListedPerSide() throws {
        let mesh = try MeshGenerators.heterostructure(cells: (1, 1), layers: (1, 1), lengths: Vector3(1, 1, 2), splitZ: 1)
        let text = MeshQuality(mesh: mesh).description
        XCTAssertTrue(text.contains("7 \"interface\""), text)
        XCTAssertTrue(text.contains("region 1: 2 faces, 1 m²; region 2: 2 faces, 1 m²"), text)
        XCTAssertTrue(text.contains("1 regions") == false && text.contains("2 regions"), text)
    }
}

private extension MeshQuality {
    /// The Kuhn tetrahedra of a cube are congruent, so all qualities match the minimum.
    func shapeQualitiesAreEqual(_ mesh: TetMesh) -> Bool {
        MeshQuality.shapeQualities(of: mesh).allSatisfy { abs($0 - minQuality) < 1e-12 }
    }
}
