import Foundation
import XCTest

/// Runs the built `pbte-pipeline` (next to the test binary) the way a user would, and captures what it prints.
struct CLI {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static var executable: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = (exe as NSString).deletingLastPathComponent
        // The xctest binary sits in <products>/X.xctest or directly in <products>.
        if dir.hasSuffix(".xctest") { dir = (dir as NSString).deletingLastPathComponent }
        return (dir as NSString).appendingPathComponent("pbte-pipeline")
    }

    static var repositoryRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }

    @discardableResult
    static func run(_ args: [String], in dir: String, limit: Int = 900) throws -> Result {
        let r = try spawn(executable, args, in: dir, limit: limit)
        if r.timedOut { XCTFail("pbte-pipeline \(args.joined(separator: " ")) ran past \(limit) s and was killed:\n\(r.stderr)") }
        return Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    struct Spawned { var status: Int32; var stdout: String; var stderr: String; var timedOut: Bool }

    /// Any program, under coreutils' `timeout` (which signals its whole process group, so an X server or an MPI
    /// helper started by the child dies with it): a hung tool fails its test with what it printed instead of hanging
    /// CI. Both pipes drain at once, so a child that fills one cannot block on it while the other is read.
    static func spawn(_ program: String, _ args: [String], in dir: String, limit: Int, environment: [String: String]? = nil) throws -> Spawned {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments = ["--kill-after=10", "\(limit)", program] + args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        if let environment { p.environment = environment }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let e = Drain(err.fileHandleForReading)
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let status = p.terminationStatus
        return Spawned(
            status: status, stdout: String(decoding: o, as: UTF8.self), stderr: e.wait(),
            timedOut: p.terminationReason == .exit && (status == 124 || status == 137))
    }

    /// Starts the tool without waiting, for kill tests.
    static func start(_ args: [String], in dir: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    static func temporaryDirectory(_ name: String) throws -> String {
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("pbte-cli-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// Reads a pipe to its end on its own thread.
final class Drain: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}

/// The gray slab case of docs/physics.md §9.1 as a run file, as a user would write it.
func graySlabConfig(maxEvents: Int = 10, counting: String = "bulk-and-boundary", extra: String = "") -> String {
    """
    [run]
    material = "gray.h5"
    mesh = "slab.h5"

    [events]
    max_events = \(maxEvents)
    tolerance = 1e-9
    counting = "\(counting)"
    krylov_tolerance = 1e-10
    \(extra)
    [[wall]]
    boundary = "zmin"
    kind = "black"
    temperature = "1 K"
    [[wall]]
    boundary = "zmax"
    kind = "black"
    temperature = "0 K"
    [[wall]]
    boundary = "xmin"
    kind = "periodic"
    partner = "xmax"
    [[wall]]
    boundary = "xmax"
    kind = "periodic"
    partner = "xmin"
    [[wall]]
    boundary = "ymin"
    kind = "specular"
    [[wall]]
    boundary = "ymax"
    kind = "specular"
    """
}

/// Two regions of a heterostructure mesh joined by one `[[interface]]`, a hot black wall at zmin, a cold one at zmax
/// and specular side walls, as the interface tests write it.
func bilayerConfig(
    regions: (String, String) = ("lower", "upper"), files: (String, String) = ("gray.h5", "gray.h5"),
    kind: String, extra: String, hot: String, cold: String, events: String = ""
) -> String {
    """
    [run]
    mesh = "bilayer.h5"
    [[material]]
    region = "\(regions.0)"
    file = "\(files.0)"
    [[material]]
    region = "\(regions.1)"
    file = "\(files.1)"
    \(events)
    [[interface]]
    boundary = "interface"
    kind = "\(kind)"
    \(extra)
    [[wall]]
    boundary = "zmin"
    kind = "black"
    temperature = "\(hot)"
    [[wall]]
    boundary = "zmax"
    kind = "black"
    temperature = "\(cold)"
    [[wall]]
    boundary = "xmin"
    kind = "specular"
    [[wall]]
    boundary = "xmax"
    kind = "specular"
    [[wall]]
    boundary = "ymin"
    kind = "specular"
    [[wall]]
    boundary = "ymax"
    kind = "specular"
    """
}

/// `[[wall]]` tables making each pair of boundaries periodic partners of each other.
func periodicWalls(_ pairs: [(String, String)]) -> String {
    pairs.map { a, b in
        "[[wall]]\nboundary = \"\(a)\"\nkind = \"periodic\"\npartner = \"\(b)\"\n[[wall]]\nboundary = \"\(b)\"\nkind = \"periodic\"\npartner = \"\(a)\"\n"
    }.joined()
}
