import XCTest
import Foundation
import Model
@testable import Solve

/// Diffuse sheet and DMM (docs/physics.md §7.1–7.3): exact (i)–(iv) on gray media and the 8³ SW Si/Ge data, the
/// radiation limits Σw of docs/physics.md §7.3, and the DMM Landauer conductance.
final class DiffuseKernelTests: XCTestCase {
    typealias M = KernelTestMedia

    func testSheetOnIdenticalGrayMediaTransmitsT() throws {
        let g = M.gray(speed: 6400)
        for t in [0.0, 0.25, 0.9, 1.0] {
            let k = try InterfaceKernel.diffuseSheet(modesA: g, modesB: g, normal: M.z, transmissivity: t, binWidth: nil)
            _ = M.assertExact(k, g, g)
            let tr = M.transmission(k.transmitAB, columns: g.count)
            for mu in 0..<g.count where g.vz[mu] > 0 { XCTAssertEqual(tr[mu], t, accuracy: 1e-13) }
            let trB = M.transmission(k.transmitBA, columns: g.count)
            for mu in 0..<g.count where g.vz[mu] < 0 { XCTAssertEqual(trB[mu], t, accuracy: 1e-13) }
        }
    }

    func testSheetOnDifferentGrayMediaFollowsDetailedBalance() throws {
        let a = M.gray(speed: 8000, heatCapacity: 1.6e6), b = M.gray(speed: 4000, polar: 10, azimuthal: 8, heatCapacity: 1.7e6)
        // W_A/W_B = (C_A c_A)/(C_B c_B) = 1.88: t_AB = 0.5 would need t_BA = 0.94; 0.6 would need 1.13.
        let k = try InterfaceKernel.diffuseSheet(modesA: a, modesB: b, normal: M.z, transmissivity: 0.5, binWidth: nil)
        let c = M.assertExact(k, a, b)
        let wa = Self.arrivingFlux(a, sign: 1), wb = Self.arrivingFlux(b, sign: -1)
        XCTAssertEqual(wa / (1.6e6 * 8000 / 4), 1, accuracy: 0.01) // the quadrature's C v/4
        XCTAssertEqual(M.transmission(k.transmitBA, columns: b.count).first { $0 > 0 }!, 0.5 * wa / wb, accuracy: 1e-12)
        XCTAssertEqual(c.conductanceAB, 0.5 * wa, accuracy: 1e-12 * wa)
        XCTAssertThrowsError(try InterfaceKernel.diffuseSheet(modesA: a, modesB: b, normal: M.z, transmissivity: 0.6, binWidth: nil))
        let clamped = try InterfaceKernel.diffuseSheet(modesA: a, modesB: b, normal: M.z, transmissivity: 0.6, binWidth: nil, overflow: .clamp)
        _ = M.assertExact(clamped, a, b)
        XCTAssertEqual(M.transmission(clamped.transmitBA, columns: b.count).first { $0 > 0 }!, 1, accuracy: 1e-12)
    }

    func testDMMOnGrayMedia() throws {
        let g = M.gray(speed: 6400)
        let same = try InterfaceKernel.diffuseMismatch(modesA: g, modesB: g, normal: M.z)
        _ = M.assertExact(same, g, g)
        for x in M.transmission(same.transmitAB, columns: g.count) where x > 0 { XCTAssertEqual(x, 0.5, accuracy: 1e-13) }
        let a = M.gray(speed: 8000), b = M.gray(speed: 3000, polar: 8, azimuthal: 6)
        let k = try InterfaceKernel.diffuseMismatch(modesA: a, modesB: b, normal: Vector3(0, 0, -2))
        let c = M.assertExact(k, a, b)
        // Gray DMM: t_AB = W_B/(W_A + W_B), W = quadrature of C v/4 (the normal's direction only swaps which
        // hemisphere arrives).
        let wa = Self.arrivingFlux(a, sign: -1), wb = Self.arrivingFlux(b, sign: 1)
        XCTAssertEqual(c.conductanceAB, wa * wb / (wa + wb), accuracy: 1e-12 * wa)
        XCTAssertEqual(wb / wa, 3000.0 / 8000, accuracy: 0.02)
    }

    static func arrivingFlux(_ m: ModeSet, sign: Double) -> Double {
        (0..<m.count).reduce(0) { s, mu in sign * m.vz[mu] > 0 ? s + m.volumeWeight[mu] * m.heatCapacity(mu) * abs(m.vz[mu]) : s }
    }

    func testRadiationLimitsOfSampleData() throws {
        for (mat, ref) in [("si", 1147.2), ("ge", 824.6)] {
            let m = try KernelSampleData.modes(mat)
            let side = KernelSide(modes: m, normal: M.z, sign: 1, binning: FrequencyBinning(width: nil))
            let w = side.arriving.reduce(0) { $0 + side.w[$1] } / 1e6
            XCTAssertEqual(w, ref, accuracy: 0.005 * ref, "\(mat) Σw (MW m^-2 K^-1), docs/physics.md §7.3")
        }
    }

    func testSheetAndDMMOnSampleData() throws {
        let si = try KernelSampleData.modes("si"), ge = try KernelSampleData.modes("ge")
        let sheet = try InterfaceKernel.diffuseSheet(modesA: si, modesB: ge, normal: M.z, transmissivity: 0.3, overflow: .clamp)
        _ = M.assertExact(sheet, si, ge)
        let sameSheet = try InterfaceKernel.diffuseSheet(modesA: si, modesB: si, normal: M.z, transmissivity: 0.3)
        _ = M.assertExact(sameSheet, si, si)
        var report = [String]()
        for width in [0.1, 0.25, 0.5, 1.0] {
            let k = try InterfaceKernel.diffuseMismatch(modesA: si, modesB: ge, normal: M.z, binWidth: width)
            let c = M.assertExact(k, si, ge)
            let g = landauerConductance(k, modesA: si)
            XCTAssertEqual(g, c.conductanceAB, accuracy: 1e-9 * g)
            XCTAssertEqual(c.conductanceAB, c.conductanceBA, accuracy: 1e-12 * g)
            report.append(String(format: "%.2f THz: G_emit %.1f MW m^-2 K^-1", width, g / 1e6))
            // Si → Si DMM is t = 1/2 in every bin: G = Σw/2.
            if width == 0.5 {
                let ss = try InterfaceKernel.diffuseMismatch(modesA: si, modesB: si, normal: M.z, binWidth: width)
                let cs = M.assertExact(ss, si, si)
                XCTAssertEqual(cs.conductanceAB / 1e6, 1147.2 / 2, accuracy: 0.01 * 1147.2)
                // Reversed sides: Ge → Si has the same G_emit (detailed balance).
                let rev = try InterfaceKernel.diffuseMismatch(modesA: ge, modesB: si, normal: M.z, binWidth: width)
                XCTAssertEqual(landauerConductance(rev, modesA: ge), g, accuracy: 1e-10 * g)
                // Above Ge's highest frequency Si is totally reflected.
                let tr = M.transmission(k.transmitAB, columns: si.count)
                let fmaxGe = ge.omega.max()!
                for mu in 0..<si.count where si.omega[mu] > fmaxGe + 2 * Double.pi * 1e12 * width { XCTAssertEqual(tr[mu], 0) }
            }
        }
        print("DMM Si/Ge 8^3, n = [001]: " + report.joined(separator: "; "))
        // [110] normal too: the kernels are not tied to an axis.
        let k110 = try InterfaceKernel.diffuseMismatch(modesA: si, modesB: ge, normal: Vector3(1, 1, 0))
        _ = M.assertExact(k110, si, ge)
    }
}
