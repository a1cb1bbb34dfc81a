import XCTest
import Foundation
import Store

/// Two pipelines side by side in one directory (issue: reliability): distinct outputs never clobber each other's
/// temporary files; a second solve aimed at an output already being written is refused with the holder named;
/// analyze reads the last complete run while a new solve of it is under way, and refuses the unfinished `.partial`.
final class ConcurrentPipelinesTests: XCTestCase {
    var dir = ""
    func path(_ n: String) -> String { (dir as NSString).appendingPathComponent(n) }

    override func setUpWithError() throws {
        dir = try CLI.temporaryDirectory("concurrent")
        // Two ingests at once into the same directory.
        let a = try CLI.start(["ingest", "gray", "-o", "gray.h5", "--mean-free-path", "0.5 um", "--polar", "8", "--azimuthal", "8"], in: dir)
        let b = try CLI.start(["ingest", "box", "-o", "slab.h5", "--cells", "1", "1", "200", "--lengths", "1 1 1 um"], in: dir)
        a.waitUntilExit(); b.waitUntilExit()
        XCTAssertEqual([a.terminationStatus, b.terminationStatus], [0, 0])
        try graySlabConfig(maxEvents: 40).write(toFile: path("slab.toml"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLI.run(["solve", "slab.toml", "-o", "reference.h5", "--quiet"], in: dir).status, 0)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func sameRun(_ a: String, _ b: String) throws {
        let f = try HDF5File.open(path(a)), g = try HDF5File.open(path(b))
        for p in ["/regions/bulk/events/psi", "/regions/bulk/accumulated/psi", "/accumulated/temperature"] {
            XCTAssertEqual(try f.readDataset(p, as: Double.self), try g.readDataset(p, as: Double.self), "\(a) vs \(b): \(p)")
        }
    }

    func waitFor(_ name: String, _ p: Process) {
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: path(name)) && p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
    }

    func testSideBySideSolvesOfDifferentOutputs() throws {
        let a = try CLI.start(["solve", "slab.toml", "-o", "a.h5", "--quiet"], in: dir)
        let b = try CLI.start(["solve", "slab.toml", "-o", "b.h5", "--quiet"], in: dir)
        a.waitUntilExit(); b.waitUntilExit()
        XCTAssertEqual([a.terminationStatus, b.terminationStatus], [0, 0])
        try sameRun("reference.h5", "a.h5")
        try sameRun("reference.h5", "b.h5")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".partial") || $0.hasSuffix(".lock") }
        XCTAssertEqual(left, [], "temporary files left behind")
    }

    func testSecondSolveOfTheSameOutputIsRefused() throws {
        let a = try CLI.start(["solve", "slab.toml", "-o", "run.h5", "--quiet"], in: dir)
        waitFor("run.h5.partial", a)
        let b = try CLI.run(["solve", "slab.toml", "-o", "run.h5", "--quiet"], in: dir)
        a.waitUntilExit()
        XCTAssertEqual(a.terminationStatus, 0)
        XCTAssertEqual(b.status, 1)
        XCTAssertTrue(b.stderr.contains("another process (pid \(a.processIdentifier)) is writing this output"), b.stderr)
        try sameRun("reference.h5", "run.h5")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path(".run.h5.lock")))
    }

    func testAnalyzeDuringASolveReadsTheLastCompleteRun() throws {
        try FileManager.default.copyItem(atPath: path("reference.h5"), toPath: path("run.h5"))
        let a = try CLI.start(["solve", "slab.toml", "-o", "run.h5", "--restart", "--quiet"], in: dir)
        waitFor("run.h5.partial", a)
        let partial = try CLI.run(["analyze", "run.h5.partial", "-o", "partial.nc", "--quiet"], in: dir)
        let complete = try CLI.run(["analyze", "run.h5", "-o", "run.nc", "--quiet"], in: dir)
        a.waitUntilExit()
        XCTAssertEqual(a.terminationStatus, 0)
        XCTAssertNotEqual(partial.status, 0)
        XCTAssertTrue(partial.stderr.contains("another process has this file open for writing") || partial.stderr.contains("/@complete"), partial.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("partial.nc")))
        XCTAssertEqual(complete.status, 0, complete.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("run.nc")))
    }
}
