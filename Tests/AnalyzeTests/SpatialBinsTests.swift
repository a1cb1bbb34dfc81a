import XCTest
import Foundation
import Model
import Ingest
@testable import Analyze

/// Bins share each tetrahedron's volume among the bins its 20 sample points fall in: no shell of the graded sphere
/// is empty, the bins' volumes add up to the mesh's, the volume integral of any nodal field is kept, and a field
/// that is linear in position averages exactly to its value at each slab's centre.
final class SpatialBinsTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testEveryRadialShellOfTheGradedSphereHoldsSamplesAndVolumeIsKept() throws {
        let url = Self.repo.appendingPathComponent("data/meshes/sphere-r50nm.msh")
        let mesh = try GmshReader.read(contentsOf: url, unit: "nm").mesh
        let geo = MeshGeometry(mesh: mesh, topology: MeshTopology(mesh: mesh))
        let bins = SpatialBins(mesh: mesh, tetVolume: geo.volume, binning: .radial(center: Vector3(0, 0, 0), bins: 40, radius: nil))
        XCTAssertFalse(bins.binVolume.contains(0), "empty shells: \(bins.binVolume.enumerated().filter { $0.element == 0 }.map(\.offset))")
        let total = geo.volume.reduce(0, +)
        XCTAssertEqual(bins.binVolume.reduce(0, +), total, accuracy: 1e-12 * total)
        // The integral of a nodal field over all bins is the mesh integral of its piecewise-linear interpolant.
        let field = (0..<mesh.nodeCount).map { n -> Double in
            let p = mesh.node(n); return 1 + p.x * 1e7 + sin(p.y * 1e8)
        }
        let exact = (0..<mesh.tetCount).map { t in geo.volume[t] * (0..<4).map { field[mesh.corner(t, $0)] }.reduce(0, +) / 4 }.reduce(0, +)
        let binned = zip(bins.average(field), bins.binVolume).map { $0 * $1 }.reduce(0, +)
        XCTAssertEqual(binned, exact, accuracy: 1e-12 * abs(exact))
    }

    func testLinearFieldAveragesToItsValueAtTheSlabCentre() {
        let mesh = BoxMesh.make(cells: (2, 3, 5), lengths: Vector3(1, 2, 5))
        let geo = MeshGeometry(mesh: mesh, topology: MeshTopology(mesh: mesh))
        let bins = SpatialBins(mesh: mesh, tetVolume: geo.volume, binning: .slab(axis: 2, bins: 5))
        let field = (0..<mesh.nodeCount).map { 3 + 2 * mesh.node($0).z + 0.5 * mesh.node($0).x }
        let lo = mesh.bounds.0.z
        for (k, v) in bins.average(field).enumerated() {
            XCTAssertEqual(v, 3 + 2 * (lo + Double(k) + 0.5) + 0.25, accuracy: 1e-12, "slab \(k)")
        }
    }
}
