import XCTest
import Foundation

/// `pbte-bench --compare` tells a regression from noise: a figure that slowed by half against an unchanged
/// reference is a regression; one that slowed as much as the machine's own reference did is not, nor one whose
/// ratio moved only because the reference jumped; small moves within the repeats' spread are noise. No timing happens here: two kept reports are compared.
final class BenchCompareTests: XCTestCase {
    func report(date: String, triad: Double, figures: [(String, Double, Double?, Double?)]) -> String {
        let rows = figures.map { name, value, normalized, spread in
            """
            {"section": "drift", "name": "\(name)", "value": \(value), "unit": "µs/(mode·tet)", "display": "\(value)",
             "limit": "", "better": "lower"\(normalized.map { ", \"normalized\": \($0), \"normalizedUnit\": \"triad elements\"" } ?? "")\(spread.map { ", \"spread\": \($0)" } ?? "")}
            """
        }
        let reference = "{\"dgemmGflops\": 40, \"triadGBps\": \(triad), \"writeMBps\": 1000}"
        return """
            {"date": "\(date)", "command": "pbte-bench", "quick": true, "cores": 2, "cpu": "test", "load": ["0.1", "0.1"],
             "referenceBefore": \(reference), "referenceAfter": \(reference), "figures": [\(rows.joined(separator: ","))]}
            """
    }

    func testRegressionIsToldFromNoiseAndFromASlowerMachine() throws {
        let dir = try CLI.temporaryDirectory("bench-compare")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bench = (CLI.executable as NSString).deletingLastPathComponent + "/pbte-bench"
        try report(
            date: "old", triad: 20,
            figures: [
                ("slower code", 0.10, 100, 0.01), ("slower machine", 0.10, 100, 0.01),
                ("noise", 0.10, 100, 0.02), ("faster code", 0.10, 100, 0.01),
                ("jumpy reference", 0.10, 100, 0.01)
            ]
        )
        .write(toFile: dir + "/old.json", atomically: true, encoding: .utf8)
        // The new machine streams at 10 GB/s instead of 20: its triad element takes twice as long.
        try report(
            date: "new", triad: 10,
            figures: [
                ("slower code", 0.30, 150, 0.01), ("slower machine", 0.20, 100, 0.01),
                ("noise", 0.21, 104, 0.02), ("faster code", 0.05, 50, 0.01),
                ("jumpy reference", 0.10, 130, 0.01)
            ]
        )
        .write(toFile: dir + "/new.json", atomically: true, encoding: .utf8)
        let r = try CLI.spawn(bench, ["--report", "new.json", "--compare", "old.json"], in: dir, limit: 60)
        XCTAssertEqual(r.status, 3, "a regression exits 3: \(r.stdout)\(r.stderr)")
        func verdict(_ name: String) -> String? {
            r.stdout.split(separator: "\n").first { $0.contains("drift/\(name) ") }?.split(separator: "|").last.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        XCTAssertEqual(verdict("slower code"), "REGRESSION", r.stdout)
        XCTAssertEqual(verdict("slower machine"), "within noise", r.stdout)
        XCTAssertEqual(verdict("noise"), "within noise", r.stdout)
        XCTAssertEqual(verdict("faster code"), "improved", r.stdout)
        // The figure did not move; only its ratio to a reference that jumped did.
        XCTAssertEqual(verdict("jumpy reference"), "within noise", r.stdout)
        XCTAssertTrue(r.stdout.contains("1 regression(s) beyond noise"), r.stdout)
        // The same report against itself: nothing moved, exit 0.
        let same = try CLI.spawn(bench, ["--report", "old.json", "--compare", "old.json"], in: dir, limit: 60)
        XCTAssertEqual(same.status, 0, same.stdout + same.stderr)
        // Not a report: a clear error, no signal.
        try "not json".write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
        let bad = try CLI.spawn(bench, ["--report", "bad.json", "--compare", "old.json"], in: dir, limit: 60)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("bad.json is not a pbte-bench report"), bad.stderr)
    }
}
