import XCTest
import Model
@testable import Solve
import Config

/// Run files that crashed the fuzz-run-config target (docs/fuzzing.md), and sizes that would
/// exhaust memory later: each must be a clean ConfigError naming the file and line.
final class ConfigFuzzRegressionTests: XCTestCase {
    static let base = "[run]\nmaterial = \"si.h5\"\nmesh = \"m.h5\"\n[[wall]]\nboundary = \"1\"\nkind = \"black\"\n"

    func assertConfigError(
        _ text: String, line: Int, contains fragment: String,
        file: StaticString = #filePath, sourceLine: UInt = #line
    ) {
        XCTAssertThrowsError(try RunConfig.parse(text, file: "run.toml"), file: file, line: sourceLine) { error in
            guard let e = error as? ConfigError else { return XCTFail("expected ConfigError, got \(error)", file: file, line: sourceLine) }
            XCTAssertEqual(e.line, line, e.description, file: file, line: sourceLine)
            XCTAssertTrue(e.description.hasPrefix("run.toml:\(line): "), e.description, file: file, line: sourceLine)
            XCTAssertTrue(e.description.contains(fragment), e.description, file: file, line: sourceLine)
        }
    }

    /// Found by reading RunConfig while writing fuzz-run-config, confirmed as a crash of that target: a mode index
    /// of 1e300 trapped converting to Int.
    func testHugeModeIndexIsRejected() {
        let text = Self.base + "[[source]]\nkind = \"uniform\"\npower_density = \"1 W m-3\"\nspectrum = \"modes\"\nmodes = [1e300]\n"
        assertConfigError(text, line: 11, contains: "modes: expected non-negative integers")
    }

    /// Found the same way: `a = [[[[…` recursed once per bracket until the stack overflowed (ASan: stack-overflow).
    func testDeeplyNestedArrayIsRejected() {
        let text = "[run]\nmaterial = " + String(repeating: "[", count: 100_000) + "\n"
        assertConfigError(text, line: 2, contains: "arrays nested more than 16 deep")
    }

    func testNestingWithinTheLimitStillParses() throws {
        let doc = try ConfigDocument.parse("a = [[[1, 2], [3]], []]\n", file: "x.toml")
        XCTAssertEqual(doc.tables[0].values["a"], .array([.array([.array([.number(1), .number(2)]), .array([.number(3)])]), .array([])]))
    }

    /// GMRES allocates restart² numbers before the first sweep: a huge restart is refused when the file is read.
    func testHugeKrylovRestartIsRejectedBeforeTheSolve() {
        let text = Self.base + "[events]\nkrylov_restart = 1e12\n"
        assertConfigError(text, line: 8, contains: "krylov_restart: expected 1 … 1000, found 1000000000000")
    }
}
