import Foundation
import Model
import Store

extension MeshGenerators {
    /// Whether a `gmsh` executable is on PATH (needed by `sphere`).
    public static var gmshAvailable: Bool { GmshRunner.isInstalled }

    /// The gmsh script for a sphere of `radius` centred at the origin, meshed with elements of size ≤ `meshSize`
    /// (both in the mesh's own unit): physical volume 1 "particle", physical surface 1 "surface".
    public static func sphereGeo(radius: Double, meshSize: Double) -> String {
        """
        // Sphere of radius \(radius) with tetrahedra of size <= \(meshSize), lengths in the caller's unit.
        SetFactory("OpenCASCADE");
        Sphere(1) = {0, 0, 0, \(radius)};
        Physical Volume("particle", 1) = {1};
        Physical Surface("surface", 1) = {1};
        Mesh.CharacteristicLengthMax = \(meshSize);
        Mesh.ElementOrder = 1;

        """
    }

    /// Meshes a sphere with gmsh (`gmsh -3 -format msh41`). `radius` and `meshSize` are in `unit` and are written
    /// to gmsh in that unit, since gmsh's geometric tolerances are absolute and fail on nanometre values in metres.
    public static func sphere(
        radius: Double, meshSize: Double, unit: String = "m", gmshPath: String? = nil,
        timeout: Double = 600
    ) throws(MeshIngestError) -> MeshIngestResult {
        let lengthUnit = try MeshLengthUnit.parse(unit, file: "sphere.msh")
        guard radius > 0, meshSize > 0, radius.isFinite, meshSize.isFinite else {
            throw MeshIngestError(
                .invalidArgument, file: "sphere.geo",
                "expected positive radius and mesh size, found \(radius) and \(meshSize)")
        }
        let gmsh = try GmshRunner(path: gmshPath)
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("pbte-gmsh-\(UUID().uuidString)")
        do {
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw MeshIngestError(.io, file: "sphere.geo", "cannot create temporary directory \(dir.path): \(error.localizedDescription)")
        }
        let token = SignalCleanup.register(path: dir.path)
        defer { try? fm.removeItem(at: dir); SignalCleanup.forget(token) }
        let geo = dir.appendingPathComponent("sphere.geo"), msh = dir.appendingPathComponent("sphere.msh")
        do {
            try sphereGeo(radius: radius, meshSize: meshSize).write(to: geo, atomically: true, encoding: .utf8)
        } catch {
            throw MeshIngestError(.io, file: "sphere.geo", "cannot write \(geo.path): \(error.localizedDescription)")
        }
        try gmsh.mesh3D(geo: geo, output: msh, timeout: timeout)
        return try GmshReader.read(contentsOf: msh, unit: lengthUnit.rawValue)
    }
}

/// Runs the gmsh command-line program.
struct GmshRunner {
    let executable: URL

    init(path: String?) throws(MeshIngestError) {
        if let path {
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw MeshIngestError(.gmshMissing, file: "gmsh", "\(path) is not an executable gmsh; install it with `apt-get install gmsh`")
            }
            executable = URL(fileURLWithPath: path)
            return
        }
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for dir in dirs {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent("gmsh")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { executable = candidate; return }
        }
        throw MeshIngestError(.gmshMissing, file: "gmsh", "gmsh not found on PATH; expected the gmsh mesher: install it with `apt-get install gmsh`")
    }

    static var isInstalled: Bool { (try? GmshRunner(path: nil)) != nil }

    func mesh3D(geo: URL, output: URL, timeout: Double) throws(MeshIngestError) {
        let log = output.deletingLastPathComponent().appendingPathComponent("gmsh.log")
        let process = Process()
        process.executableURL = executable
        process.arguments = ["-3", "-format", "msh41", "-o", output.path, geo.path]
        process.standardInput = FileHandle.nullDevice
        do {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            defer { try? handle.close() }
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            let child = SignalCleanup.register(child: process.processIdentifier)
            defer { SignalCleanup.forget(child) }
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
                throw MeshIngestError(.gmshFailed, file: geo.lastPathComponent, "gmsh did not finish within \(Int(timeout)) s")
            }
            process.waitUntilExit()
        } catch let error as MeshIngestError {
            throw error
        } catch {
            throw MeshIngestError(.gmshFailed, file: geo.lastPathComponent, "cannot run \(executable.path): \(error.localizedDescription)")
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let tail = text.split(separator: "\n").filter { $0.contains("Error") }.prefix(5).joined(separator: "\n")
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: output.path) else {
            throw MeshIngestError(
                .gmshFailed, file: geo.lastPathComponent,
                "gmsh exited with status \(process.terminationStatus); expected a mesh in \(output.lastPathComponent)"
                    + (tail.isEmpty ? "" : ":\n" + tail))
        }
    }
}
