import XCTest
import Foundation
import Model
@testable import Solve
import Config

/// SMM (docs/physics.md §7.5): the golden-rule magnitudes of the §7.5 table, the discrete kernel's diffraction against the
/// continuum, and exact (i)–(iv).
final class StrainMismatchTests: XCTestCase {
    typealias M = KernelTestMedia
    static let cL = 8435.0, cT = 5846.0

    /// Si-like on both sides (the table's set-up): γ = 0.56 both sides, A₀ = 0.0123, D = 9.57 nm.
    static var siLike: StrainMismatchParameters {
        var p = StrainMismatchParameters()
        p.gruneisenA = 0.56; p.gruneisenB = 0.56
        p.specular = .init(massDensityA: 2329, massDensityB: 2329, binWidth: nil)
        return p
    }

    func testDefaultsMatchPhysicsSection4() {
        let p = StrainMismatchParameters()
        XCTAssertEqual(p.amplitude, 0.0123, accuracy: 0.00005)
        XCTAssertEqual(p.firstReciprocal * 1e-9, 0.656, accuracy: 0.001) // 2π/9.57 nm = 0.6566
    }

    /// docs/physics.md §7.5 magnitude table (two significant digits, so ±5% covers its rounding; the 0.5 THz LA 45° entry,
    /// 1.0e-4, sits next to a channel opening and is given ±10%). Normal incidence: closed below the first opening.
    func testMagnitudeTable() {
        let p = Self.siLike
        let speeds = [Self.cL, Self.cT, Self.cT]
        func prob(_ f: Double, _ c: Double, _ cosT: Double) -> Double {
            StrainMismatch.continuumProbability(
                frequency: f * 1e12, incidentSpeed: c, cosTheta: cosT, azimuth: 0,
                speedsA: speeds, speedsB: speeds, parameters: p)
        }
        let rows: [(Double, Double, Double, Double)] = [
            (1, 1.3e-3, 1.3e-3, 2.1e-3), (2, 6.1e-3, 7.9e-3, 6.6e-3),
            (3, 1.1e-2, 1.9e-2, 9.1e-3), (5, 2.4e-2, 5.4e-2, 2.1e-2)
        ]
        var report = [String]()
        for (f, laN, la45, taN) in rows {
            let x = (prob(f, Self.cL, 1), prob(f, Self.cL, 0.5.squareRoot()), prob(f, Self.cT, 1))
            report.append(String(format: "%.0f THz: %.3g %.3g %.3g", f, x.0, x.1, x.2))
            XCTAssertEqual(x.0 / laN, 1, accuracy: 0.05, "LA normal \(f) THz")
            XCTAssertEqual(x.1 / la45, 1, accuracy: 0.05, "LA 45° \(f) THz")
            XCTAssertEqual(x.2 / taN, 1, accuracy: 0.05, "TA normal \(f) THz")
        }
        XCTAssertEqual(prob(0.5, Self.cL, 1), 0)
        XCTAssertEqual(prob(0.5, Self.cT, 1), 0)
        XCTAssertEqual(prob(0.5, Self.cL, 0.5.squareRoot()) / 1.0e-4, 1, accuracy: 0.1)
        print("SMM per-hit P_diff (LA normal, LA 45°, TA normal): " + report.joined(separator: "; "))
        // Scaling P ∝ γ²A₀² (equal γ): doubling b doubles A₀ and quadruples P.
        var q = p; q.burgers *= 2
        XCTAssertEqual(
            StrainMismatch.continuumProbability(
                frequency: 2e12, incidentSpeed: Self.cL, cosTheta: 1, azimuth: 0,
                speedsA: speeds, speedsB: speeds, parameters: q) / prob(2, Self.cL, 1), 4, accuracy: 1e-9)
    }

