import XCTest
import Foundation
import Store

/// The porous film's periodic cell as a user builds it: `ingest box --pore-cells`, walls by name (pore diffuse,
/// the cell's sides periodic), a temperature-gradient drive; bad pore sizes are refused with the rule they break.
final class PorousCellCommandTests: XCTestCase {
    func testPorousCellFromTheCommandLine() throws {
        let dir = try CLI.temporaryDirectory("porous")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let box = try CLI.run(["ingest", "box", "-o", "cell.h5", "--cells", "8", "8", "1", "--lengths", "1 1 0.125 um", "--pore-cells", "4"], in: dir)
        XCTAssertEqual(box.status, 0, box.stderr)
        XCTAssertTrue(box.stdout.contains("porosity 0.25"), box.stdout)
        for (cells, pore, expected) in [(["8", "8", "1"], "3", "even"), (["8", "6", "1"], "2", "square cell"), (["8", "8", "1"], "8", "0 < P < 8")] {
            let r = try CLI.run(["ingest", "box", "-o", "bad.h5", "--cells"] + cells + ["--lengths", "1 1 0.125 um", "--pore-cells", pore], in: dir)
            XCTAssertNotEqual(r.status, 0)
            XCTAssertTrue(r.stderr.contains(expected), "\(cells) P = \(pore): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("bad.h5")))
        }
        XCTAssertEqual(try CLI.run(["ingest", "gray", "-o", "gray.h5", "--mean-free-path", "1 um", "--polar", "4", "--azimuthal", "8"], in: dir).status, 0)
        var toml = """
            [run]
            material = "gray.h5"
            mesh = "cell.h5"

            [events]
            max_events = 10
            krylov_tolerance = 1e-8

            [[source]]
            kind = "gradient"
            temperature_gradient = "-1e6 0 0 K m-1"

            [[wall]]
            boundary = "pore"
            kind = "diffuse"

            """
        toml += periodicWalls([("xmin", "xmax"), ("ymin", "ymax"), ("zmin", "zmax")])
        try toml.write(toFile: (dir as NSString).appendingPathComponent("cell.toml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["solve", "cell.toml", "-o", "run.h5", "--quiet"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try CLI.run(["validate", "run.h5"], in: dir).status, 0)
        let s = try XCTUnwrap(try RunFileReader(path: (dir as NSString).appendingPathComponent("run.h5")).summary())
        XCTAssertTrue(s.converged)
        XCTAssertLessThan(s.maxBalanceError, 1e-10)
    }
}
