import XCTest
import Foundation
import Model
@testable import Solve

/// Media and assertions shared by the interface-kernel tests.
enum KernelTestMedia {
    static let z = Vector3(0, 0, 1)

    /// Isotropic gray medium (GrayMedium's direction quadrature) with speed c.
    static func gray(speed: Double, polar: Int = 12, azimuthal: Int = 12, heatCapacity: Double = 1.6e6) -> ModeSet {
        GrayMedium.make(polar: polar, azimuthal: azimuthal, speed: speed, meanFreePath: 1e-7, heatCapacity: heatCapacity).modes
    }

    /// Synthetic isotropic Debye medium at one frequency f (Hz): one LA and two TA branches over Gauss–Legendre polar ×
    /// uniform azimuth directions (azimuth offset so the set is mirror- and inversion-symmetric), q = ω/c along v.
    /// Weights ∝ direction weight / c³ (the Debye density of states of each branch).
    static func debye(frequency f: Double, speeds: [Double] = [8435, 5846, 5846], polar: Int = 24, azimuthal: Int = 48) -> ModeSet {
        let (mu, wmu) = GrayMedium.gaussLegendre(polar)
        let omega = 2 * Double.pi * f
        var om = [Double](), vx = [Double](), vy = [Double](), vz = [Double](), rho = [Double](), br = [Int32]()
        for (s, c) in speeds.enumerated() {
            for i in 0..<polar {
                let st = (1 - mu[i] * mu[i]).squareRoot()
                for k in 0..<azimuthal {
                    let phi = 2 * Double.pi * (Double(k) + 0.5) / Double(azimuthal)
                    om.append(omega); vx.append(c * st * cos(phi)); vy.append(c * st * sin(phi)); vz.append(c * mu[i])
                    rho.append(1e27 * wmu[i] / (2 * Double(azimuthal)) * pow(5846 / c, 3)); br.append(Int32(s))
                }
            }
        }
        let n = om.count
        return ModeSet(
            temperature: 300, omega: om, vx: vx, vy: vy, vz: vz, tau: .init(repeating: 1e-10, count: n),
            volumeWeight: rho, qx: zip(vx, om).map { $0 * $1 / ($0 * $0 + 1e-300) }, branch: br)
    }

    /// Asserts (i)–(iv) to round-off.
    static func assertExact(
        _ k: InterfaceKernel, _ a: ModeSet, _ b: ModeSet, tolerance: Double = 1e-12,
        file: StaticString = #filePath, line: UInt = #line
    ) -> KernelCheck {
        let c = k.check(modesA: a, modesB: b)
        XCTAssertLessThan(c.conservation, tolerance, "(i) conservation, \(k.name): \(c)", file: file, line: line)
        XCTAssertGreaterThanOrEqual(c.mostNegative, 0, "(i) negative entries, \(k.name)", file: file, line: line)
        XCTAssertLessThan(c.equilibrium, tolerance, "(ii) equilibrium per mode, \(k.name): \(c)", file: file, line: line)
        XCTAssertLessThan(c.equilibriumOfTotal, tolerance, "(ii) equilibrium of total, \(k.name): \(c)", file: file, line: line)
        XCTAssertLessThan(c.detailedBalance, tolerance, "(iii) detailed balance, \(k.name): \(c)", file: file, line: line)
        XCTAssertEqual(c.wrongDirection, 0, "(iv) direction, \(k.name): \(c)", file: file, line: line)
        return c
    }

    /// Total transmission Σ_ν T_AB[ν, μ] of each mode of A.
    static func transmission(_ m: SparseMatrix, columns: Int) -> [Double] {
        var t = [Double](repeating: 0, count: columns)
        for k in 0..<m.values.count { t[Int(m.columnIndex[k])] += m.values[k] }
        return t
    }
}
