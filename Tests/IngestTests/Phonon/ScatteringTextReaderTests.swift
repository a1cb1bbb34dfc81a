import XCTest
@testable import Ingest

final class ScatteringTextReaderTests: XCTestCase {
    static let toy: [Double] = [0, 0, 0, 0, 0, 2.5, -0.4, -0.6, 0, -0.5, 1.2, -0.3, 0, -0.7, -0.2, 3.1].map { $0 * 1e12 }

    func testValidFixturesParseToTheToyMatrix() throws {
        for name in [
            "valid-A-dense.txt", "valid-A-dense.txt.gz", "valid-A-sparse.txt", "valid-M-dense.txt",
            "valid-A-dense-fortran-style.txt"
        ] {
            let m = try ScatteringTextReader.read(PhononFixtures.scatterExample(name))
            XCTAssertEqual(m.size, 4, name)
            XCTAssertEqual(m.zeroModes, [0], name)
            XCTAssertEqual(m.temperature, 300, name)
            for (a, b) in zip(m.values, Self.toy) { XCTAssertEqual(a, b, accuracy: 1e-3, name) }
        }
    }

    /// Every invalid fixture is rejected, with the file and a line in the message and the reason its
    /// `# expect-error:` comment gives.
    func testInvalidFixturesAreRejected() throws {
        let expected: [String: String] = [
            "invalid-basis.txt": "unsupported basis 'phi'",
            "invalid-dense-row-count.txt": "3 data lines, expected 4",
            "invalid-dense-row-length.txt": "data line 3 has 3 values, expected 4",
            "invalid-dense-with-nnz.txt": "nnz not allowed with storage dense",
            "invalid-duplicate-key.txt": "key 'T' given twice",
            "invalid-fortran-exponent-without-E.txt": "bad number '0.25+001'",
            "invalid-magic.txt": "not a pbte-scatter file",
            "invalid-missing-unit.txt": "required key 'unit' missing",
            "invalid-nan.txt": "bad number 'nan'",
            "invalid-nmodes-mismatch.txt": "nmodes != nq*nbranch",
            "invalid-qmesh-mismatch.txt": "qmesh product != nq",
            "invalid-sparse-duplicate.txt": "entry (3, 3) given twice",
            "invalid-sparse-index-range.txt": "index 5 outside 1...4",
            "invalid-sparse-missing-nnz.txt": "required key 'nnz' missing (storage sparse)",
            "invalid-sparse-nnz.txt": "8 data lines, nnz 9",
            "invalid-unit.txt": "unsupported unit 'THz'",
            "invalid-unknown-token-in-key-line.txt": "'foo' is not a key",
            "invalid-version.txt": "unsupported format_version 2",
            "invalid-zero-mode-not-zero.txt": "zero mode 1 has a nonzero entry"
        ]
        for (name, message) in expected {
            let path = PhononFixtures.scatterExample(name)
            do {
                _ = try ScatteringTextReader.read(path)
                XCTFail("\(name) was accepted")
            } catch let e as PhononIngestError {
                XCTAssertTrue(e.description.contains(message), "\(name): \(e)")
                XCTAssertTrue(e.description.hasPrefix(path + ":"), "\(name): \(e)")
                XCTAssertNotNil(e.line, "\(name): \(e)")
            }
        }
    }

    func testSampleTextMatchesHDF5() throws {
        let t = try ScatteringTextReader.read(PhononFixtures.data("si", "scatter.si.4x4x4_T300.txt.gz"))
        let h = try CollisionHDF5Reader.read(PhononFixtures.data("si", "collision-m444.h5"))
        XCTAssertEqual(t.size, 384)
        XCTAssertEqual(t.zeroModes, [0, 1, 2])
        XCTAssertEqual(h.zeroModes, [0, 1, 2])
        XCTAssertEqual(t.values, h.values, "%.16E text is an exact round trip of the HDF5 matrix")
    }
}
