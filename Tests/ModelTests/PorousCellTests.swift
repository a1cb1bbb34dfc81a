import XCTest
@testable import Model

/// The periodic cell of a porous film (issue 20's porous case): a square cell with a centred square pore through
/// its thickness. Its volume, its pore wall and its nodes, counted exactly.
final class PorousCellTests: XCTestCase {
    func testPoreVolumeWallsAndNodes() {
        let n = 8, p = 4, layers = 3
        let L = 2.0, h = 0.5
        let mesh = BoxMesh.porousCell(cells: n, poreCells: p, layers: layers, lengths: Vector3(L, L, h))
        XCTAssertEqual(mesh.tetCount, 6 * (n * n - p * p) * layers)
        var volume = 0.0
        for t in 0..<mesh.tetCount {
            let a = mesh.node(mesh.corner(t, 0))
            let v = (mesh.node(mesh.corner(t, 1)) - a).dot((mesh.node(mesh.corner(t, 2)) - a).cross(mesh.node(mesh.corner(t, 3)) - a)) / 6
            XCTAssertGreaterThan(v, 0, "tet \(t) positively oriented")
            volume += v
        }
        let porosity = Double(p * p) / Double(n * n)
        XCTAssertEqual(volume, (1 - porosity) * L * L * h, accuracy: 1e-12 * L * L * h)
        // Nodes strictly inside the pore column are gone; every node left is used.
        XCTAssertEqual(mesh.nodeCount, (n + 1) * (n + 1) * (layers + 1) - (p - 1) * (p - 1) * (layers + 1))
        var used = [Bool](repeating: false, count: mesh.nodeCount)
        for c in mesh.tets { used[Int(c)] = true }
        XCTAssertTrue(used.allSatisfy { $0 })
        // Pore wall: four sides of p cells × layers, two triangles each, of area (p/n)L · h in all per side.
        let pore = mesh.boundaryFaces.filter { $0.tag == BoxMesh.poreTag.tag }
        XCTAssertEqual(pore.count, 4 * p * layers * 2)
        let area = pore.reduce(0.0) { s, f in
            let c = TetMesh.faceCorners[Int(f.face)].map { mesh.node(mesh.corner(Int(f.tet), $0)) }
            return s + 0.5 * (c[1] - c[0]).cross(c[2] - c[0]).norm
        }
        XCTAssertEqual(area, 4 * (Double(p) / Double(n) * L) * h, accuracy: 1e-12)
        XCTAssertEqual(mesh.boundaryNames[BoxMesh.poreTag.tag], "pore")
        // The outer walls are whole: each x and y side has n × layers cells, z sides the cell minus the pore.
        for tag: Int32 in 1...4 { XCTAssertEqual(mesh.boundaryFaces.filter { $0.tag == tag }.count, 2 * n * layers, "side \(tag)") }
        for tag: Int32 in 5...6 { XCTAssertEqual(mesh.boundaryFaces.filter { $0.tag == tag }.count, 2 * (n * n - p * p), "side \(tag)") }
        XCTAssertEqual(mesh.boundaryFaces.count, 2 * n * layers * 4 + 2 * 2 * (n * n - p * p) + pore.count)
    }

    /// Without a pore the box is the plain box, node for node.
    func testNoPoreIsThePlainBox() {
        let a = BoxMesh.make(cells: (3, 2, 2), lengths: Vector3(1, 1, 1))
        let b = BoxMesh.make(cells: (3, 2, 2), lengths: Vector3(1, 1, 1)) { _ in false }
        XCTAssertEqual(a.nodes, b.nodes); XCTAssertEqual(a.tets, b.tets)
        XCTAssertEqual(a.boundaryFaces.count, b.boundaryFaces.count)
        XCTAssertNil(a.boundaryNames[BoxMesh.poreTag.tag])
    }
}
