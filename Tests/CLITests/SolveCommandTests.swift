import XCTest
import Foundation
import Store

/// The solve command end to end: output validates; a killed solve leaves no output file, and resuming gives the
/// uninterrupted result bit for bit.
final class SolveCommandTests: XCTestCase {
    func prepare(_ name: String, cells: Int = 12, maxEvents: Int = 10, counting: String = "bulk-and-boundary", azimuthal: Int = 4) throws -> String {
        let dir = try CLI.temporaryDirectory(name)
        XCTAssertEqual(
            try CLI.run(["ingest", "gray", "-o", "gray.h5", "--mean-free-path", "0.5 um", "--polar", "8", "--azimuthal", "\(azimuthal)"], in: dir).status, 0)
        XCTAssertEqual(try CLI.run(["ingest", "box", "-o", "slab.h5", "--cells", "1", "1", "\(cells)", "--lengths", "1 1 1 um"], in: dir).status, 0)
        try graySlabConfig(maxEvents: maxEvents, counting: counting).write(
            toFile: (dir as NSString).appendingPathComponent("slab.toml"), atomically: true, encoding: .utf8)
        return dir
    }

    func testSolveWritesAValidRunFile() throws {
        let dir = try prepare("solve")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(["solve", "slab.toml", "-o", "run.h5"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("event 0/10"), "progress on stderr")
        XCTAssertEqual(try CLI.run(["validate", "run.h5"], in: dir).status, 0)
        let q = try CLI.run(["solve", "slab.toml", "-o", "quiet.h5", "--quiet"], in: dir)
        XCTAssertEqual(q.stderr, "", "--quiet prints nothing on stderr")
        let f = try HDF5File.open((dir as NSString).appendingPathComponent("run.h5"))
        XCTAssertEqual(try f.attribute("complete", as: Int64.self), 1)
        XCTAssertEqual(try f.stringArrayAttribute("input_sha256").count, 3)
        XCTAssertTrue(try f.stringAttribute("config").contains("[[wall]]"))
        // The run's report of itself, through the typed reader and in inspect.
        let s = try XCTUnwrap(try RunFileReader(path: (dir as NSString).appendingPathComponent("run.h5")).summary())
        XCTAssertTrue(s.converged)
        XCTAssertEqual(s.events, 10)
        XCTAssertGreaterThan(s.sweeps, 10)
        XCTAssertLessThan(s.maxBalanceError, 1e-12)
        let inspect = try CLI.run(["inspect", "run.h5"], in: dir)
        XCTAssertTrue(inspect.stdout.contains("converged: yes, events 10, sweeps \(s.sweeps)"), inspect.stdout)
    }

    /// A temperature gradient in an all-periodic cell injects no net power: the balance error that solve and inspect
    /// report is scaled by the gross power moved, so a correct run reads round-off (it read 0.38–0.43 when scaled by
    /// the net power alone).
    func testGradientDrivenPeriodicCellReportsRoundOffBalance() throws {
        let dir = try prepare("gradient", cells: 6, maxEvents: 30)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = """
            [run]
            material = "gray.h5"
            mesh = "slab.h5"

            [events]
            max_events = 30
            tolerance = 1e-6
            krylov_tolerance = 1e-10

            [[source]]
            kind = "gradient"
            temperature_gradient = "1e6 0 0 K m-1"

            """ + periodicWalls([("xmin", "xmax"), ("ymin", "ymax"), ("zmin", "zmax")])
        try config.write(toFile: (dir as NSString).appendingPathComponent("cell.toml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["solve", "cell.toml", "-o", "run.h5", "--quiet"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let s = try XCTUnwrap(try RunFileReader(path: (dir as NSString).appendingPathComponent("run.h5")).summary())
        XCTAssertGreaterThan(s.events, 2)
        XCTAssertLessThan(s.maxBalanceError, 1e-10, "a gradient drive's closure against the gross power moved")
        let gross = try HDF5File.open((dir as NSString).appendingPathComponent("run.h5")).readDataset("/events/balance/gross", as: Double.self)
        XCTAssertEqual(gross.count, s.events)
        XCTAssertTrue(gross.allSatisfy { $0 > 0 }, "every event moves power: \(gross)")
        let inspect = try CLI.run(["inspect", "run.h5"], in: dir)
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        let reported = inspect.stdout.components(separatedBy: "max balance error ").dropFirst().first.flatMap { Double($0.prefix { !$0.isWhitespace }) }
        XCTAssertLessThan(try XCTUnwrap(reported, inspect.stdout), 1e-10)
    }

    func testKilledSolveLeavesNoOutputAndResumesBitForBit() throws {
        let dir = try prepare("kill", cells: 200, maxEvents: 40, azimuthal: 8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(try CLI.run(["solve", "slab.toml", "-o", "reference.h5", "--quiet"], in: dir).status, 0)
        let out = (dir as NSString).appendingPathComponent("run.h5")
        var killedMidway = false
        // Random instants: during a sweep, a collision product, an event write or the remainder.
        let delays = [0.15] + (0..<4).map { _ in Double.random(in: 0.05...0.7) }
        print("kill delays (s): \(delays.map { String(format: "%.2f", $0) }.joined(separator: " "))")
        for delay in delays {
            let p = try CLI.start(["solve", "slab.toml", "-o", "run.h5", "--quiet"], in: dir)
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .uncaughtSignal {
                if FileManager.default.fileExists(atPath: out) {
                    // The signal came after the final rename (the process was closing): run.h5 must then be whole.
                    let f = try HDF5File.open(out)
                    XCTAssertEqual(try f.attribute("complete", as: Int64.self), 1, "a killed solve left an unfinished run.h5")
                    try f.close()
                    XCTAssertEqual(try CLI.run(["validate", "run.h5"], in: dir).status, 0, "what a killed solve left must validate")
                    try FileManager.default.removeItem(atPath: out)
                } else {
                    killedMidway = true
                }
            } else {
                // It finished before the signal: start the next try from nothing.
                try? FileManager.default.removeItem(atPath: out)
            }
        }
        XCTAssertTrue(killedMidway, "the solve finished before any kill; make the problem larger")
        let r = try CLI.run(["solve", "slab.toml", "-o", "run.h5"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let a = try HDF5File.open((dir as NSString).appendingPathComponent("reference.h5"))
        let b = try HDF5File.open(out)
        for path in ["/regions/bulk/accumulated/psi", "/regions/bulk/events/psi", "/regions/bulk/events/boundary_flux", "/accumulated/temperature"] {
            XCTAssertEqual(try a.readDataset(path, as: Double.self), try b.readDataset(path, as: Double.self), path)
        }
    }

    /// A run killed part way resumes from a configuration that says the same in other words (comments, key and
    /// table order, number spellings, another file name) and gives the uninterrupted result bit for bit; a
    /// changed value starts afresh.
    func testResumeComparesTheParsedValuesNotTheText() throws {
        let dir = try prepare("reformat", cells: 200, maxEvents: 40, azimuthal: 8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func path(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }
        XCTAssertEqual(try CLI.run(["solve", "slab.toml", "-o", "reference.h5", "--quiet"], in: dir).status, 0)
        let original = try String(contentsOfFile: path("slab.toml"), encoding: .utf8)
        // The same values: the [events] table moved after the walls, its keys reversed, other spellings, comments.
        let events = original.components(separatedBy: "[events]")[1].components(separatedBy: "[[wall]]")[0]
        let keys = events.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let reformatted =
            "# the same run, reformatted\n"
            + original.replacingOccurrences(of: "[events]" + events, with: "")
            .replacingOccurrences(of: "\"1 K\"", with: "\"1.0 K\"   # hot side")
            + "\n\n[events]\n"
            + keys.reversed().map { $0.replacingOccurrences(of: "1e-9", with: "1.0e-09").replacingOccurrences(of: "1e-10", with: "0.0000000001") }.joined(
                separator: "\n") + "\n"
        try reformatted.write(toFile: path("same.toml"), atomically: true, encoding: .utf8)
        try original.replacingOccurrences(of: "tolerance = 1e-9", with: "tolerance = 2e-9")
            .write(toFile: path("changed.toml"), atomically: true, encoding: .utf8)
        XCTAssertEqual(
            try CLI.run(["validate", "same.toml", "--canonical"], in: dir).stdout.components(separatedBy: "\n").dropFirst(),
            try CLI.run(["validate", "slab.toml", "--canonical"], in: dir).stdout.components(separatedBy: "\n").dropFirst())

        /// Starts the solve and kills it once it has reported `event` on stderr.
        func killAfter(event: Int) throws -> Bool {
            let log = path("progress.log")
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CLI.executable)
            p.arguments = ["solve", "slab.toml", "-o", "run.h5"]
            p.currentDirectoryURL = URL(fileURLWithPath: dir)
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle(forWritingAtPath: log)
            try p.run()
            let deadline = Date().addingTimeInterval(120)
            while p.isRunning, Date() < deadline {
                if let text = try? String(contentsOfFile: log, encoding: .utf8), text.contains("event \(event)/") { break }
                Thread.sleep(forTimeInterval: 0.01)
            }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            return p.terminationReason == .uncaughtSignal
        }
        XCTAssertTrue(try killAfter(event: 4), "the solve finished before the kill; make the problem larger")
        let resumed = try CLI.run(["solve", "same.toml", "-o", "run.h5"], in: dir)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming after"), resumed.stderr)
        let a = try HDF5File.open(path("reference.h5")), b = try HDF5File.open(path("run.h5"))
        for p in ["/regions/bulk/accumulated/psi", "/regions/bulk/events/psi", "/accumulated/temperature"] {
            XCTAssertEqual(try a.readDataset(p, as: Double.self), try b.readDataset(p, as: Double.self), p)
        }
        XCTAssertEqual(try a.stringAttribute("config_canonical"), try b.stringAttribute("config_canonical"))

        try FileManager.default.removeItem(atPath: path("run.h5"))
        XCTAssertTrue(try killAfter(event: 4))
        let fresh = try CLI.run(["solve", "changed.toml", "-o", "run.h5"], in: dir)
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        XCTAssertFalse(fresh.stderr.contains("resuming after"), "a changed tolerance must not resume:\n\(fresh.stderr)")
    }
}
