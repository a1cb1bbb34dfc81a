import XCTest
import Foundation
@testable import Solve

/// The regions' parts of system vectors: where they lie, that reading one does not copy, and that the parts and
/// the whole convert into each other exactly.
final class SystemLayoutTests: XCTestCase {
    func testPartsJoinPlaceAndLocate() {
        let layout = RegionLayout(sizes: [3, 0, 4])
        XCTAssertEqual(layout.offsets, [0, 3, 3])
        XCTAssertEqual(layout.count, 7)
        let x = (0..<7).map(Double.init)
        XCTAssertEqual(layout.parts(of: x), [[0, 1, 2], [], [3, 4, 5, 6]])
        XCTAssertEqual(layout.join(layout.parts(of: x)), x)
        XCTAssertEqual(layout.withPart(of: x, 2) { Array($0) }, [3, 4, 5, 6])
        var y = layout.zeros()
        layout.place([9, 8, 7, 6], into: &y, 2)
        XCTAssertEqual(y, [0, 0, 0, 9, 8, 7, 6])
        XCTAssertTrue(layout.locate(3) == (2, 0), "entry 3 is the first of region 2 (region 1 is empty)")
        XCTAssertTrue(layout.locate(2) == (0, 2))
    }

    /// With one region the part is the vector itself: the bookkeeping of a single-material run copies nothing.
    func testOneRegionSharesStorage() {
        let layout = RegionLayout(sizes: [5])
        let x = [1.0, 2, 3, 4, 5]
        let p = layout.part(of: x, 0)
        let same = x.withUnsafeBufferPointer { a in p.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
        XCTAssertTrue(same, "one region's part shares the vector's storage")
        let viewed = x.withUnsafeBufferPointer { a in layout.withPart(of: x, 0) { $0.baseAddress == a.baseAddress } }
        XCTAssertTrue(viewed)
        XCTAssertEqual(layout.join([x]), x)
    }

    /// The system's power sums through views equal the regions' own sums on copies of their parts, to the bit.
    func testSystemPowerSumsMatchTheRegionsOwn() throws {
        let a = try GraySetup.slab(tau0: 1, layers: 3, polar: 4, azimuthal: 4)
        let b = try GraySetup.slab(tau0: 2, layers: 2, polar: 4, azimuthal: 4)
        let system = TransportSystem(regions: [a, b])
        // Signs and sizes that vary, so that the order of the sums matters to the bits.
        let g = (0..<system.volumeSize).map { sin(Double($0) * 1.7) * Double(1 + $0 % 5) }
        let trace = (0..<system.boundarySize).map { cos(Double($0) * 0.9) }
        let parts = system.volumeLayout.parts(of: g), traces = system.boundaryLayout.parts(of: trace)
        let expected = (a.volumePowers(parts[0]).net + b.volumePowers(parts[1]).net)
        XCTAssertEqual(system.volumePowers(g).net, expected)
        XCTAssertEqual(system.volumePower(g), expected)
        XCTAssertEqual(system.scatteredPowers(g).gross, a.scatteredPowers(parts[0]).gross + b.scatteredPowers(parts[1]).gross)
        XCTAssertEqual(system.inflowPowers(trace).net, a.inflowPowers(traces[0]).net + b.inflowPowers(traces[1]).net)
        XCTAssertNotEqual(expected, 0)
    }
}