    /// The discrete kernel places, for every arriving mode of a synthetic Debye medium, the continuum probability at that
    /// mode's own direction (all open channels find final states) — so it inherits the table.
    func testDiscreteDiffractionEqualsContinuum() throws {
        let f = 2e12
        let m = M.debye(frequency: f, speeds: [Self.cL, Self.cT, Self.cT], polar: 16, azimuthal: 32)
        let p = Self.siLike
        let d = try InterfaceKernel.strainMismatchDiagnostics(modesA: m, modesB: m, normal: M.z, parameters: p)
        XCTAssertEqual(d.droppedChannels, 0)
        let e1 = Vector3(1, 1, 0).normalized
        var worst = 0.0
        for mu in 0..<m.count where m.vz[mu] > 0 {
            let v = m.velocity(mu), c = v.norm
            let phi = atan2(v.dot(Vector3(0, 0, 1).cross(e1)), v.dot(e1))
            let cont = StrainMismatch.continuumProbability(
                frequency: f, incidentSpeed: c, cosTheta: v.z / c, azimuth: phi,
                speedsA: [Self.cL, Self.cT, Self.cT], speedsB: [Self.cL, Self.cT, Self.cT], parameters: p)
            worst = max(worst, abs(d.diffractionA[mu] - cont) / max(cont, 1e-300))
        }
        XCTAssertLessThan(worst, 1e-9, "discrete P_diff vs continuum at the same direction")
        let k = try InterfaceKernel.strainMismatch(modesA: m, modesB: m, normal: M.z, parameters: p)
        _ = M.assertExact(k, m, m)
        // Si/Si with equal densities: AMM transmits everything, so what comes back is backward diffraction, a part of
        // P_diff (large only at grazing incidence, where 1/|v_z| grows).
        var backMean = 0.0, pMean = 0.0, wsum = 0.0
        let back = M.transmission(k.reflectA, columns: m.count)
        for mu in 0..<m.count where m.vz[mu] > 0 {
            let w = m.volumeWeight[mu] * m.heatCapacity(mu) * m.vz[mu]
            backMean += w * back[mu]; pMean += w * d.diffractionA[mu]; wsum += w
        }
        XCTAssertGreaterThan(backMean, 0)
        XCTAssertLessThan(backMean, pMean)
        print(String(format: "SMM Si-like Debye 2 THz: flux-weighted P_diff %.4f, reflected %.4f", pMean / wsum, backMean / wsum))
    }

    func testGrayAndDifferentMediaAreExact() throws {
        var p = StrainMismatchParameters()
        p.specular.binWidth = nil
        let g = M.gray(speed: 6400)
        _ = M.assertExact(try InterfaceKernel.strainMismatch(modesA: g, modesB: g, normal: M.z, parameters: p), g, g)
        let a = M.gray(speed: 8435, heatCapacity: 1e6), b = M.gray(speed: 4913, polar: 10, azimuthal: 10, heatCapacity: 1e6 * pow(8435 / 4913, 3))
        let k = try InterfaceKernel.strainMismatch(modesA: a, modesB: b, normal: M.z, parameters: p)
        _ = M.assertExact(k, a, b)
        // A Debye pair at 3 THz with the Si/Ge speeds, densities and Grüneisen parameters of docs/physics.md §8.
        let si = M.debye(frequency: 3e12, speeds: [8435, 5846, 5846], polar: 16, azimuthal: 32)
        let ge = M.debye(frequency: 3e12, speeds: [4913, 3543, 3543], polar: 16, azimuthal: 32)
        let kd = try InterfaceKernel.strainMismatch(modesA: si, modesB: ge, normal: M.z, parameters: p)
        _ = M.assertExact(kd, si, ge)
        XCTAssertThrowsError(
            try InterfaceKernel.strainMismatch(
                modesA: g, modesB: g, normal: M.z,
                parameters: {
                    var q = p; q.arrayDirection = Vector3(0, 0, 1); return q
                }()))
    }

    func testSampleDataIsExact() throws {
        let si = try KernelSampleData.modes("si"), ge = try KernelSampleData.modes("ge")
        let k = try InterfaceKernel.strainMismatch(modesA: si, modesB: ge, normal: M.z)
        let c = M.assertExact(k, si, ge)
        print(String(format: "SMM Si/Ge 8^3 [001] defaults: G_emit %.1f MW m^-2 K^-1; ", c.conductanceAB / 1e6) + k.warnings.joined(separator: " | "))
        let amm = try InterfaceKernel.acousticMismatch(modesA: si, modesB: ge, normal: M.z)
        let mix = try InterfaceKernel.mix(k, try InterfaceKernel.diffuseMismatch(modesA: si, modesB: ge, normal: M.z), p: 0.5)
        _ = M.assertExact(mix, si, ge)
        XCTAssertNotEqual(landauerConductance(amm, modesA: si), c.conductanceAB)
    }
}
