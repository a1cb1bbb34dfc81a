import Foundation
import Store
import XCTest

final class AtomicOutputTests: XCTestCase {
    private struct Boom: Error {}

    func testHDF5CommitRenamesOntoFinalName() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("out.h5")
        let file = try HDF5File.createAtomically(path)
        XCTAssertTrue(file.isPendingAtomic)
        XCTAssertTrue(AtomicOutput.isTemporary(file.diskPath))
        XCTAssertTrue(file.diskPath.hasPrefix(dir.path(".out.h5.\(getpid()).")))
        try file.writeDataset("d", [1.0, 2.0], shape: [2])
        XCTAssertEqual(try dir.contents().count, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        try file.commit()
        XCTAssertEqual(try dir.contents(), ["out.h5"])
        XCTAssertEqual(try HDF5File.open(path).readDataset("d", as: Double.self), [1, 2])
        assertStoreError(.invalidArgument) { try file.commit() }
    }

    func testCommitReplacesExistingOutput() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("out.h5")
        try HDF5File.writeAtomically(path) { try $0.setAttribute("run", Int64(1)) }
        try HDF5File.writeAtomically(path) { try $0.setAttribute("run", Int64(2)) }
        XCTAssertEqual(try HDF5File.open(path).attribute("run", as: Int64.self), 2)
        XCTAssertEqual(try dir.contents(), ["out.h5"])
    }

    func testFailedWriteLeavesNothingAndKeepsOldOutput() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("out.h5")
        try HDF5File.writeAtomically(path) { try $0.setAttribute("run", Int64(1)) }
        XCTAssertThrowsError(
            try HDF5File.writeAtomically(path) { file in
                try file.setAttribute("run", Int64(2))
                throw Boom()
            })
        XCTAssertThrowsError(try NetCDFFile.writeAtomically(dir.path("out.nc")) { _ in throw Boom() })
        XCTAssertEqual(try dir.contents(), ["out.h5"])
        XCTAssertEqual(try HDF5File.open(path).attribute("run", as: Int64.self), 1)
    }

    func testAbandonCloseAndDropRemoveTemporary() throws {
        let dir = try TemporaryDirectory()
        let abandoned = try HDF5File.createAtomically(dir.path("a.h5"))
        try abandoned.writeDataset("d", [1.0], shape: [1])
        abandoned.abandon()
        let closed = try NetCDFFile.createAtomically(dir.path("b.nc"))
        try closed.close()
        do {
            let dropped = try HDF5File.createAtomically(dir.path("c.h5"))
            try dropped.writeDataset("d", [1.0], shape: [1])
            let droppedNC = try NetCDFFile.createAtomically(dir.path("d.nc"))
            try droppedNC.defineDimension("n", length: 1)
        }
        XCTAssertEqual(try dir.contents(), [])
        assertStoreError(.invalidArgument) { try abandoned.commit() }
    }

    func testNetCDFCommit() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("out.nc")
        try NetCDFFile.writeAtomically(path) { file in
            try file.defineDimension("n", length: 2)
            try file.defineVariable("v", of: Double.self, dimensions: ["n"]).write([4.0, 5.0])
        }
        XCTAssertEqual(try dir.contents(), ["out.nc"])
        XCTAssertEqual(try NetCDFFile.open(path).variable("v").read(as: Double.self), [4, 5])
    }

    func testPlainAtomicOutput() throws {
        let dir = try TemporaryDirectory()
        let output = try AtomicOutput(finalPath: dir.path("plain.txt"))
        try Data("hello".utf8).write(to: URL(fileURLWithPath: output.temporaryPath))
        try output.commit(durable: false)
        XCTAssertTrue(output.isCommitted)
        XCTAssertEqual(try String(contentsOfFile: dir.path("plain.txt"), encoding: .utf8), "hello")
        assertStoreError(.io) { try AtomicOutput(finalPath: dir.path("missing-dir/x.h5")) }
        XCTAssertFalse(AtomicOutput.isTemporary(dir.path("plain.txt")))
    }

    // MARK: A writer killed with SIGKILL

    private static let childOutputVariable = "PBTE_STORE_KILL_CHILD_OUTPUT"

    /// Runs this test binary again, executing only `testKilledWriterChild`, which starts an
    /// atomic write and then hangs until killed.
    func testKilledWriterLeavesNoFinalFile() throws {
        let dir = try TemporaryDirectory()
        let finalPath = dir.path("killed.h5")
        let readyPath = dir.path("ready.marker")
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            throw XCTSkip("needs /proc/self/exe to re-run the test binary")
        }

        let child = Process()
        child.executableURL = URL(fileURLWithPath: executable)
        child.arguments = ["StoreTests.AtomicOutputTests/testKilledWriterChild"]
        var environment = ProcessInfo.processInfo.environment
        environment[Self.childOutputVariable] = finalPath
        child.environment = environment
        let log = Pipe()
        child.standardOutput = log
        child.standardError = log
        try child.run()

        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: readyPath) && child.isRunning && Date() < deadline {
            usleep(20_000)
        }
        guard child.isRunning, FileManager.default.fileExists(atPath: readyPath) else {
            child.terminate()
            child.waitUntilExit()
            let output = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            return XCTFail("child writer never became ready (status \(child.terminationStatus)):\n\(output)")
        }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .uncaughtSignal)
        XCTAssertEqual(child.terminationStatus, SIGKILL)

        let leftovers = try dir.contents().filter { $0 != "ready.marker" }
        XCTAssertFalse(FileManager.default.fileExists(atPath: finalPath), "killed writer published \(finalPath)")
        XCTAssertEqual(leftovers.count, 1, "\(leftovers)")
        XCTAssertTrue(leftovers.allSatisfy { AtomicOutput.isTemporary($0) && $0.hasPrefix(".killed.h5.") }, "\(leftovers)")
    }

    /// Child half of the kill test; does nothing in a normal run.
    func testKilledWriterChild() throws {
        guard let finalPath = ProcessInfo.processInfo.environment[Self.childOutputVariable] else {
            throw XCTSkip("helper process for testKilledWriterLeavesNoFinalFile")
        }
        let readyPath = URL(fileURLWithPath: finalPath).deletingLastPathComponent().appendingPathComponent("ready.marker").path
        let file = try HDF5File.createAtomically(finalPath)
        let dataset = try file.createDataset(
            "events", of: Double.self, shape: [1_000, 100],
            options: .compressed(chunk: [1, 100]))
        for event in 0..<500 {
            try dataset.write([Double](repeating: Double(event), count: 100), offset: [event, 0], count: [1, 100])
        }
        try file.flush()
        XCTAssertTrue(FileManager.default.createFile(atPath: readyPath, contents: Data()))
        // Keep "writing" until the parent kills us; give up after a minute so nothing leaks.
        for event in 500..<1_000 {
            try dataset.write([Double](repeating: Double(event), count: 100), offset: [event, 0], count: [1, 100])
            usleep(100_000)
        }
        XCTFail("child writer was not killed")
    }
}
