import XCTest
import Foundation
import Store

/// A flipped bit inside a stored ψ chunk must fail the read with the dataset named (Fletcher32), not flow into
/// products. The byte is found with h5py's chunk index (the Makefile's venv), so the flip lands in the data.
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
        XCTAssertTrue(try f.openDataset("/regions/bulk/events/psi").creationOptions().checksum, "event stacks carry checksums")
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
        let p = Process()
        p.executableURL = URL(fileURLWithPath: py)
        p.arguments = ["flip.py"]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        try p.run(); p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let v = try CLI.run(["validate", "flipped.h5"], in: dir)
        XCTAssertEqual(v.status, 1, v.stderr)
        XCTAssertTrue(v.stderr.contains("/regions/bulk/events/psi"), v.stderr)
        let a = try CLI.run(["analyze", "flipped.h5", "-o", "products.nc", "--binning", "slab-z", "--quiet"], in: dir)
        XCTAssertEqual(a.status, 1, a.stderr)
        XCTAssertTrue(a.stderr.contains("psi") || a.stderr.contains("checksum"), a.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("products.nc")))
    }
}
