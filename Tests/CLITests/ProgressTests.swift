import XCTest
import Foundation

/// Progress on stderr: a terminal sees one bar redrawn in place for counting lines, a log sees plain lines (no
/// escape codes), and --quiet silences both.
final class ProgressTests: XCTestCase {
    func testBarOnATerminalLinesInALogNothingWhenQuiet() throws {
        let dir = try CLI.temporaryDirectory("progress")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(try CLI.run(["ingest", "gray", "-o", "gray.h5", "--mean-free-path", "0.5 um", "--polar", "4", "--azimuthal", "4"], in: dir).status, 0)
        XCTAssertEqual(try CLI.run(["ingest", "box", "-o", "slab.h5", "--cells", "1", "1", "6", "--lengths", "1 1 1 um"], in: dir).status, 0)
        try graySlabConfig(maxEvents: 4).write(toFile: dir + "/slab.toml", atomically: true, encoding: .utf8)
        let log = try CLI.run(["solve", "slab.toml", "-o", "log.h5"], in: dir)
        XCTAssertEqual(log.status, 0, log.stderr)
        XCTAssertTrue(log.stderr.contains("  event 0/4 ") && log.stderr.contains("  event 3/4 "), log.stderr)
        XCTAssertFalse(log.stderr.contains("\u{1B}") || log.stderr.contains("\r"), "escape codes in a log")
        let quiet = try CLI.run(["solve", "slab.toml", "-o", "quiet.h5", "--quiet"], in: dir)
        XCTAssertEqual(quiet.stderr, "")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { throw XCTSkip("no script(1) for a pseudo-terminal") }
        let r = try CLI.spawn("/usr/bin/script", ["-qec", "'\(CLI.executable)' solve slab.toml -o tty.h5", "/dev/null"], in: dir, limit: 300)
        let text = r.stdout + r.stderr
        XCTAssertFalse(r.timedOut, "script(1) ran past 300 s: \(text)")
        XCTAssertEqual(r.status, 0, text)
        XCTAssertTrue(text.contains("\r\u{1B}[2K  [██████████████████████████████] event 3/4"), text)
    }
}
