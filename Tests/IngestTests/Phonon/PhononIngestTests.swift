import Foundation
import Model
import Store
import XCTest
@testable import Ingest

final class PhononIngestTests: XCTestCase {
    func testD3QLifetimesOnlyWritesEnergyConservingRTA() throws {
        let dir = try PhononFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("si.h5").path
        let s = try PhononIngest.ingestD3Q(
            directory: PhononFixtures.root.appendingPathComponent("data/si").path,
            prefix: "si.8x8x8", crystal: PhononFixtures.data("si", "crystal.si.txt"),
            output: out)
        XCTAssertEqual(s.collisionKind, "relaxation-to-temperature")
        XCTAssertEqual(s.excludedModes, 3)
        XCTAssertEqual(s.qMesh, [8, 8, 8])
        let (m, d) = try MaterialFile.read(path: out)
        XCTAssertEqual(m.collision, .relaxationToTemperature)
        XCTAssertEqual(m.modes.count, 3072)
        XCTAssertEqual(m.name, "Si")
        XCTAssertEqual(m.qMesh, [8, 8, 8])
        XCTAssertEqual(m.modes.tau.filter { !$0.isFinite }.count, 3)
        assertRelative(d.kappaRTA![0], 460.1068230083123, 1e-5, "stored κ_RTA,xx")
        XCTAssertEqual(d.spectralRadius, 1)
        assertRelative(m.cellVolume, 4.004675863600764e-29, 1e-9, "Ω")
    }

    func testPhono3pyWithCollisionMatrixWritesDenseM() throws {
        let dir = try PhononFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("si444.h5").path
        let s = try PhononIngest.ingestPhono3py(
            kappa: PhononFixtures.data("si", "kappa-m444.hdf5"),
            crystal: PhononFixtures.data("si", "crystal.si.txt"),
            collision: PhononFixtures.data("si", "collision-m444.h5"), output: out)
        XCTAssertEqual(s.collisionKind, "dense")
        let (m, d) = try MaterialFile.read(path: out)
        guard case .dense(let mm) = m.collision else { return XCTFail("expected dense M") }
        XCTAssertEqual(mm.rows, 384)
        for i in 0..<384 { XCTAssertEqual(mm[i, i], 0) }
        // A = diag(1/τ) − M conserves energy: Σ_μ ħω_μ A_μν = 0.
        var worst = 0.0, scale = 0.0
        for nu in 3..<384 {
            var r = m.modes.omega[nu] / m.modes.tau[nu]
            for mu in 3..<384 { r -= m.modes.omega[mu] * mm[mu, nu] }
            worst = max(worst, abs(r)); scale = max(scale, m.modes.omega[nu] / m.modes.tau[nu])
        }
        XCTAssertLessThan(worst / scale, 1e-10)
        XCTAssertLessThan(d.energyResidual!, 1e-12)
        XCTAssertEqual(d.spectralRadius!, s.spectralRadius)
        XCTAssertGreaterThan(d.spectralRadius!, 1)
        let ref = try PhononFixtures.referenceKappa("si", "full_matrix_mesh", "kappa_LBTE_phono3py")
        assertRelative(d.kappaLBTE![0], ref[0], 0.01, "stored κ_LBTE,xx")
        print(
            "Si 4³ ingest: κ_RTA \(s.kappaRTA[0]), κ_RTA(diag A) \(s.kappaRTADiagonal![0]), κ_LBTE \(s.kappaLBTE![0]), spectral radius \(s.spectralRadius), input residual \(s.inputDiagnostics!.energyResidual)"
        )
    }

    func testNothingIsWrittenWhenIngestFails() throws {
        let dir = try PhononFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("bad.h5").path
        XCTAssertThrowsError(
            try PhononIngest.ingestPhono3py(
                kappa: PhononFixtures.data("si", "kappa-m888.hdf5"),
                crystal: PhononFixtures.data("si", "crystal.si.txt"),
                collision: PhononFixtures.data("si", "collision-m444.h5"),
                output: out))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }

    func testSparseWhenFewNonzeros() throws {
        // A diagonal-dominant 4³ operator with the couplings dropped is below the 10 % threshold.
        let c = try PhononFixtures.crystal("si")
        let t = try Phono3pyReader.read(PhononFixtures.data("si", "kappa-m444.hdf5"), crystal: c)
        var m = try PhononCollisionMatrix.read(PhononFixtures.data("si", "collision-m444.h5"))
        let n = m.size
        for i in 0..<n { for j in 0..<n where i != j && (i / 6 != j / 6) { m.values[i * n + j] = 0 } }
        let (mat, s) = try PhononIngest.material(t, crystal: c, matrix: m, options: .init(enforceEnergyConservation: false))
        XCTAssertEqual(s.collisionKind, "sparse")
        guard case .sparse(let sp) = mat.collision else { return XCTFail("expected sparse") }
        XCTAssertLessThan(Double(sp.values.count), 0.1 * Double(n * n))
    }
}
