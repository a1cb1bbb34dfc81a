import XCTest
@testable import Store

/// The digest's promise: a change confined to one 8-byte word always changes it (each lane step is a bijection),
/// whatever the word's position, the bit flipped or the array's length.
final class WordDigestTests: XCTestCase {
    func testEverySingleBitFlipInAnyWordChangesTheDigest() {
        for n in [1, 3, 4, 5, 17, 64] {
            let values = (0..<n).map { 1e-3 * Double($0) + 0.25 }
            let reference = WordDigest.of(values)
            for i in 0..<n {
                for bit in [0, 1, 31, 52, 62, 63] {
                    var v = values
                    v[i] = Double(bitPattern: v[i].bitPattern ^ (1 << UInt64(bit)))
                    XCTAssertNotEqual(WordDigest.of(v), reference, "n=\(n) word \(i) bit \(bit)")
                }
            }
        }
    }

    func testDigestDependsOnOrderAndLengthAndIsStable() {
        XCTAssertNotEqual(WordDigest.of([1, 2, 3, 4]), WordDigest.of([2, 1, 3, 4]))
        XCTAssertNotEqual(WordDigest.of([0, 0, 0]), WordDigest.of([0, 0, 0, 0]))
        XCTAssertNotEqual(WordDigest.of([0.0]), WordDigest.of([-0.0]), "signed zeros are different stored bytes")
        XCTAssertEqual(WordDigest.of((0..<1000).map(Double.init)), WordDigest.of((0..<1000).map(Double.init)))
    }

    func testRowDigestRefusesAChangedRowAndAcceptsFilesWithoutDigests() throws {
        let path = NSTemporaryDirectory() + "/digest-\(UUID().uuidString).h5"
        defer { unlink(path) }
        let f = try HDF5File.create(path)
        try f.writeDataset("/stack", [1.0, 2, 3, 4], shape: [2, 2])
        try f.writeDataset("/stack" + RowDigest.suffix, [WordDigest.of([1.0, 2]), WordDigest.of([3.0, 4])], shape: [2])
        try f.writeDataset("/plain", [1.0, 2], shape: [1, 2])
        XCTAssertNoThrow(try RowDigest.verify(f, "/stack", row: 1, [3, 4]))
        XCTAssertThrowsError(try RowDigest.verify(f, "/stack", row: 1, [3, 4.000000001])) { e in
            XCTAssertTrue("\(e)".contains("/stack") && "\(e)".contains("row 1"), "\(e)")
        }
        XCTAssertNoThrow(try RowDigest.verify(f, "/plain", row: 0, [9, 9]))
        try f.close()
    }
}
