import XCTest
import Foundation
@testable import Model

final class ThermodynamicsTests: XCTestCase {
    /// ∂n̄/∂T against a central difference of n̄, across the ħω/k_BT range phonons span (1e-7 relative).
    func testOccupationDerivativeMatchesFiniteDifference() {
        for f in [0.1e12, 1e12, 5e12, 15e12, 40e12] {
            let w = 2 * Double.pi * f, T = 300.0, h = 1e-3
            let fd = (BoseEinstein.occupation(omega: w, temperature: T + h) - BoseEinstein.occupation(omega: w, temperature: T - h)) / (2 * h)
            XCTAssertEqual(BoseEinstein.dOccupationdT(omega: w, temperature: T), fd, accuracy: 1e-7 * abs(fd), "f = \(f)")
        }
    }

    /// The classical limit: C → k_B per mode when ħω ≪ k_BT.
    func testHeatCapacityClassicalLimit() {
        let c = BoseEinstein.heatCapacity(omega: 2 * Double.pi * 1e9, temperature: 300)
        XCTAssertEqual(c / Constants.kB, 1, accuracy: 1e-6)
    }

    /// Gauss–Legendre with n nodes integrates x^k exactly for k < 2n.
    func testGaussLegendreExactness() {
        for n in [1, 2, 5, 16, 64] {
            let (x, w) = GrayMedium.gaussLegendre(n)
            for k in 0..<(2 * n) {
                let q = zip(x, w).reduce(0.0) { $0 + $1.1 * pow($1.0, Double(k)) }
                let exact = k % 2 == 1 ? 0 : 2 / Double(k + 1)
                XCTAssertEqual(q, exact, accuracy: 1e-13, "n = \(n), k = \(k)")
            }
        }
    }

    /// The gray medium: weights sum to 1, Σρ C equals the requested C, and RTA κ = C v Λ / 3 on the diagonal.
    func testGrayMediumMoments() {
        let m = GrayMedium.make(polar: 8, azimuthal: 6, speed: 3, meanFreePath: 2, heatCapacity: 5).modes
        XCTAssertEqual(m.volumeWeight.reduce(0, +), 1, accuracy: 1e-14)
        XCTAssertEqual(m.volumetricHeatCapacity, 5, accuracy: 1e-12)
        let k = m.kappaRTA()
        for a in 0..<3 { XCTAssertEqual(k[4 * a], 5.0 * 3 * 2 / 3, accuracy: 1e-12) }
        XCTAssertEqual(k[1], 0, accuracy: 1e-12)
    }
}
