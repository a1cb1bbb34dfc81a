import XCTest
import Foundation
import Model
import Store
import Ingest
@testable import Solve
import Config

/// With the Si sample data: an all-periodic box driven by a uniform temperature gradient must carry the bulk κ of
/// the same data, within 1% — LBTE with the full matrix (4×4×4), RTA with lifetimes only (8×8×8).
final class BulkKappaTests: XCTestCase {
    static var data: String {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("data/si/crystal.si.txt").path) { return url.path + "/data/si" }
        }
        return "/work/main/data/si"
    }

    func kappaXX(material: Material) throws -> Double {
        let mesh = BoxMesh.make(cells: (1, 1, 1), lengths: Vector3(1e-7, 1e-7, 1e-7))
        var walls: [Int32: WallKind] = [:]
        for tag: Int32 in 1...6 { walls[tag] = .periodic(partner: tag % 2 == 1 ? tag + 1 : tag - 1) }
        let t = try Transport(mesh: SweepMesh(mesh: mesh), material: material, walls: walls)
        var g0 = [Double]()
        VolumeSource(profile: .uniform(power: 1), spectrum: .temperatureGradient(Vector3(-1, 0, 0))).fill(modes: material.modes, mesh: mesh, into: &g0)
        var opt = EventOptions()
        opt.maxEvents = 2
        opt.krylovTolerance = 1e-9
        opt.maxSweeps = 300
        let s = try EventSolver(transport: t, options: opt).run(source: g0, inflow: .init(repeating: 0, count: t.boundarySize), sink: nil)
        XCTAssertTrue(s.converged, "GMRES \(s.krylovResiduals.last ?? -1)")
        let nn = t.nodeCount
        let col = (0..<t.modeCount).map { s.accumulated[$0 * nn] }
        return col.withUnsafeBufferPointer { material.modes.heatFlux(psi: $0).x }
    }

    func testLBTEFromTheFullMatrix() throws {
        let out = NSTemporaryDirectory() + "si444-\(getpid()).h5"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let s = try PhononIngest.ingestPhono3py(
            kappa: Self.data + "/kappa-m444.hdf5", crystal: Self.data + "/crystal.si.txt",
            collision: Self.data + "/collision-m444.h5", output: out)
        let (mat, _) = try MaterialFile.read(path: out)
        let k = try kappaXX(material: mat)
        print("LBTE 4x4x4: solver \(k), ingest \(s.kappaLBTE![0])")
        XCTAssertEqual(k, s.kappaLBTE![0], accuracy: 0.01 * s.kappaLBTE![0])
    }

    func testRTAFromLifetimes() throws {
        let out = NSTemporaryDirectory() + "si888-\(getpid()).h5"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let s = try PhononIngest.ingestPhono3py(kappa: Self.data + "/kappa-m888.hdf5", crystal: Self.data + "/crystal.si.txt", output: out)
        let (mat, _) = try MaterialFile.read(path: out)
        let k = try kappaXX(material: mat)
        print("RTA 8x8x8: solver \(k), phono3py-data \(s.kappaRTA[0])")
        XCTAssertEqual(k, s.kappaRTA[0], accuracy: 0.01 * s.kappaRTA[0])
    }
}
