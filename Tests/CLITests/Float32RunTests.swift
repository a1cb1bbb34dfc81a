import XCTest
import Foundation
import Store

/// `[output] precision = "float32"` end to end: the run file stores ψ as float32 (and says so), validate accepts
/// it, analyze reads it, the per-event products agree with the Float64 run of the same configuration to Float32's
/// resolution and the steady ones bit for bit.
final class Float32RunTests: XCTestCase {
    func testFloat32RunRoundTripsThroughValidateAndAnalyze() throws {
        let dir = try CLI.temporaryDirectory("float32")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func ok(_ args: [String]) throws {
            let r = try CLI.run(args, in: dir)
            XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
        }
        try ok(["ingest", "gray", "-o", "gray.h5", "--mean-free-path", "0.5 um", "--polar", "4", "--azimuthal", "4"])
        try ok(["ingest", "box", "-o", "slab.h5", "--cells", "2", "2", "12", "--lengths", "1 1 1 um"])
        try graySlabConfig(maxEvents: 6).write(toFile: dir + "/d.toml", atomically: true, encoding: .utf8)
        // The [output] table goes after [events] (graySlabConfig's `extra` lands inside it) and before the walls.
        let single = graySlabConfig(maxEvents: 6).replacingOccurrences(
            of: "[[wall]]\nboundary = \"zmin\"",
            with: "[output]\nprecision = \"float32\"\n[[wall]]\nboundary = \"zmin\"")
        XCTAssertTrue(single.contains("float32"))
        try single.write(toFile: dir + "/s.toml", atomically: true, encoding: .utf8)
        try ok(["solve", "d.toml", "-o", "d.h5", "--quiet"])
        try ok(["solve", "s.toml", "-o", "s.h5", "--quiet"])
        try ok(["validate", "s.h5"])
        let f = try HDF5File.open(dir + "/s.h5")
        let psi = try f.openGroup("/regions/bulk/events").openDataset("psi")
        let type = try psi.elementType()
        XCTAssertEqual(type.typeClass, .float)
        XCTAssertEqual(type.size, 4, "ψ is stored in float32")
        try f.close()
        let size = { (p: String) in (try FileManager.default.attributesOfItem(atPath: dir + "/" + p)[.size] as! NSNumber).doubleValue }
        // Smaller, though not half on a problem this small: traces, face fluxes and the accumulated fields stay Float64.
        XCTAssertLessThan(try size("s.h5"), 0.9 * (try size("d.h5")), "the float32 file is smaller")
        try ok(["analyze", "d.h5", "-o", "d.nc", "--binning", "slab-z", "--bins", "6", "--quiet"])
        try ok(["analyze", "s.h5", "-o", "s.nc", "--binning", "slab-z", "--bins", "6", "--quiet"])
        let a = try NetCDFFile.open(dir + "/d.nc"), b = try NetCDFFile.open(dir + "/s.nc")
        defer { try? a.close(); try? b.close() }
        // Per-event products come from the stored ψ^(m), Float32 here; the steady ones from /accumulated, which the
        // solver keeps and stores in Float64 whatever the precision of the event stacks.
        for name in ["temperature_event", "temperature_binned_event", "heat_flux_event"] {
            let x = try a.variable(name).read(as: Double.self), y = try b.variable(name).read(as: Double.self)
            XCTAssertEqual(x.count, y.count, name)
            let scale = x.map(abs).max() ?? 1
            let worst = zip(x, y).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(worst, 1e-6 * scale, "\(name): Float32 storage differs by \(worst / scale) of the largest value")
            XCTAssertGreaterThan(worst, 0, "\(name): identical bits, so the events were not stored in Float32")
        }
        for name in ["temperature", "temperature_binned", "heat_flux"] {
            XCTAssertEqual(try a.variable(name).read(as: Double.self), try b.variable(name).read(as: Double.self), "\(name) is Float64 in both")
        }
    }
}
