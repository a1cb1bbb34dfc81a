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
    static func run(_ args: [String], in dir: String) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
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
