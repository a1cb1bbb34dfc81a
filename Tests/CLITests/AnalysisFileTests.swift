import Foundation
import Store
import XCTest

/// `analyze --options FILE`: the analyze flags as an `[analysis]` table give the same products as the flags, and
/// a bad value is named by file, line and key.
final class AnalysisFileTests: XCTestCase {
    func testAnalysisFileEqualsTheFlags() throws {
        let dir = try CLI.temporaryDirectory("analysis-file")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(try CLI.run(["ingest", "gray", "-o", "gray.h5", "--mean-free-path", "0.5 um", "--polar", "4", "--azimuthal", "4"], in: dir).status, 0)
        XCTAssertEqual(try CLI.run(["ingest", "box", "-o", "slab.h5", "--cells", "1", "1", "12", "--lengths", "1 1 1 um"], in: dir).status, 0)
        try graySlabConfig(maxEvents: 4).write(toFile: dir + "/slab.toml", atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLI.run(["solve", "slab.toml", "-o", "run.h5", "--quiet"], in: dir).status, 0)

        let flags = try CLI.run(
            ["analyze", "run.h5", "-o", "flags.nc", "--binning", "slab-z", "--bins", "6", "--energy-bins", "4", "--tir-margin", "100 nm", "--quiet"],
            in: dir)
        XCTAssertEqual(flags.status, 0, flags.stderr)
        try """
        # the same binning as the flags
        [analysis]
        binning = "slab-z"
        bins = 6
        energy_bins = 4
        tir_margin = "100 nm"
        """.write(toFile: dir + "/analysis.toml", atomically: true, encoding: .utf8)
        let file = try CLI.run(["analyze", "run.h5", "-o", "file.nc", "--options", "analysis.toml", "--quiet"], in: dir)
        XCTAssertEqual(file.status, 0, file.stderr)
        let a = try NetCDFFile.open(dir + "/flags.nc"), b = try NetCDFFile.open(dir + "/file.nc")
        XCTAssertEqual(try a.stringAttribute("analysis_options"), try b.stringAttribute("analysis_options"))
        for v in ["temperature_binned", "temperature_binned_event", "surface_power", "temperature"] {
            XCTAssertEqual(try a.variable(v).read(as: Double.self), try b.variable(v).read(as: Double.self), v)
        }

        for (text, expected) in [
            ("[analysis]\nbinning = \"slab-z\"\nbins = 0\n", "analysis.toml:3: [analysis] bins must lie in"),
            ("[analysis]\nbins = 6\nradius_max = \"1 um\"\n", "analysis.toml:3:"),
            ("[analysis]\ntir_margin = \"-1 nm\"\n", "analysis.toml:2: [analysis] tir_margin must be finite"),
            ("bins = 6\n", "analysis.toml:1: keys must be inside an [analysis] table")
        ] {
            try text.write(toFile: dir + "/bad.toml", atomically: true, encoding: .utf8)
            let r = try CLI.run(["analyze", "run.h5", "-o", "bad.nc", "--options", "bad.toml"], in: dir)
            XCTAssertEqual(r.status, 1, text)
            XCTAssertTrue(r.stderr.contains(expected.replacingOccurrences(of: "analysis.toml", with: "bad.toml")), "\(text) → \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/bad.nc"))
        }
        let both = try CLI.run(["analyze", "run.h5", "-o", "both.nc", "--options", "analysis.toml", "--bins", "3"], in: dir)
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.stderr.contains("not both"), both.stderr)
    }
}
