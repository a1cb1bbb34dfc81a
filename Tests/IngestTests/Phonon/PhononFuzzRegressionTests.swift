import XCTest
@testable import Ingest

/// Inputs that crashed a reader under `make fuzz` (docs/fuzzing.md), and headers announcing counts no file could
/// hold: each must be a clean error naming the file and line, thrown before anything of that size is allocated.
final class PhononFuzzRegressionTests: XCTestCase {
    static func scatter(_ header: String, _ data: String = "1\n") -> [UInt8] {
        Array("# pbte-scatter format_version 1\n\(header)\n# T 300 K unit ps-1 basis psi quantity collision_operator_A\n\(data)".utf8)
    }

    func read(_ bytes: [UInt8]) throws -> PhononCollisionMatrix {
        try ScatteringTextReader.parse(contents: bytes, fileName: "scatter.txt")
    }

    /// Found by fuzz-scattering-text after 1.09 M executions (its input verbatim): the qmesh product overflowed Int.
    func testQMeshProductOverflowIsACountMismatch() {
        let text = Array("# pbte-scatter format_version 1\n# nmodes 4  nq 2  nbranch 2  qmesh 2 11333333333333333 33333333301\n".utf8)
        assertPhononError(.countMismatch, file: "scatter.txt", line: 2, contains: ["qmesh product != nq"]) { try read(text) }
    }

    /// Found by reading the header checks while writing the harness, then confirmed as a crash of fuzz-scattering-text.
    func testModeCountProductOverflowIsACountMismatch() {
        let text = Self.scatter("# nmodes 1 nq 99999999999 nbranch 99999999999 storage dense")
        assertPhononError(.countMismatch, file: "scatter.txt", line: 2, contains: ["nmodes != nq*nbranch"]) { try read(text) }
    }

    func testSparseEntryCountAboveNModesSquaredIsRejected() {
        let text = Self.scatter("# nmodes 2 nq 1 nbranch 2 storage sparse nnz 999999999999999999", "1 1 1\n")
        assertPhononError(.invalidValue, file: "scatter.txt", line: 2, contains: ["nnz 999999999999999999 exceeds"]) {
            try read(text)
        }
    }

    func testHugeModeCountIsRejectedBeforeAllocating() {
        let text = Self.scatter("# nmodes 1000000000000 nq 1000000000000 nbranch 1 storage dense")
        assertPhononError(.tooLarge, file: "scatter.txt", line: 2, contains: ["exceeds the limit"]) { try read(text) }
    }

    /// 20000² values are within the limit but need 800 MB of text: a 100-byte file must not make the reader allocate.
    func testDenseMatrixLargerThanTheFileIsRejectedBeforeAllocating() {
        let text = Self.scatter("# nmodes 20000 nq 20000 nbranch 1 storage dense")
        assertPhononError(.truncated, file: "scatter.txt", line: 4, contains: ["20000×20000 dense values", "bytes"]) {
            try read(text)
        }
    }

    func testCrystalHeaderWithHugeAtomCountIsRejectedBeforeReadingAtoms() {
        let text = "1 1000000000000 2 10.26 0 0 0 0 0\n1 'Si' 28.0855\n1 1 0 0 0\n"
        assertPhononError(.truncated, file: "crystal.txt", line: 1, contains: ["1000000000000 atoms"]) {
            try CrystalHeaderReader.parse(contents: Array(text.utf8), fileName: "crystal.txt")
        }
    }

    /// Fuzzing showed the two regex literals of D3QGridFile compiled anew for every comment line; the hand
    /// scanners that replaced them must read what the patterns read.
    func testCommentScannersAgreeWithThePatternsTheyReplaced() {
        let configuration = #/T=\s*([0-9.+\-Ee]+)\s*sigma=\s*([0-9.+\-Ee]+)/#
        for line in [
            "#      1     T= 300.0    sigma=   0.0", "# T=300 sigma=10", "#T=  1e+2sigma=5", "# T= sigma= 3",
            "# T=1 T=2 sigma=3", "# T=abc T=300 sigma=1", "# T=1e+-3 sigma=1", "# sigma= 1 T= 2", "# T=5 sigma=",
            "# T=\t7\tsigma=\t8", "", "no configuration"
        ] {
            let expected = line.firstMatch(of: configuration).flatMap { m in Double(m.1).flatMap { t in Double(m.2).map { (t, $0) } } }
            let found = D3QGridFile.configuration(line)
            XCTAssertEqual(found?.0, expected?.0, line)
            XCTAssertEqual(found?.1, expected?.1, line)
        }
        let unit = #/\[([^\]]*)\]/#
        for line in ["# linewidth [cm^-1]", "# [a [b] c]", "# a ] [b", "# []", "# none", "# [open"] {
            XCTAssertEqual(D3QGridFile.bracketed(line), line.firstMatch(of: unit).map { String($0.1) }, line)
        }
    }
}
