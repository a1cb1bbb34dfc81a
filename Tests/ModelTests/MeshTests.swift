import XCTest
@testable import Model

final class MeshTests: XCTestCase {
    /// Kuhn boxes: volumes add up to the box, every face is interior or tagged, boundary areas match the sides.
    func testBoxMeshGeometryAndTopology() {
        let mesh = BoxMesh.make(cells: (3, 2, 4), lengths: Vector3(1.5, 2, 0.8))
        let topo = MeshTopology(mesh: mesh)
        let geo = MeshGeometry(mesh: mesh, topology: topo)
        XCTAssertEqual(mesh.tetCount, 6 * 24)
        XCTAssertEqual(geo.volume.reduce(0, +), 1.5 * 2 * 0.8, accuracy: 1e-12)
        XCTAssertEqual(geo.nodeVolume.reduce(0, +), 1.5 * 2 * 0.8, accuracy: 1e-12)
        XCTAssertTrue(topo.untaggedBoundaryFaces.isEmpty)
        XCTAssertEqual(topo.overSharedFaces, 0)
        for t in 0..<mesh.tetCount { XCTAssertGreaterThan(mesh.signedVolume(t), 0) }
        var area = [Int32: Double]()
        for bf in mesh.boundaryFaces { area[bf.tag, default: 0] += geo.faceArea[4 * Int(bf.tet) + Int(bf.face)] }
        XCTAssertEqual(area[1]!, 2 * 0.8, accuracy: 1e-12)
        XCTAssertEqual(area[6]!, 1.5 * 2, accuracy: 1e-12)
    }

    /// Σ_c ∇φ_c = 0, and the divergence theorem per tet: Σ_f A_f n_f = 0, with interior normals exact negatives.
    func testBasisGradientsAndNormals() {
        let mesh = BoxMesh.make(cells: (2, 2, 2), lengths: Vector3(1, 1, 1))
        let topo = MeshTopology(mesh: mesh)
        let geo = MeshGeometry(mesh: mesh, topology: topo)
        for t in 0..<mesh.tetCount {
            var g = Vector3.zero, n = Vector3.zero
            for c in 0..<4 {
                g = g + Vector3(geo.gradient[12 * t + 3 * c], geo.gradient[12 * t + 3 * c + 1], geo.gradient[12 * t + 3 * c + 2])
                n = n + geo.normal(t, c)
                let u = Int(topo.neighbor[4 * t + c])
                if u >= 0 {
                    let f = (0..<4).first { Int(topo.neighbor[4 * u + $0]) == t }!
                    XCTAssertEqual(geo.normal(t, c), -geo.normal(u, f))
                }
            }
            XCTAssertLessThan(g.norm, 1e-10)
            XCTAssertLessThan(n.norm, 1e-14)
        }
    }
}
