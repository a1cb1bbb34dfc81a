import XCTest
import Foundation
import Store

/// Issue 14's classes, each tried as a user would through the CLI: the exit code (never a signal), the message,
/// the input unchanged, no partial file. docs/reliability.md lists the same rows.
final class HostileInputTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = try CLI.temporaryDirectory("hostile")
        XCTAssertEqual(try CLI.run(["ingest", "gray", "-o", "gray.h5", "--mean-free-path", "0.5 um", "--polar", "4", "--azimuthal", "4"], in: dir).status, 0)
        XCTAssertEqual(try CLI.run(["ingest", "box", "-o", "slab.h5", "--cells", "1", "1", "6", "--lengths", "1 1 1 um"], in: dir).status, 0)
        try write("slab.toml", graySlabConfig(maxEvents: 4))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func path(_ name: String) -> String { (dir as NSString).appendingPathComponent(name) }
    func write(_ name: String, _ text: String) throws { try text.write(toFile: path(name), atomically: true, encoding: .utf8) }
    func bytes(_ name: String) -> Data? { FileManager.default.contents(atPath: path(name)) }

    /// Exit 1 (not a signal), the message contains every fragment, and nothing but `keep` is left in the folder.
    func refused(_ args: [String], _ fragments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        let r = try CLI.run(args, in: dir)
        XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)", file: file, line: line)
        for f in fragments { XCTAssertTrue(r.stderr.contains(f), "\(args): expected '\(f)' in: \(r.stderr)", file: file, line: line) }
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        XCTAssertEqual(after.subtracting(before), [], "\(args) left files behind", file: file, line: line)
    }

    // MARK: 1. An output never overwrites an input

    func testOutputOntoAnInputIsRefusedAndTheInputKept() throws {
        XCTAssertEqual(try CLI.run(["solve", "slab.toml", "-o", "run.h5", "--quiet"], in: dir).status, 0)
        try FileManager.default.createSymbolicLink(atPath: path("alias.h5"), withDestinationPath: "slab.h5")
        try FileManager.default.linkItem(atPath: path("gray.h5"), toPath: path("hard.h5"))
        let cases: [([String], String)] = [
            (["solve", "slab.toml", "-o", "slab.h5"], "slab.h5"),
            (["solve", "slab.toml", "-o", "gray.h5"], "gray.h5"),
            (["solve", "slab.toml", "-o", "slab.toml"], "slab.toml"),
            (["solve", "slab.toml", "-o", "alias.h5"], "slab.h5"),
            (["solve", "slab.toml", "-o", "hard.h5"], "gray.h5"),
            (["analyze", "run.h5", "-o", "run.h5", "--binning", "slab-z"], "run.h5"),
            (["analyze", "run.h5", "-o", "./../\((dir as NSString).lastPathComponent)/run.h5", "--binning", "slab-z"], "run.h5"),
            (["analyze", "run.h5", "-o", "run.nc", "--binning", "slab-z"], "run.h5") // the sidecar run.xmf is not the run
        ]
        for (args, input) in cases.dropLast() {
            let kept = bytes(input)
            try refused(args + ["--quiet"], ["destroy the input", "'\(input)'"])
            XCTAssertEqual(bytes(input), kept, "\(args): input changed")
        }
        XCTAssertEqual(try CLI.run(cases.last!.0 + ["--quiet"], in: dir).status, 0, "a different output is fine")
        // gmsh: the mesh file itself as output.
        try write("cube.msh", "$MeshFormat\n2.2 0 8\n$EndMeshFormat\n")
        let msh = bytes("cube.msh")
        try refused(["ingest", "gmsh", "cube.msh", "-o", "cube.msh", "--unit", "nm"], ["destroy the input"])
        XCTAssertEqual(bytes("cube.msh"), msh)
    }

    // MARK: 2. A full disk is an error, not a crash

    /// A small tmpfs (root only; skipped elsewhere): at every size the solve fails cleanly somewhere else — header,
    /// an event, the remainder, the rename — and afterwards a solve with room gives the uninterrupted run bit for bit.
    func testFullDiskIsAnErrorAtEveryStageAndLeavesNothing() throws {
        let mnt = path("full")
        try FileManager.default.createDirectory(atPath: mnt, withIntermediateDirectories: true)
        func mount(_ size: String) throws -> Bool {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/mount")
            p.arguments = ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", mnt]
            p.standardError = FileHandle.nullDevice
            try p.run(); p.waitUntilExit()
            return p.terminationStatus == 0
        }
        func umount() {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/umount")
            p.arguments = [mnt]
            try? p.run(); p.waitUntilExit()
        }
        guard try mount("64k") else { throw XCTSkip("cannot mount a tmpfs here (needs root): full-disk test skipped") }
        umount()
        XCTAssertEqual(try CLI.run(["solve", "slab.toml", "-o", "reference.h5", "--quiet"], in: dir).status, 0)
        let size = (try FileManager.default.attributesOfItem(atPath: path("reference.h5"))[.size] as? Int) ?? 0
        var messages = Set<String>()
        for fraction in [0.02, 0.2, 0.5, 0.8, 0.95] {
            XCTAssertTrue(try mount("\(max(8, Int(Double(size) * fraction) / 1024))k"))
            defer { umount() }
            // Sized first: refused before any work, with the figures.
            let sized = try CLI.run(["solve", "slab.toml", "-o", "full/run.h5", "--quiet"], in: dir)
            XCTAssertEqual(sized.status, 1, sized.stderr)
            XCTAssertTrue(sized.stderr.contains("the run file needs up to") && sized.stderr.contains("are free"), sized.stderr)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: mnt), [])
            // Forced, it runs into the full disk somewhere along the way.
            let r = try CLI.run(["solve", "slab.toml", "-o", "full/run.h5", "--quiet", "--force"], in: dir)
            XCTAssertEqual(r.status, 1, "fraction \(fraction): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("No space left") || r.stderr.contains("no space left"), r.stderr)
            XCTAssertFalse(r.stderr.contains("crashed"), r.stderr)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: mnt), [], "fraction \(fraction): files left")
            messages.insert(String(r.stderr.prefix(40)))
            let a = try CLI.run(["analyze", "reference.h5", "-o", "full/products.nc", "--binning", "slab-z", "--quiet"], in: dir)
            if a.status != 0 {
                XCTAssertEqual(a.status, 1, a.stderr)
                XCTAssertTrue(a.stderr.contains("no space left") || a.stderr.contains("No space left"), a.stderr)
                XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: mnt), [], "analyze left files")
            }
        }
        XCTAssertGreaterThan(messages.count, 1, "the sizes should fail at different stages: \(messages)")
        XCTAssertEqual(try CLI.run(["solve", "slab.toml", "-o", "again.h5", "--quiet"], in: dir).status, 0)
        let a = try HDF5File.open(path("reference.h5")), b = try HDF5File.open(path("again.h5"))
        for p in ["/regions/bulk/events/psi", "/regions/bulk/events/boundary_flux", "/accumulated/temperature"] {
            XCTAssertEqual(try a.readDataset(p, as: Double.self), try b.readDataset(p, as: Double.self), p)
        }
    }

    // MARK: 4. Physically absurd data

    /// A linewidth that converts to an absurd lifetime (1e-300 cm⁻¹) once gave κ = 2e99 and passed validate.
    func testUnderflowingAndNegativeLinewidthsAreRefusedNamingTheMode() throws {
        let src = (CLI.repositoryRoot as NSString).appendingPathComponent("data/ge")
        for name in try FileManager.default.contentsOfDirectory(atPath: src) where name.contains("4x4x4") || name.hasPrefix("crystal") {
            try FileManager.default.copyItem(atPath: (src as NSString).appendingPathComponent(name), toPath: path(name))
        }
        let lw = "lw.ge.4x4x4_T300_s0.out"
        let original = try String(contentsOfFile: path(lw), encoding: .utf8)
        var lines = original.components(separatedBy: "\n")
        for (value, fragment) in [("0.1000000000E-299", "at most 1.0 s"), ("-0.1003575140E-01", "a HWHM must be ≥ 0")] {
            var l = lines
            var fields = l[3].split(separator: " ").map(String.init)
            fields[0] = value
            l[3] = "    " + fields.joined(separator: "    ")
            try write(lw, l.joined(separator: "\n"))
            try refused(
                ["ingest", "d3q", "--directory", ".", "--prefix", "ge.4x4x4", "--crystal", "crystal.ge.txt", "-o", "ge.h5"],
                [fragment, value.hasPrefix("-") ? "lw.ge.4x4x4_T300_s0.out:4" : "mode 6 (q-point 1, branch 0"])
        }
        lines = original.components(separatedBy: "\n")
        try write(lw, lines.joined(separator: "\n"))
        XCTAssertEqual(
            try CLI.run(["ingest", "d3-q", "--directory", ".", "--prefix", "ge.4x4x4", "--crystal", "crystal.ge.txt", "-o", "ge.h5"], in: dir).status, 0,
            "the untouched data (and the d3-q spelling) still ingest")
    }

    /// validate reads the modes of a material file, not only their types and shapes.
    func testValidateRefusesAnImplausibleMaterialFile() throws {
        let f = try HDF5File.open(path("gray.h5"), mode: .readWrite)
        let ds = try f.openDataset("/modes/velocity")
        var v = try ds.read(as: Double.self)
        v[3 * 3] = 3e5
        try ds.write(v)
        try f.close()
        let r = try CLI.run(["validate", "gray.h5"], in: dir)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("mode 3") && r.stderr.contains("|v|"), r.stderr)
    }

    // MARK: 5. Configurations that cannot mean anything

    func testMeaninglessConfigurationsAreRefusedByValidateAndSolve() throws {
        let base = graySlabConfig(maxEvents: 4)
        let cases: [(String, [String])] = [
            (base.replacingOccurrences(of: "partner = \"xmax\"", with: "partner = \"xmin\""), ["names itself as partner"]),
            (
                base.replacingOccurrences(of: "boundary = \"xmax\"\nkind = \"periodic\"\npartner = \"xmin\"", with: "boundary = \"xmax\"\nkind = \"specular\""),
                ["not periodic with 'xmin' as its partner"]
            ),
            (base.replacingOccurrences(of: "mesh = \"slab.h5\"", with: "mesh = \"nowhere.h5\""), ["nowhere.h5"]),
            (base.replacingOccurrences(of: "boundary = \"ymax\"", with: "boundary = \"ymin\""), ["given twice"])
        ]
        for (i, (text, fragments)) in cases.enumerated() {
            try write("bad\(i).toml", text)
            try refused(["validate", "bad\(i).toml"], fragments)
            try refused(["solve", "bad\(i).toml", "-o", "bad\(i).h5", "--quiet"], fragments)
        }
        // Windows line endings mean the same configuration.
        try write("crlf.toml", base.replacingOccurrences(of: "\n", with: "\r\n"))
        XCTAssertEqual(try CLI.run(["validate", "crlf.toml"], in: dir).status, 0)
        XCTAssertEqual(try CLI.run(["solve", "crlf.toml", "-o", "crlf.h5", "--quiet"], in: dir).status, 0)
    }

    /// Counts and coordinates that once aborted with SIGABRT/SIGILL (or tried to allocate terabytes).
    func testOutOfRangeOptionsAreRefusedBeforeAnyWork() throws {
        XCTAssertEqual(try CLI.run(["solve", "slab.toml", "-o", "run.h5", "--quiet"], in: dir).status, 0)
        let cases: [([String], String)] = [
            (["ingest", "box", "-o", "q.h5", "--cells", "100000", "1", "1", "--lengths", "1 1 1 um"], "--cells must lie in"),
            (["ingest", "box", "-o", "q.h5", "--cells", "2", "2", "2", "--lengths", "nan 1 1 um"], "finite numbers"),
            (["ingest", "box", "-o", "q.h5", "--cells", "2", "2", "2", "--lengths", "0 1 1 um"], "must be positive"),
            (
                ["ingest", "heterostructure", "-o", "q.h5", "--cells", "2000", "2000", "2000", "--lengths", "1 1 1 um", "--split", "0.5 um"],
                "tetrahedra; at most"
            ),
            (["ingest", "gray", "-o", "q.h5", "--mean-free-path", "inf um"], "expected a number"),
            (["ingest", "gray", "-o", "q.h5", "--mean-free-path", "1 um", "--polar", "100000000"], "--polar must lie in"),
            (["ingest", "sphere", "-o", "q.h5", "--radius", "100 nm", "--mesh-size", "0 nm"], "--mesh-size must be finite and positive"),
            (["analyze", "run.h5", "-o", "q.nc", "--bins", "1000000000"], "--bins must lie in"),
            (["analyze", "run.h5", "-o", "q.nc", "--energy-bins", "0"], "--energy-bins must lie in"),
            (["analyze", "run.h5", "-o", "q.nc", "--angular-bins", "99999999"], "--angular-bins must lie in"),
            (["analyze", "run.h5", "-o", "q.nc", "--center", "nan 0 0 nm"], "finite numbers"),
            (["analyze", "run.h5", "-o", "q.nc", "--radius=-1e3 nm"], "--radius must be positive and at most 1 m"),
            // Found by fuzz-analyze-options: these once trapped in the binning (Double → Int of ∞/NaN).
            (["analyze", "run.h5", "-o", "q.nc", "--center", "0 0 1e300 nm"], "--center must lie within 1 m"),
            (["analyze", "run.h5", "-o", "q.nc", "--center", "0 0 1e300 nm", "--radius", "1 m"], "--center must lie within 1 m")
        ]
        for (args, fragment) in cases { try refused(args, [fragment]) }
        // A radius far below the element size is legal: every shell but the first is empty, nothing traps.
        let tiny = try CLI.run(["analyze", "run.h5", "-o", "tiny.nc", "--radius", "1e-30 m", "--quiet"], in: dir)
        XCTAssertEqual(tiny.status, 0, tiny.stderr)
    }

    /// A file name that is not UTF-8 would be decoded with U+FFFD and written under another name: refused instead.
    func testNonUTF8FileNamesAreRefusedNamingTheBytes() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The shell passes the raw byte 0xff, which a Swift String argument cannot carry.
        p.arguments = ["-c", "exec \"$0\" ingest box -o \"$(printf 'm\\377x.h5')\" --cells 1 1 1 --lengths '1 1 1 um'", CLI.executable]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let err = Pipe()
        p.standardError = err
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .exit)
        XCTAssertEqual(p.terminationStatus, 1, message)
        XCTAssertTrue(message.contains("argument 4 is not valid UTF-8 (\"m\\xffx.h5\")"), message)
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: dir)), before)
    }

    // MARK: 7. Processes clean up after themselves

    /// SIGTERM to `ingest sphere` ends gmsh and removes the mesher's folder; SIGTERM to a solve frees the output's
    /// lock and keeps its resumable `.partial`, from which the next solve finishes like an uninterrupted one.
    func testTerminatedCommandsEndTheirChildrenAndLeaveNoTemporaries() throws {
        func gmshFolders() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? []).filter { $0.hasPrefix("pbte-gmsh-") }
        }
        func gmshChildren(of parent: Int32) -> Int {
            let all = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return all.filter { pid in
                guard Int(pid) != nil, let cmd = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8) else { return false }
                return cmd.contains("pbte-gmsh-")
            }.count
        }
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/gmsh") {
            let before = Set(gmshFolders())
            let p = try CLI.start(["ingest", "sphere", "-o", "sphere.h5", "--radius", "100 nm", "--mesh-size", "1.5 nm"], in: dir)
            var waited = 0.0
            while gmshChildren(of: p.processIdentifier) == 0 && waited < 10 { Thread.sleep(forTimeInterval: 0.1); waited += 0.1 }
            XCTAssertGreaterThan(gmshChildren(of: p.processIdentifier), 0, "gmsh never started")
            kill(p.processIdentifier, SIGTERM)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationReason, .uncaughtSignal)
            Thread.sleep(forTimeInterval: 0.5)
            XCTAssertEqual(gmshChildren(of: p.processIdentifier), 0, "gmsh outlived its parent")
            XCTAssertEqual(Set(gmshFolders()).subtracting(before), [], "the mesher's folder was left behind")
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("sphere.h5")))
        }
        XCTAssertEqual(try CLI.run(["ingest", "box", "-o", "long.h5", "--cells", "1", "1", "300", "--lengths", "1 1 1 um"], in: dir).status, 0)
        try write("long.toml", graySlabConfig(maxEvents: 30).replacingOccurrences(of: "slab.h5", with: "long.h5"))
        let t0 = Date()
        XCTAssertEqual(try CLI.run(["solve", "long.toml", "-o", "reference.h5", "--quiet"], in: dir).status, 0)
        // Halfway through by this machine's own clock: a fixed delay lands after the rename on a fast machine.
        let whole = Date().timeIntervalSince(t0)
        let p = try CLI.start(["solve", "long.toml", "-o", "run.h5", "--quiet"], in: dir)
        Thread.sleep(forTimeInterval: 0.5 * whole)
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        if p.terminationReason == .uncaughtSignal {
            XCTAssertFalse(FileManager.default.fileExists(atPath: path(".run.h5.lock")), "the lock file was left behind")
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("run.h5")))
            XCTAssertEqual(try CLI.run(["solve", "long.toml", "-o", "run.h5", "--quiet"], in: dir).status, 0)
            let a = try HDF5File.open(path("reference.h5")), b = try HDF5File.open(path("run.h5"))
            XCTAssertEqual(try a.readDataset("/regions/bulk/events/psi", as: Double.self), try b.readDataset("/regions/bulk/events/psi", as: Double.self))
            // The totals cover the whole run, not only the part after the resume.
            let ga = try a.openGroup("/accumulated"), gb = try b.openGroup("/accumulated")
            for k in ["sweeps", "events", "max_balance_error"] {
                XCTAssertEqual(try ga.attribute(k, as: Double.self), try gb.attribute(k, as: Double.self), k)
            }
        }
    }
}

