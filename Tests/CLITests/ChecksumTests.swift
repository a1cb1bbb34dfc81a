import XCTest
import Foundation
import Store

/// A flipped bit inside a stored ψ chunk must fail the read with the dataset named (the per-event digest of the
/// event stacks; Fletcher32 on every other dataset), not flow into products. The byte is found with h5py's chunk index (the Makefile's venv), so the flip lands in the data.
final class ChecksumTests: XCTestCase {
    func testFlippedBitInPsiIsCaughtByValidateAndAnalyze() throws {
        guard let py = ProcessInfo.processInfo.environment["PBTE_PYTHON"] else {
            throw XCTSkip("PBTE_PYTHON not set (make test sets it): bit-flip test skipped")
        }
        let dir = try CLI.temporaryDirectory("checksum")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(try CLI.run(["ingest", "gray", "-o", "gray.h5", "--mean-free-path", "0.5 um", "--polar", "4", "--azimuthal", "4"], in: dir).status, 0)
        XCTAssertEqual(try CLI.run(["ingest", "box", "-o", "slab.h5", "--cells", "1", "1", "6", "--lengths", "1 1 1 um"], in: dir).status, 0)
        try graySlabConfig(maxEvents: 4).write(toFile: (dir as NSString).appendingPathComponent("slab.toml"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLI.run(["solve", "slab.toml", "-o", "run.h5", "--quiet"], in: dir).status, 0)
        let f = try HDF5File.open((dir as NSString).appendingPathComponent("run.h5"))
        XCTAssertTrue(try f.exists("/regions/bulk/events/psi_digest"), "event stacks carry a digest per event")
        XCTAssertTrue(try f.exists("/regions/bulk/events/boundary_flux_digest"))
        XCTAssertTrue(try f.openDataset("/accumulated/temperature").creationOptions().checksum, "contiguous data are chunked for checksums")
        try f.close()
        let script = """
            import h5py, shutil
            shutil.copy("run.h5", "flipped.h5")
            with h5py.File("run.h5", "r") as h:
                info = h["/regions/bulk/events/psi"].id.get_chunk_info(1)
            with open("flipped.h5", "r+b") as out:
                out.seek(info.byte_offset + info.size // 2)
                b = out.read(1)
                out.seek(info.byte_offset + info.size // 2)
                out.write(bytes([b[0] ^ 0x10]))
            """
        try script.write(toFile: (dir as NSString).appendingPathComponent("flip.py"), atomically: true, encoding: .utf8)
        let flip = try CLI.spawn(py, ["flip.py"], in: dir, limit: 300)
        XCTAssertEqual(flip.status, 0, flip.stderr)
        let v = try CLI.run(["validate", "flipped.h5"], in: dir)
        XCTAssertEqual(v.status, 1, v.stderr)
        XCTAssertTrue(v.stderr.contains("/regions/bulk/events/psi"), v.stderr)
        let a = try CLI.run(["analyze", "flipped.h5", "-o", "products.nc", "--binning", "slab-z", "--quiet"], in: dir)
        XCTAssertEqual(a.status, 1, a.stderr)
        XCTAssertTrue(a.stderr.contains("psi") || a.stderr.contains("checksum"), a.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("products.nc")))
    }

    /// The resume checkpoint carries a digest per slot (not Fletcher32, which cost the event write three quarters of
    /// its rate): a changed value in the slot a resume would start from makes the resume fail, naming the dataset.
    func testCorruptedCheckpointIsRefusedAtResume() throws {
        let dir = try CLI.temporaryDirectory("checkpoint")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func path(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }
        XCTAssertEqual(try CLI.run(["ingest", "gray", "-o", "gray.h5", "--mean-free-path", "0.5 um", "--polar", "4", "--azimuthal", "4"], in: dir).status, 0)
        XCTAssertEqual(try CLI.run(["ingest", "box", "-o", "slab.h5", "--cells", "1", "1", "300", "--lengths", "1 1 1 um"], in: dir).status, 0)
        try graySlabConfig(maxEvents: 30).write(toFile: path("slab.toml"), atomically: true, encoding: .utf8)
        let p = try CLI.start(["solve", "slab.toml", "-o", "run.h5", "--quiet"], in: dir)
        Thread.sleep(forTimeInterval: 0.8)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        guard FileManager.default.fileExists(atPath: path("run.h5.partial")) else { throw XCTSkip("the solve finished before it was killed") }
        let f = try HDF5File.open(path("run.h5.partial"), mode: .readWrite)
        let done = Int(try f.attribute("events_completed", as: Int64.self))
        guard done > 0 else { try f.close(); throw XCTSkip("killed before the first event was stored") }
        let ds = try f.openDataset("/regions/bulk/checkpoint/boundary_trace")
        let shape = try ds.shape()
        var slot = try ds.read(as: Double.self, offset: [(done - 1) % 2, 0, 0], count: [1, shape[1], shape[2]])
        slot[slot.count / 2] = Double(bitPattern: slot[slot.count / 2].bitPattern ^ 1)
        try ds.write(slot, offset: [(done - 1) % 2, 0, 0], count: [1, shape[1], shape[2]])
        try f.close()
        let r = try CLI.run(["solve", "slab.toml", "-o", "run.h5", "--quiet"], in: dir)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("/regions/bulk/checkpoint/boundary_trace") && r.stderr.contains("digest"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("run.h5")))
        XCTAssertEqual(try CLI.run(["solve", "slab.toml", "-o", "run.h5", "--quiet", "--restart"], in: dir).status, 0)
    }
}
