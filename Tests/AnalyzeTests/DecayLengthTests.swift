import XCTest
import Foundation
@testable import Analyze

/// The decay-length fit recovers ℓ from exact and from noisy exponentials, and refuses data without a decay.
final class DecayLengthTests: XCTestCase {
    func testRecoversExactDecayLength() {
        let d = (0..<30).map { Double($0) * 10e-9 }
        for l in [15e-9, 40e-9, 90e-9] {
            let y = d.map { 3.0 * exp(-$0 / l) + 0.2 }
            let f = DecayLengths.fit(distance: d, value: y)!
            XCTAssertEqual(f.length, l, accuracy: 0.03 * l, "ℓ = \(l)")
        }
    }

    func testNoisyDataGivesAnHonestUncertainty() {
        var rng = SystemRandomNumberGenerator()
        let d = (0..<40).map { Double($0) * 5e-9 }
        let l = 30e-9
        let y = d.map { 1.0 * exp(-$0 / l) - 0.1 + Double.random(in: -0.01...0.01, using: &rng) }
        let f = DecayLengths.fit(distance: d, value: y)!
        XCTAssertEqual(f.length, l, accuracy: max(3 * f.uncertainty, 0.1 * l))
        XCTAssertGreaterThan(f.uncertainty, 0)
    }

    func testFlatDataHasNoDecayLength() {
        XCTAssertNil(DecayLengths.fit(distance: [0, 1, 2, 3, 4], value: [0, 0, 0, 0, 0]))
    }
}
