import XCTest
import Foundation
import Store

/// Hostile HDF5 inputs (issue: reliability): every corruption of a material, a mesh and a run file is refused by
/// `validate` and by the stage that consumes the file, with the file and object named, a non-zero exit and never a
/// crash; no output appears and the input is left as it was. The table printed here is the one in the notes.
final class CorruptedInputTableTests: XCTestCase {
    struct Corruption {
        var name: String
        var file: String // which good file it starts from
        var expect: [String] // every one must appear in the message
        var apply: (String) throws -> Void
    }

    static func edit(_ path: String, _ body: (HDF5File) throws -> Void) throws {
        let f = try HDF5File.open(path, mode: .readWrite)
        try body(f)
        try f.close()
    }

    static func retype(_ path: String, _ dataset: String) throws {
        try edit(path) { f in
            let v = try f.readDataset(dataset, as: Double.self)
            let shape = try f.openDataset(dataset).shape()
            let units = try f.openDataset(dataset).stringAttribute("units")
            try f.remove(dataset)
            try f.writeDataset(dataset, v.map { Int32(clamping: Int(($0 * 1e12).rounded())) }, shape: shape)
            try f.openDataset(dataset).setAttribute("units", units)
        }
    }

    static func reshape(_ path: String, _ dataset: String, _ shape: (Int) -> [Int]) throws {
        try edit(path) { f in
            let v = try f.readDataset(dataset, as: Double.self)
            let units = try f.openDataset(dataset).stringAttribute("units")
            try f.remove(dataset)
            try f.put(dataset, v, shape: shape(v.count), units: units)
        }
    }

    static func truncate(_ path: String, keeping fraction: Double) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: path))
    }

    let corruptions: [Corruption] = [
        .init(name: "truncated to half", file: "gray.h5", expect: ["gray-bad.h5"]) { try truncate($0, keeping: 0.5) },
        .init(name: "truncated to 1 kB", file: "slab.h5", expect: ["slab-bad.h5"]) {
            try truncate($0, keeping: 1024 / Double(try Data(contentsOf: URL(fileURLWithPath: $0)).count))
        },
        .init(name: "empty file", file: "run.h5", expect: ["run-bad.h5"]) { try truncate($0, keeping: 0) },
        .init(name: "text, not HDF5", file: "gray.h5", expect: ["gray-bad.h5"]) { try "frequency 1.0\n".write(toFile: $0, atomically: true, encoding: .utf8) },
        .init(name: "dataset of the wrong type (int32 lifetimes)", file: "gray.h5", expect: ["/modes/lifetime", "float64"]) {
            try retype($0, "/modes/lifetime")
        },
        .init(name: "dataset of the wrong rank (velocity flattened)", file: "gray.h5", expect: ["/modes/velocity", "rank"]) {
            try reshape($0, "/modes/velocity") { [$0] }
        },
        .init(name: "dataset of the wrong shape (nodes × 2)", file: "slab.h5", expect: ["/nodes", "dimension 1 should be 3"]) {
            try reshape($0, "/nodes") { [$0 / 2, 2] }
        },
        .init(name: "dataset missing", file: "slab.h5", expect: ["/tets", "missing"]) { p in try edit(p) { try $0.remove("/tets") } },
        .init(name: "units attribute missing", file: "gray.h5", expect: ["/modes/frequency", "units"]) { p in
            try edit(p) { try $0.openDataset("/modes/frequency").removeAttribute("units") }
        },
        .init(name: "wrong units", file: "slab.h5", expect: ["/nodes", "expected units 'm', found 'nm'"]) { p in
            try edit(p) { try $0.openDataset("/nodes").setAttribute("units", "nm") }
        },
        .init(name: "file type attribute missing", file: "gray.h5", expect: ["/@filetype"]) { p in try edit(p) { try $0.removeAttribute("filetype") } },
        .init(name: "schema version from the future", file: "run.h5", expect: ["schema version 99, newer than"]) { p in
            try edit(p) { try $0.setAttribute("schema_version", Int64(99)) }
        },
        .init(name: "NaN planted in ψ", file: "run.h5", expect: ["/regions/bulk/events/psi", "NaN at index"]) { p in
            try edit(p) { try $0.openDataset("/regions/bulk/events/psi").write([Double.nan], offset: [1, 2, 3], count: [1, 1, 1]) }
        },
        .init(name: "run not complete (flag removed)", file: "run.h5", expect: ["/@complete"]) { p in try edit(p) { try $0.removeAttribute("complete") } }
    ]

    func testEveryCorruptionIsRefusedByValidateAndByItsStage() throws {
        let dir = try CLI.temporaryDirectory("corrupt")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func path(_ n: String) -> String { (dir as NSString).appendingPathComponent(n) }
        XCTAssertEqual(try CLI.run(["ingest", "gray", "-o", "gray.h5", "--mean-free-path", "1 um", "--polar", "4", "--azimuthal", "4"], in: dir).status, 0)
        XCTAssertEqual(try CLI.run(["ingest", "box", "-o", "slab.h5", "--cells", "1", "1", "4", "--lengths", "1 1 1 um"], in: dir).status, 0)
        try graySlabConfig(maxEvents: 3).write(toFile: path("slab.toml"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLI.run(["solve", "slab.toml", "-o", "run.h5", "--quiet"], in: dir).status, 0)

        var table = ["| corruption | file | validate | stage | exit | message (first line) |", "|---|---|---|---|---|---|"]
        for c in corruptions {
            let stem = (c.file as NSString).deletingPathExtension
            let bad = "\(stem)-bad.h5"
            try? FileManager.default.removeItem(atPath: path(bad))
            try FileManager.default.copyItem(atPath: path(c.file), toPath: path(bad))
            try c.apply(path(bad))
            let before = try Data(contentsOf: URL(fileURLWithPath: path(bad)))
            // The stage that reads this kind of file, pointed at the corrupted copy.
            var stage: [String]
            switch c.file {
            case "run.h5": stage = ["analyze", bad, "-o", "out.nc", "--quiet"]
            default:
                let cfg = graySlabConfig(maxEvents: 3).replacingOccurrences(of: "\"\(c.file)\"", with: "\"\(bad)\"")
                try cfg.write(toFile: path("bad.toml"), atomically: true, encoding: .utf8)
                stage = ["solve", "bad.toml", "-o", "out.h5", "--quiet"]
            }
            for command in [["validate", bad], stage] {
                let r = try CLI.run(command, in: dir)
                let message = r.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
                XCTAssertTrue((1...125).contains(r.status), "\(c.name): \(command[0]) exit \(r.status) (a signal is a crash)")
                for e in Set(c.expect + [bad]) {
                    XCTAssertTrue(message.contains(e), "\(c.name): \(command[0]) should name '\(e)': \(message)")
                }
                XCTAssertFalse(
                    FileManager.default.fileExists(atPath: path("out.nc")) || FileManager.default.fileExists(atPath: path("out.h5")),
                    "\(c.name): \(command[0]) left an output")
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".partial") && !$0.hasPrefix("run") }
                XCTAssertTrue(leftovers.isEmpty, "\(c.name): temporary files left: \(leftovers)")
                let first = message.split(separator: "\n").first.map(String.init) ?? ""
                table.append(
                    "| \(c.name) | \(c.file) | \(command[0] == "validate" ? "refused" : "") | \(command[0] == "validate" ? "" : command[0]) | \(r.status) | \(first.replacingOccurrences(of: dir + "/", with: "").prefix(140)) |"
                )
            }
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path(bad))), before, "\(c.name): the input was modified")
        }
        print(table.joined(separator: "\n"))
    }
}