/// The help's sample runs, executed as printed (with the slab configuration they refer to).
final class HelpSampleTests: XCTestCase {
    func testHelpSampleRunsWork() throws {
        let dir = try CLI.temporaryDirectory("help")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let help = try CLI.run(["--help"], in: dir).stdout
        let lines = help.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("pbte-pipeline ") }
        XCTAssertGreaterThanOrEqual(lines.count, 4, help)
        try graySlabConfig(maxEvents: 3).write(toFile: (dir as NSString).appendingPathComponent("slab.toml"), atomically: true, encoding: .utf8)
        for line in lines {
            let r = try CLI.spawn("/bin/bash", ["-c", "pbte-pipeline() { \"\(CLI.executable)\" \"$@\"; }; " + line], in: dir, limit: 600)
            XCTAssertEqual(r.status, 0, line + "\n" + r.stderr)
        }
    }
}

/// The README's sample runs, executed verbatim in a fresh folder, with `B` the built executable and slab.toml the
/// "Example: gray slab" of data-schema/run-config.md as the README points to; every line must succeed.
final class ReadmeSampleTests: XCTestCase {
    static func block(after heading: String, fence: String, in text: String) -> [String]? {
        guard let h = text.range(of: heading), let open = text.range(of: fence, range: h.upperBound..<text.endIndex) else { return nil }
        let body = text[open.upperBound...]
        guard let close = body.range(of: "\n```") else { return nil }
        return body[..<close.lowerBound].components(separatedBy: "\n").filter { !$0.isEmpty }
    }

