import XCTest
import Foundation
import Store

/// `pbte-pipeline validate` on good files and on deliberately corrupted copies (issue: foundation, must-show).
final class ValidateCommandTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = try CLI.temporaryDirectory("validate")
        XCTAssertEqual(try CLI.run(["ingest", "gray", "-o", "gray.h5", "--mean-free-path", "1 um", "--polar", "4", "--azimuthal", "4"], in: dir).status, 0)
        XCTAssertEqual(try CLI.run(["ingest", "box", "-o", "slab.h5", "--cells", "1", "1", "4", "--lengths", "1 1 1 um"], in: dir).status, 0)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func copy(_ name: String, _ to: String) throws -> String {
        let dst = (dir as NSString).appendingPathComponent(to)
        try FileManager.default.copyItem(atPath: (dir as NSString).appendingPathComponent(name), toPath: dst)
        return dst
    }

    func testGoodFilesValidate() throws {
        let r = try CLI.run(["validate", "gray.h5", "slab.h5"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("valid pbte-material"))
        XCTAssertTrue(r.stdout.contains("valid pbte-mesh"))
    }

    func testRemovedDatasetIsNamed() throws {
        let path = try copy("gray.h5", "removed.h5")
        let f = try HDF5File.open(path, mode: .readWrite)
        try f.remove("/modes/velocity")
        try f.close()
        let r = try CLI.run(["validate", "removed.h5"], in: dir)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("/modes/velocity") && r.stderr.contains("missing"), r.stderr)
    }

    func testChangedShapeIsNamed() throws {
        let path = try copy("slab.h5", "shape.h5")
        let f = try HDF5File.open(path, mode: .readWrite)
        let nodes = try f.readDataset("/nodes", as: Double.self)
        try f.remove("/nodes")
        try f.put("/nodes", Array(nodes.prefix(nodes.count / 3 * 2)), shape: [nodes.count / 3, 2], units: "m")
        try f.close()
        let r = try CLI.run(["validate", "shape.h5"], in: dir)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("/nodes") && r.stderr.contains("dimension 1 should be 3"), r.stderr)
    }

    func testPlantedNaNIsNamedWithItsIndex() throws {
        let path = try copy("gray.h5", "nan.h5")
        let f = try HDF5File.open(path, mode: .readWrite)
        try f.openDataset("/modes/lifetime").write([Double.nan], offset: [5], count: [1])
        try f.close()
        let r = try CLI.run(["validate", "nan.h5"], in: dir)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("/modes/lifetime") && r.stderr.contains("NaN at index [5]"), r.stderr)
    }

    func testWrongUnitsAndFutureVersionAreRefused() throws {
        let path = try copy("slab.h5", "units.h5")
        let f = try HDF5File.open(path, mode: .readWrite)
        try f.openDataset("/nodes").setAttribute("units", "nm")
        try f.close()
        let r = try CLI.run(["validate", "units.h5"], in: dir)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("expected units 'm', found 'nm'"), r.stderr)

        let future = try copy("slab.h5", "future.h5")
        let g = try HDF5File.open(future, mode: .readWrite)
        try g.setAttribute("schema_version", Int64(99))
        try g.close()
        let s = try CLI.run(["validate", "future.h5"], in: dir)
        XCTAssertNotEqual(s.status, 0)
        XCTAssertTrue(s.stderr.contains("schema version 99, newer than"), s.stderr)
    }

    func testNotHDF5AndTruncatedFilesAreRefused() throws {
        try "not a file".write(toFile: (dir as NSString).appendingPathComponent("text.h5"), atomically: true, encoding: .utf8)
        let data = try Data(contentsOf: URL(fileURLWithPath: (dir as NSString).appendingPathComponent("gray.h5")))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent("cut.h5")))
        for name in ["text.h5", "cut.h5"] {
            let r = try CLI.run(["validate", name], in: dir)
            XCTAssertNotEqual(r.status, 0, name)
            XCTAssertTrue(r.stderr.contains(name), r.stderr)
        }
    }

    func testBadRunConfigurationNamesTheLine() throws {
        let cfg = graySlabConfig().replacingOccurrences(of: "kind = \"specular\"", with: "kind = \"mirror\"")
        try cfg.write(toFile: (dir as NSString).appendingPathComponent("bad.toml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["validate", "bad.toml"], in: dir)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("bad.toml:") && r.stderr.contains("found 'mirror'"), r.stderr)
    }
}
