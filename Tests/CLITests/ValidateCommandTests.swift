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

/// `ingest phono3py … --fc2 --fc3 --structure` from the command line, then `validate` and `inspect`: the material
/// file is a valid schema-version-2 file and inspect reports the force constants and the mode Grüneisen range; a
/// lone --fc3 is refused before anything is read.
final class ForceConstantCommandTests: XCTestCase {
    func testIngestWithForceConstantsThenInspect() throws {
        let dir = try CLI.temporaryDirectory("fc-cli")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let d = CLI.repositoryRoot + "/data/si/"
        let ingest = try CLI.run(
            [
                "ingest", "phono3py", d + "kappa-m888.hdf5", "--crystal", d + "crystal.si.txt", "--fc2", d + "fc2.hdf5",
                "--fc3", d + "fc3.hdf5", "--structure", d + "phono3py_disp.yaml", "-o", "si.h5"
            ], in: dir)
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        XCTAssertTrue(ingest.stdout.contains("mode Grüneisen γ = 0.5177"), ingest.stdout)
        let validate = try CLI.run(["validate", "si.h5"], in: dir)
        XCTAssertEqual(validate.status, 0, validate.stdout + validate.stderr)
        XCTAssertTrue(validate.stdout.contains("schema version 2"), validate.stdout)
        let inspect = try CLI.run(["inspect", "si.h5"], in: dir)
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        XCTAssertTrue(inspect.stdout.contains("force constants: 64-atom supercell") && inspect.stdout.contains("C-weighted mean 0.5177"), inspect.stdout)
        let lone = try CLI.run(
            [
                "ingest", "phono3py", d + "kappa-m888.hdf5", "--crystal", d + "crystal.si.txt", "--fc3", d + "fc3.hdf5",
                "-o", "lone.h5"
            ], in: dir)
        XCTAssertNotEqual(lone.status, 0)
        XCTAssertTrue(lone.stderr.contains("--fc2"), lone.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/lone.h5"))
    }

    /// `ingest harmonic`: modes on any mesh from fc2 alone, usable by `solve --dry-run` for the interface kernel and
    /// refused by `solve` (no lifetimes), with no run file left behind.
    func testHarmonicMaterialServesKernelsButNotSolves() throws {
        let dir = try CLI.temporaryDirectory("fc-harmonic")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let d = CLI.repositoryRoot + "/data/"
        for m in ["si", "ge"] {
            let r = try CLI.run(
                [
                    "ingest", "harmonic", "--fc2", d + m + "/fc2.hdf5", "--structure", d + m + "/phono3py_disp.yaml",
                    "--mesh", "6", "6", "6", "--name", m, "-o", m + ".h5"
                ], in: dir)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.contains("1296 modes (3 inert), q-mesh 6×6×6"), r.stdout)
        }
        XCTAssertEqual(try CLI.run(["validate", "si.h5"], in: dir).status, 0)
        XCTAssertEqual(
            try CLI.run(
                [
                    "ingest", "heterostructure", "-o", "bilayer.h5", "--cells", "1", "1", "4",
                    "--lengths", "25 25 1000 nm", "--split", "500 nm", "--regions", "si,ge"
                ], in: dir
            ).status, 0)
        let config = bilayerConfig(regions: ("si", "ge"), files: ("si.h5", "ge.h5"), kind: "dmm", extra: "", hot: "1 K", cold: "0 K")
        try config.write(toFile: dir + "/run.toml", atomically: true, encoding: .utf8)
        let dry = try CLI.run(["solve", "run.toml", "-o", "run.h5", "--dry-run"], in: dir)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("interface") && dry.stdout.contains("dmm, Landauer conductance"), dry.stdout)
        let solve = try CLI.run(["solve", "run.toml", "-o", "run.h5", "--quiet"], in: dir)
        XCTAssertEqual(solve.status, 1)
        XCTAssertTrue(solve.stderr.contains("has no lifetimes"), solve.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/run.h5"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/run.h5.partial"))
    }
}