    func testReadmeSampleRunsWorkVerbatim() throws {
        let dir = try CLI.temporaryDirectory("readme")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let root = CLI.repositoryRoot
        let readme = try String(contentsOfFile: root + "/README.md", encoding: .utf8)
        let config = try String(contentsOfFile: root + "/data-schema/run-config.md", encoding: .utf8)
        let lines = try XCTUnwrap(Self.block(after: "## Sample runs", fence: "```\n", in: readme), "README has a Sample runs block")
        let toml = try XCTUnwrap(Self.block(after: "## Example: gray slab", fence: "```toml\n", in: config), "run-config.md has the slab example")
        try (toml.joined(separator: "\n") + "\n").write(toFile: dir + "/slab.toml", atomically: true, encoding: .utf8)
        XCTAssertTrue(lines.first?.hasPrefix("B=") ?? false, "the block starts by naming the executable: \(lines)")
        for line in lines.dropFirst() {
            // `set -e -o pipefail` with stderr kept: a line that hides a failure behind 2>/dev/null still fails.
            let script = "set -e -o pipefail; B=\"\(CLI.executable)\"; " + line
            let r = try CLI.spawn("/bin/bash", ["-c", script], in: dir, limit: 600)
            XCTAssertEqual(r.status, 0, "README line failed: \(line)\n\(r.stdout)\n\(r.stderr)")
        }
    }
}
