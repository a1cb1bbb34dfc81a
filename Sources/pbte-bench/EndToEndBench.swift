import Foundation
import Model
import Config
import Store
import Ingest
import Solve

extension BenchRun {
    struct ChildResult {
        var seconds: Double
        var maxRSS: Double
        var output: String

        /// A value of the child's `SOLVE-RESULT key=value …` line; 0 where it is missing.
        func field(_ k: String) -> Double {
            let line = output.split(separator: "\n").first { $0.hasPrefix("SOLVE-RESULT") } ?? ""
            for part in line.split(separator: " ") where part.hasPrefix(k + "=") { return Double(part.dropFirst(k.count + 1)) ?? 0 }
            return 0
        }
    }

    /// Runs this executable again as `--solve-child`, with its own peak memory (wait4's rusage).
    func solveInChild(toml: String, output: String) throws -> ChildResult {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let args = [exe, "--solve-child", toml, "--child-output", output]
        let log = output + ".log"
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var cargs = args.map { strdup($0) } + [nil]
        defer { for p in cargs { free(p) } }
        var pid: pid_t = 0
        let t0 = Date()
        guard posix_spawn(&pid, exe, &actions, nil, &cargs, environ) == 0 else { throw BenchError("cannot start \(exe)") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let seconds = Date().timeIntervalSince(t0)
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard status == 0 else { throw BenchError("end-to-end solve failed (status \(status)):\n\(text.suffix(2000))") }
        return ChildResult(seconds: seconds, maxRSS: Double(usage.ru_maxrss) * 1024, output: text)
    }

    func ingestSi(_ name: String) throws -> String {
        let out = dir + "/si-\(name).h5"
        if !FileManager.default.fileExists(atPath: out) {
            try PhononIngest.ingestPhono3py(kappa: data + "/kappa-\(name).hdf5", crystal: data + "/crystal.si.txt", output: out)
        }
        return out
    }

    func writeSphere(radiusNM: Double, meshNM: Double) throws -> (String, TetMesh) {
        let path = dir + "/sphere-\(meshNM).h5"
        let mesh = try MeshGenerators.sphere(radius: radiusNM, meshSize: meshNM, unit: "nm").mesh
        if !FileManager.default.fileExists(atPath: path) {
            try MeshFile.write(mesh, to: path, provenance: Provenance(inputs: [], checksums: []))
        }
        return (path, mesh)
    }

    /// The nanoparticle demo's configuration (pipelines/si-nanoparticle/run.toml) with the output left at its
    /// defaults, as a user's run would be.
    static func runToml(material: String, mesh: String, events: Int) -> String {
        """
        [run]
        material = "\(material)"
        mesh = "\(mesh)"

        [events]
        max_events = \(events)
        tolerance = 1e-4
        counting = "bulk-only"
        accelerate = true
        krylov_tolerance = 1e-6

        [[wall]]
        boundary = "surface"
        kind = "black"

        [[source]]
        kind = "gaussian"
        power_density = "1e18 W m-3"
        center = "0 0 0 nm"
        width = "20 nm"
        spectrum = "thermal"

        """
    }

    func endToEnd() throws {
        let q = quick ? "m444" : "m888"
        let h = quick ? 20.0 : 10.0
        var t0 = Date()
        let material = try ingestSi(q)
        let ingestSeconds = Date().timeIntervalSince(t0)
        t0 = Date()
        let (meshPath, mesh) = try writeSphere(radiusNM: 100, meshNM: h)
        let meshSeconds = Date().timeIntervalSince(t0)
        let toml = dir + "/run-\(q).toml"
        try Self.runToml(material: material, mesh: meshPath, events: 15).write(toFile: toml, atomically: true, encoding: .utf8)
        let out = dir + "/run-\(q).h5"
        note(
            "end to end: Si \(q), \(mesh.tetCount) tets, 15 events (ingest \(String(format: "%.1f", ingestSeconds)) s, mesh \(String(format: "%.1f", meshSeconds)) s)"
        )
        let r = try solveInChild(toml: toml, output: out)
        // Figures of the solve, and the sizes of what it must hold.
        let (mat, _) = try MaterialFile.read(path: material)
        let nm = mat.modes.count, nn = mesh.nodeCount, nf = mesh.boundaryFaces.count
        let events = Int(r.field("events")), sweeps = Int(r.field("sweeps"))
        let wall = r.seconds + ingestSeconds + meshSeconds
        table.add(
            "e2e", "Si \(nm) modes, sphere \(mesh.tetCount) tets, \(events) events + remainder (\(sweeps) sweeps): wall", value: wall, unit: "s",
            display: String(format: "%.1f s (solve %.1f, ingest %.1f, mesh %.1f)", wall, r.seconds, ingestSeconds, meshSeconds),
            limit: "≤ 300 s", ok: wall <= 300, better: .lower, normalized: table.perTriad(wall))
        let perSweep = r.seconds / Double(max(sweeps, 1)) / Double(nm * mesh.tetCount)
        table.add(
            "e2e", "time per sweep (drift + scatter + write)", value: perSweep * 1e6, unit: "µs/(mode·tet)",
            display: String(format: "%.2f s = %.3f µs/(mode·tet) wall", r.seconds / Double(max(sweeps, 1)), perSweep * 1e6),
            better: .lower, normalized: table.perTriad(perSweep))
        // What the solver must hold: the event recursion's volume vectors (ψ^(m), Σψ, G) and boundary vectors
        // (traces, inflow), plus the Krylov basis it builds for the remainder (iterations + 1 vectors of both).
        let nv = Double(nm * nn) * 8, nb = Double(nm * 3 * nf) * 8
        let krylov = max(0, sweeps - events - 1)
        let floor = 3 * nv + 2 * nb + Double(min(krylov, 30) + 1) * (nv + nb)
        table.add(
            "e2e", "peak memory (ru_maxrss) / arrays the solver must hold", value: r.maxRSS / 1e6, unit: "MB",
            display: String(format: "%.0f MB / %.0f MB = %.2f×", r.maxRSS / 1e6, floor / 1e6, r.maxRSS / floor),
            limit: "≤ 1.5×", ok: r.maxRSS <= 1.5 * floor, better: .lower, normalized: (r.maxRSS / floor, "of the arrays held"))
        try? FileManager.default.removeItem(atPath: out)
    }

    func scaling() throws {
        let small = try MaterialFile.read(path: try ingestSi("m444")).0
        let large = try MaterialFile.read(path: try ingestSi("m888")).0
        let (h1, h2) = quick ? (25.0, 18.0) : (14.0, 10.0)
        let m1 = try writeSphere(radiusNM: 100, meshNM: h1).1
        let m2 = try writeSphere(radiusNM: 100, meshNM: h2).1
        func perEvent(_ mat: Material, _ mesh: TetMesh) throws -> Double {
            let t = try Transport(mesh: SweepMesh(mesh: mesh), material: mat, walls: [1: .black(temperature: nil)])
            let g0 = source(t)
            let inflow = [Double](repeating: 0, count: t.boundarySize)
            var psi = [Double](), trace = [Double](), g = [Double]()
            return Clock.time(repeats: 3) {
                t.drift(source: g0, inflow: inflow, psi: &psi, trace: &trace)
                t.scatter(psi: psi, into: &g)
            }.best
        }
        let a = try perEvent(small, m1), b = try perEvent(large, m1), c = try perEvent(large, m2)
        let nmA = small.modes.count, nmB = large.modes.count
        for (label, s) in [
            ("event (drift+scatter), \(nmA) modes × \(m1.tetCount) tets", a), ("event, \(nmB) modes × \(m1.tetCount) tets", b),
            ("event, \(nmB) modes × \(m2.tetCount) tets", c)
        ] {
            table.add("scaling", label, value: s, unit: "s", display: String(format: "%.2f s", s), better: .lower, normalized: table.perTriad(s))
        }
        let em = log(b / a) / log(Double(nmB) / Double(nmA)), et = log(c / b) / log(Double(m2.tetCount) / Double(m1.tetCount))
        table.add(
            "scaling", "exponents: time ∝ modes^a · tets^b", value: et, unit: "1", display: String(format: "a = %.2f, b = %.2f", em, et), limit: "a ≈ 1, b ≈ 1")
    }
}
