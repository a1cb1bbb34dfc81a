import Model
import XCTest
@testable import Ingest

final class CollisionKappaTests: XCTestCase {
    func table(_ material: String) throws -> (PhononModeTable, CrystalStructure) {
        let c = try PhononFixtures.crystal(material)
        return (try D3QReader.read(PhononFixtures.d3qFiles(material, mesh: "4x4x4"), crystal: c), c)
    }

    /// LBTE κ at 4³ from both matrix files, against the κ phono3py computed from the same collision data.
    func testLBTEKappaMatchesPhono3py4x4x4() throws {
        for material in ["si", "ge"] {
            let (t, c) = try table(material)
            let ref = try PhononFixtures.referenceKappa(material, "full_matrix_mesh", "kappa_LBTE_phono3py")
            for file in ["collision-m444.h5", "scatter.\(material).4x4x4_T300.txt.gz"] {
                let m = try PhononCollisionMatrix.read(PhononFixtures.data(material, file))
                for enforce in [false, true] {
                    let (_, s) = try PhononIngest.material(
                        t, crystal: c, matrix: m,
                        options: .init(enforceEnergyConservation: enforce))
                    let k = s.kappaLBTE!
                    print("κ_LBTE \(material) 4³ from \(file) (enforce \(enforce)): \([k[0], k[4], k[8]]) vs phono3py \([ref[0], ref[4], ref[8]])")
                    for i in 0..<3 { assertRelative(k[4 * i], ref[4 * i], 0.01, "\(material) \(file) κ_LBTE[\(i)\(i)]") }
                    XCTAssertEqual(k[1], k[3], accuracy: 1e-9 * k[0], "κ symmetric")
                }
            }
            // Unenforced, the pseudo-inverse reproduces the generator's own ψ-basis least-squares κ.
            let own = try PhononFixtures.referenceKappa(material, "full_matrix_mesh", "kappa_LBTE_recomputed_from_A_psi_basis")
            let m = try PhononCollisionMatrix.read(PhononFixtures.data(material, "collision-m444.h5"))
            let (_, s) = try PhononIngest.material(t, crystal: c, matrix: m, options: .init(enforceEnergyConservation: false))
            assertRelative(s.kappaLBTE![0], own[0], 1e-6, "\(material) κ_LBTE,xx vs generator")
            // RTA from the 4³ linewidths too.
            let rta = try PhononFixtures.referenceKappa(material, "full_matrix_mesh", "kappa_RTA_phono3py_full_mesh")
            assertRelative(s.kappaRTA[0], rta[0], 1e-5, "\(material) κ_RTA,xx 4³")
        }
    }

    func testEnergyResidualAndEnforcement() throws {
        let (t, _) = try table("si")
        let m = try CollisionHDF5Reader.read(PhononFixtures.data("si", "collision-m444.h5"))
        let flagged = ScatteringDiagnostics.flaggedModes(m, excluded: t.excluded)
        XCTAssertEqual(flagged.indices.filter { flagged[$0] }, [0, 1, 2])
        let raw = try ScatteringDiagnostics.measure(m.values, size: m.size, modes: t.modes, flagged: flagged)
        print(
            "Si 4³ raw: residual \(raw.energyResidual), max-column \(raw.energyResidualMax), A∂n/∂T \(raw.temperatureResidual), asymmetry \(raw.asymmetry), λ(τM) \(raw.lambdaMin!)…\(raw.lambdaMax!)"
        )
        assertRelative(raw.energyResidual, 0.07756434701293655, 1e-6, "residual as in reference.json")
        assertRelative(raw.temperatureResidual, 0.16226833099051888, 1e-6, "‖A∂n̄/∂T‖/‖diag(A)∂n̄/∂T‖")
        XCTAssertLessThan(raw.energyResidual, 0.1)
        XCTAssertLessThan(raw.asymmetry, 1e-9, "symmetric in S⁻¹AS")
        XCTAssertGreaterThan(raw.lambdaMax!, 1, "the slightly negative energy eigenvalue of Ã shows up as λ > 1")

        let sym = ScatteringOperatorBuilder.symmetrized(m.values, size: m.size, modes: t.modes, flagged: flagged)
        let fixed = ScatteringOperatorBuilder.enforcingConservation(sym, size: m.size, modes: t.modes, flagged: flagged)
        let d = try ScatteringDiagnostics.measure(fixed, size: m.size, modes: t.modes, flagged: flagged)
        XCTAssertLessThan(d.energyResidual, 1e-12)
        XCTAssertLessThan(d.temperatureResidual, 1e-12)
        XCTAssertLessThan(d.asymmetry, 1e-12)
        XCTAssertEqual(d.lambdaMax!, 1, accuracy: 1e-9, "energy mode of τM is exactly 1")
        XCTAssertLessThan(d.lambdaMin!, -1, "sample τM has eigenvalues below −1 (damping needed)")
        XCTAssertEqual(d.spectralRadius!, max(abs(d.lambdaMin!), abs(d.lambdaMax!)))
    }

    func testConversionToCollisionOperator() throws {
        // Toy: modes 1…3 of the pbte-scatter example; M = −offdiag(A), τ = 1/A_μμ, flagged rows zero.
        let a = ScatteringTextReaderTests.toy
        let flagged = [true, false, false, false]
        let (dense, tau) = ScatteringOperatorBuilder.collisionOperator(a, size: 4, flagged: flagged, sparseThreshold: 0)
        XCTAssertEqual(tau[0], .infinity)
        XCTAssertEqual(tau[1], 1 / 2.5e12, accuracy: 1e-20)
        guard case .dense(let m) = dense else { return XCTFail("expected dense") }
        XCTAssertEqual(m[1, 2], 0.4e12)
        XCTAssertEqual(m[2, 1], 0.5e12)
        for i in 0..<4 { XCTAssertEqual(m[i, i], 0) }
        XCTAssertTrue(m.values[0..<4].allSatisfy { $0 == 0 })
        let (sparse, _) = ScatteringOperatorBuilder.collisionOperator(a, size: 4, flagged: flagged, sparseThreshold: 1)
        guard case .sparse(let s) = sparse else { return XCTFail("expected sparse") }
        XCTAssertEqual(s.values.count, 6)
        XCTAssertEqual(s.dense, m)
    }
}
