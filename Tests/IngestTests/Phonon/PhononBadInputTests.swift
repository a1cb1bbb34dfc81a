import Foundation
import Store
import XCTest
@testable import Ingest

/// One test per class of bad input; each checks the error names the file and the line or dataset, and says what
/// was expected or found. Bad files are made from the Si 4³ sample by editing one line.
final class PhononBadInputTests: XCTestCase {
    var dir: URL!
    var crystal: CrystalStructure!

    override func setUpWithError() throws {
        dir = try PhononFixtures.temporaryDirectory()
        crystal = try PhononFixtures.crystal("si")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// The 4³ d3q set with `file` ("q", "freq", "vel", "lw") rewritten by `edit` (its lines, 1-based order kept).
    func mutated(_ file: String, _ edit: (inout [String]) -> Void) throws -> (D3QFiles, String) {
        let files = PhononFixtures.d3qFiles("si", mesh: "4x4x4")
        let source = ["q": files.q, "freq": files.frequencies, "vel": files.velocities, "lw": files.linewidth][file]!
        var lines = try PhononFixtures.text(source).components(separatedBy: "\n")
        edit(&lines)
        let path = try PhononFixtures.write(lines.joined(separator: "\n"), named: (source as NSString).lastPathComponent, in: dir)
        var out = files
        switch file {
        case "q": out.q = path
        case "freq": out.frequencies = path
        case "vel": out.velocities = path
        default: out.linewidth = path
        }
        return (out, path)
    }

    func replaceField(_ lines: inout [String], line: Int, field: Int, with value: String) {
        var f = lines[line - 1].split(separator: " ").map(String.init)
        f[field - 1] = value
        lines[line - 1] = f.joined(separator: "    ")
    }

    // MARK: d3q text

    func testTruncatedFile() throws {
        // freq has a title and 64 records (lines 2…65); keep 40 records.
        let (files, path) = try mutated("freq") { $0 = Array($0[0..<41]) }
        assertPhononError(.truncated, file: path, line: 42, contains: ["40 q-point records", "expected 64", "q.si.4x4x4.out"]) {
            try D3QReader.read(files, crystal: self.crystal)
        }
    }

    func testTruncatedMidRecordVelocity() throws {
        let (files, path) = try mutated("vel") { lines in
            lines = Array(lines[0..<65])
            lines[64] = lines[64].split(separator: " ").prefix(7).joined(separator: " ") // a half-written last line
        }
        assertPhononError(.columnCount, file: path, line: 65, contains: ["expected 18 values", "found 7"]) {
            try D3QReader.read(files, crystal: self.crystal)
        }
    }

    func testWrongColumnCount() throws {
        let (files, path) = try mutated("lw") { lines in
            lines[9] = lines[9].split(separator: " ").dropLast().joined(separator: " ")
        }
        assertPhononError(.columnCount, file: path, line: 10, contains: ["expected 6 values", "found 5", "nat3 = 6"]) {
            try D3QReader.read(files, crystal: self.crystal)
        }
    }

    func testFortranOverflowField() throws {
        let (files, path) = try mutated("freq") { self.replaceField(&$0, line: 5, field: 3, with: "********************") }
        assertPhononError(.syntax, file: path, line: 5, contains: ["field 3", "Fortran field overflow", "number was expected"]) {
            try D3QReader.read(files, crystal: self.crystal)
        }
    }

    func testNaNLifetime() throws {
        let (files, path) = try mutated("lw") { self.replaceField(&$0, line: 7, field: 4, with: "NaN") }
        assertPhononError(.nonFinite, file: path, line: 7, contains: ["field 4", "'NaN'", "expected a finite number"]) {
            try D3QReader.read(files, crystal: self.crystal)
        }
    }

    func testNegativeLinewidth() throws {
        let (files, path) = try mutated("lw") { self.replaceField(&$0, line: 8, field: 2, with: "-0.1000000000E-01") }
        assertPhononError(.negativeLinewidth, file: path, line: 8, contains: ["branch 2", "-0.01", "HWHM must be ≥ 0"]) {
            try D3QReader.read(files, crystal: self.crystal)
        }
    }

    func testModeCountsDisagreeBetweenFiles() throws {
        // One q-point record too many in the linewidths.
        let (files, path) = try mutated("lw") { lines in lines.insert(lines[5], at: 66) }
        assertPhononError(.countMismatch, file: path, line: 67, contains: ["more than 64 q-point records", "q.si.4x4x4.out"]) {
            try D3QReader.read(files, crystal: self.crystal)
        }
        // A 4³ matrix against the 8³ modes.
        let modes = try D3QReader.read(PhononFixtures.d3qFiles("si", mesh: "8x8x8"), crystal: crystal)
        let matrixPath = PhononFixtures.data("si", "collision-m444.h5")
        let matrix = try PhononCollisionMatrix.read(matrixPath)
        assertPhononError(.countMismatch, file: matrixPath, contains: ["384 modes", "3072"]) {
            try PhononIngest.material(modes, crystal: self.crystal, matrix: matrix)
        }
        // A crystal with another atom count than the files' branch count.
        let c3 = try PhononFixtures.write(
            """
                    1        3        0      10.0  0 0 0 0 0
                   0.0 0.5 0.5
                   0.5 0.0 0.5
                   0.5 0.5 0.0
                    1       'Si'   28.0855
                    1        1       0.0  0.0  0.0
                    2        1       0.25 0.25 0.25
                    3        1       0.5 0.5 0.5
            """, named: "crystal.three.txt", in: dir)
        let freq = PhononFixtures.d3qFiles("si", mesh: "4x4x4").frequencies
        assertPhononError(.columnCount, file: freq, line: 2, contains: ["expected 9 values", "nat3 = 9"]) {
            try D3QReader.read(PhononFixtures.d3qFiles("si", mesh: "4x4x4"), crystal: try CrystalHeaderReader.read(c3))
        }
    }

    func testWeightsNotSummingToOne() throws {
        let (files, path) = try mutated("q") { self.replaceField(&$0, line: 3, field: 4, with: "0.5") }
        assertPhononError(.invalidValue, file: path, contains: ["sum to", "expected 1"]) {
            try D3QReader.read(files, crystal: self.crystal)
        }
    }

    func testMissingCrystalData() throws {
        let p = try PhononFixtures.write(
            """
                    1        2        0      10.2630077329869653  0 0 0 0 0
                   0.0 0.5 0.5
                   0.5 0.0 0.5
            """, named: "crystal.short.txt", in: dir)
        assertPhononError(.truncated, file: p, line: 1, contains: ["1 species and 2 atoms"]) { try CrystalHeaderReader.read(p) }
        let q = try PhononFixtures.write("  1  2  4  10.26  0 0 0 0 0\n", named: "crystal.ibrav4.txt", in: dir)
        assertPhononError(.unsupported, file: q, line: 1, contains: ["ibrav = 4"]) { try CrystalHeaderReader.read(q) }
        let r = try PhononFixtures.write(
            """
              1  2  2  10.26  0 0 0 0 0
              1  'Ga'  69.7
              1  1  0 0 0
              2  1  0.25 0.25 0.25
                 T   FFF
            """, named: "crystal.polar.txt", in: dir)
        assertPhononError(.unsupported, file: r, line: 5, contains: ["lrigid = T"]) { try CrystalHeaderReader.read(r) }
    }

    func testUnknownUnitInD3QHeader() throws {
        let (files, path) = try mutated("lw") { $0[0] = " # linewidth [THz]" }
        assertPhononError(.unknownUnit, file: path, line: 1, contains: ["unknown unit '[THz]'", "[cm^-1]"]) {
            try D3QReader.read(files, crystal: self.crystal)
        }
    }

    // MARK: matrices

    func testNonSquareMatrix() throws {
        let p = dir.appendingPathComponent("collision-bad.h5").path
        let f = try HDF5File.create(p)
        try f.writeDataset("A", [Double](repeating: 0, count: 20), shape: [4, 5])
        try f.close()
        assertPhononError(.notSquare, file: p, dataset: "A", contains: ["4 × 5", "square"]) { try CollisionHDF5Reader.read(p) }
        // Text: a dense row with one value too few.
        let t = PhononFixtures.scatterExample("invalid-dense-row-length.txt")
        assertPhononError(.columnCount, file: t, contains: ["has 3 values, expected 4"]) { try ScatteringTextReader.read(t) }
    }

    func testDuplicateSparseEntry() {
        let p = PhononFixtures.scatterExample("invalid-sparse-duplicate.txt")
        assertPhononError(.duplicateEntry, file: p, line: 19, contains: ["entry (3, 3) given twice"]) { try ScatteringTextReader.read(p) }
    }

    func testUnknownUnit() throws {
        let p = PhononFixtures.scatterExample("invalid-unit.txt")
        let line = try PhononFixtures.text(p).components(separatedBy: "\n").firstIndex { $0.contains("unit THz") }! + 1
        assertPhononError(.unknownUnit, file: p, line: line, contains: ["unsupported unit 'THz'", "ps-1 or s-1"]) {
            try ScatteringTextReader.read(p)
        }
        let h = dir.appendingPathComponent("collision-thz.h5").path
        let f = try HDF5File.create(h)
        try f.writeDataset("A", [1.0, 0, 0, 1], shape: [2, 2])
        try f.openDataset("A").setAttribute("unit", "THz")
        try f.close()
        assertPhononError(.unknownUnit, file: h, dataset: "A", contains: ["unsupported unit 'THz'"]) { try CollisionHDF5Reader.read(h) }
    }

    func testNaNInMatrixAndPhono3pyDatasets() throws {
        let p = PhononFixtures.scatterExample("invalid-nan.txt")
        assertPhononError(.nonFinite, file: p, contains: ["bad number 'nan'"]) { try ScatteringTextReader.read(p) }
        let h = dir.appendingPathComponent("kappa-nan.hdf5").path
        let f = try HDF5File.create(h)
        try f.writeDataset("frequency", [1.0, .nan, 3, 4, 5, 6], shape: [1, 6])
        try f.writeDataset("temperature", [300.0], shape: [1])
        try f.writeDataset("gamma", [Double](repeating: 0.1, count: 6), shape: [1, 1, 6])
        try f.close()
        assertPhononError(.nonFinite, file: h, dataset: "frequency", contains: ["[0, 1]", "nan"]) {
            try Phono3pyReader.read(h, crystal: self.crystal)
        }
    }

    func testPhono3pyNegativeGamma() throws {
        let h = dir.appendingPathComponent("kappa-neg.hdf5").path
        let f = try HDF5File.create(h)
        try f.writeDataset("frequency", [1.0, 2, 3, 4, 5, 6], shape: [1, 6])
        try f.writeDataset("temperature", [300.0], shape: [1])
        try f.writeDataset("gamma", [0.1, 0.1, -0.2, 0.1, 0.1, 0.1], shape: [1, 1, 6])
        try f.close()
        assertPhononError(.negativeLinewidth, file: h, dataset: "gamma", contains: ["[0, 0, 2]", "-0.2"]) {
            try Phono3pyReader.read(h, crystal: self.crystal)
        }
    }

    func testMatrixTemperatureMustMatchModes() throws {
        let t = try D3QReader.read(PhononFixtures.d3qFiles("si", mesh: "4x4x4"), crystal: crystal)
        let path = PhononFixtures.data("si", "collision-m444.h5")
        var m = try PhononCollisionMatrix.read(path)
        m.temperature = 500
        assertPhononError(.invalidValue, file: path, contains: ["T = 500.0 K", "T = 300.0 K"]) {
            try PhononIngest.material(t, crystal: self.crystal, matrix: m)
        }
    }
}
