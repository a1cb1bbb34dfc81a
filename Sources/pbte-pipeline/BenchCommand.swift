import ArgumentParser
import Foundation
import Model
import Store
import Ingest
import Solve

/// `pbte-pipeline bench`: standard problems, one table, each figure beside the limit it is measured against
/// (docs/performance.md). Sections: drift, collisions, storage, end to end (Si nanoparticle), scaling.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the solver on standard problems and print one table of figures against their limits.")

    @Flag(help: "Smaller problems (under a minute) instead of the full set.")
    var quick = false

    @Option(help: "Directory of the Si sample data (kappa-m888.hdf5, kappa-m444.hdf5, crystal.si.txt).")
    var data = "data/si"

    @Option(help: "Scratch directory for meshes, materials and run files (default: a fresh temporary directory).")
    var workdir: String?

    @Option(parsing: .upToNextOption, help: "Sections to run: drift collisions storage e2e scaling (default: all).")
    var only: [String] = []

    @Option(help: .hidden) var solveChild: String?
    @Option(help: .hidden) var childOutput: String?

    func run() throws {
        if let toml = solveChild {
            // The end-to-end solve, in its own process so that its peak memory is its own.
            let config = try RunConfig.load(path: toml)
            let r = try SolveStage.run(config: config, output: childOutput ?? toml + ".run.h5", resume: false)
            let line = String(format: "SOLVE-RESULT events=%d sweeps=%d seconds=%.3f converged=%d", r.events, r.sweeps, r.seconds, r.converged ? 1 : 0)
            print(line)
            return
        }
        try failing { try runBench() }
    }

    // MARK: - Table

    struct Row {
        var section: String, name: String, value: String, limit: String, verdict: String
    }
    final class Table {
        var rows: [Row] = []
        func add(_ section: String, _ name: String, _ value: String, _ limit: String = "", _ ok: Bool? = nil) {
            let v = ok.map { $0 ? "ok" : "MISS" } ?? ""
            rows.append(Row(section: section, name: name, value: value, limit: limit, verdict: v))
            FileHandle.standardError.write(Data("  [\(section)] \(name): \(value)  \(limit) \(v)\n".utf8))
        }
        func render() -> String {
            let head = Row(section: "section", name: "figure", value: "value", limit: "limit", verdict: "")
            let all = [head] + rows
            func w(_ k: KeyPath<Row, String>) -> Int { all.map { $0[keyPath: k].count }.max() ?? 0 }
            let ws = [w(\.section), w(\.name), w(\.value), w(\.limit)]
            func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
            var out = ""
            for (i, r) in all.enumerated() {
                out += "| " + [pad(r.section, ws[0]), pad(r.name, ws[1]), pad(r.value, ws[2]), pad(r.limit, ws[3]), pad(r.verdict, 4)]
                    .joined(separator: " | ") + " |\n"
                if i == 0 { out += "|" + ([ws[0], ws[1], ws[2], ws[3], 4].map { String(repeating: "-", count: $0 + 2) }).joined(separator: "|") + "|\n" }
            }
            return out
        }
    }

    func note(_ s: String) { FileHandle.standardError.write(Data(("  " + s + "\n").utf8)) }

    func runBench() throws {
        let fm = FileManager.default
        let dir = workdir ?? (fm.temporaryDirectory.appendingPathComponent("pbte-bench-\(getpid())").path)
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if workdir == nil { try? fm.removeItem(atPath: dir) } }
        let table = Table()
        let sections = only.isEmpty ? ["drift", "collisions", "storage", "e2e", "scaling"] : only
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let start = Date()
        let load0 = Self.loadAverage()
        note("bench (\(quick ? "quick" : "full")) on \(cores) cores, \(Self.cpuModel()), load average \(load0), scratch \(dir)")
        // Everything below runs OpenBLAS one thread at a time unless a figure says otherwise; the solver's own
        // choice is what the end-to-end row measures.
        if sections.contains("drift") { try drift(table, cores: cores) }
        if sections.contains("collisions") { try collisions(table, dir: dir) }
        if sections.contains("storage") { try storage(table, dir: dir) }
        if sections.contains("e2e") { try endToEnd(table, dir: dir) }
        if sections.contains("scaling") { try scaling(table, dir: dir) }
        let f = ISO8601DateFormatter()
        print("pbte-pipeline bench \(quick ? "--quick" : "(full)") — \(f.string(from: Date())), \(cores) cores, \(Self.cpuModel()), total \(String(format: "%.0f", Date().timeIntervalSince(start))) s")
        print("load average (1 min) at start \(load0), at end \(Self.loadAverage()): figures are trustworthy only when other work on the machine stays well below one core")
        print(table.render(), terminator: "")
    }

    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").first.map(String.init) ?? "?"
    }

    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        }
        return "unknown CPU"
    }

    // MARK: - Drift

    func sphereMesh(_ h: Double) throws -> TetMesh {
        guard MeshGenerators.gmshAvailable else { throw ValidationError("bench needs gmsh for its irregular meshes (make deps)") }
        return try MeshGenerators.sphere(radius: 1, meshSize: h, unit: "m").mesh
    }

    /// A volume source that is smooth in space and differs by mode, so no sweep is trivially zero.
    func source(_ t: Transport) -> [Double] {
        let nn = t.nodeCount
        var g = [Double](repeating: 0, count: t.volumeSize)
        for mu in 0..<t.modeCount {
            for n in 0..<nn {
                let p = t.mesh.mesh.node(n)
                g[mu * nn + n] = 1 + 0.5 * sin(3 * p.x + Double(mu % 7)) * cos(2 * p.y - p.z)
            }
        }
        return g
    }

    func drift(_ table: Table, cores: Int) throws {
        let h = quick ? 0.15 : 0.1
        let (polar, az) = quick ? (8, 16) : (16, 32)
        let mesh = try sphereMesh(h)
        let mat = GrayMedium.make(polar: polar, azimuthal: az, speed: 1, meanFreePath: 0.3, heatCapacity: 1)
        let t = try Transport(mesh: SweepMesh(mesh: mesh), material: mat, walls: [1: .black(temperature: 1)])
        var inflow = [Double](repeating: 0, count: t.boundarySize)
        t.walls.thermalEmission(mesh: t.mesh, modes: t.modes, into: &inflow)
        let g = source(t)
        var psi = [Double](), trace = [Double]()
        let work = Double(t.modeCount * mesh.tetCount)
        let label = "gmsh sphere \(mesh.tetCount) tets × \(t.modeCount) dirs"
        let reps = quick ? 2 : 3
        let one = BenchSupport.time(repeats: reps) { BenchSupport.serialDrift(t, source: g, inflow: inflow, psi: &psi, trace: &trace) }
        let all = BenchSupport.time(repeats: reps) { t.drift(source: g, inflow: inflow, psi: &psi, trace: &trace) }
        let us1 = one / work * 1e6, usN = all / work * 1e6
        table.add("drift", "1 thread, \(label)", String(format: "%.3f µs/(mode·tet)", us1), "≤ 0.5", us1 <= 0.5)
        table.add("drift", "\(cores) threads, same", String(format: "%.3f µs/(mode·tet) wall", usN), "")
        table.add("drift", "speed-up on \(cores) cores", String(format: "%.2f×", one / all), "≥ 1.8", one / all >= 1.8)
        let c = BenchSupport.cycleStatistics(t)
        table.add("drift", "dependency cycles", "\(c.modesWithCycles)/\(t.modeCount) dirs, \(c.cyclicTets) tets, \(c.passes) passes", "")
        // A structured box for comparison (Kuhn tets, no cycles).
        let n = quick ? 10 : 16
        let box = BoxMesh.make(cells: (n, n, n), lengths: Vector3(1, 1, 1))
        let tb = try Transport(mesh: SweepMesh(mesh: box), material: mat,
                               walls: Dictionary(uniqueKeysWithValues: (1...6).map { (Int32($0), WallKind.black(temperature: 1)) }))
        var inb = [Double](repeating: 0, count: tb.boundarySize)
        tb.walls.thermalEmission(mesh: tb.mesh, modes: tb.modes, into: &inb)
        let gb = source(tb)
        let ob = BenchSupport.time(repeats: reps) { BenchSupport.serialDrift(tb, source: gb, inflow: inb, psi: &psi, trace: &trace) }
        table.add("drift", "1 thread, box \(box.tetCount) tets × \(tb.modeCount) dirs",
                  String(format: "%.3f µs/(mode·tet)", ob / Double(tb.modeCount * box.tetCount) * 1e6), "≤ 0.5",
                  ob / Double(tb.modeCount * box.tetCount) * 1e6 <= 0.5)
    }

    // MARK: - Collisions

    func collisions(_ table: Table, dir: String) throws {
        let (polar, az) = quick ? (16, 32) : (32, 48)    // 512 or 1536 modes
        let mesh = try sphereMesh(quick ? 0.15 : 0.1)
        let gray = GrayMedium.make(polar: polar, azimuthal: az, speed: 1, meanFreePath: 0.3, heatCapacity: 1)
        let nm = gray.modes.count
        var vals = [Double](repeating: 0, count: nm * nm)
        for i in 0..<nm { for j in 0..<nm where i != j { vals[i * nm + j] = 1e-3 * Double((i * 31 + j * 17) % 101) } }
        var dense = gray
        dense.collision = .dense(DenseMatrix(rows: nm, columns: nm, values: vals))
        let t = try Transport(mesh: SweepMesh(mesh: mesh), material: dense, walls: [1: .black(temperature: nil)])
        let nn = t.nodeCount
        let psi = source(t)
        var g = [Double]()
        let flops = 2 * Double(nm) * Double(nm) * Double(nn)
        let reps = quick ? 3 : 5
        t.scatter(psi: psi, into: &g)
        let ts = BenchSupport.time(repeats: reps) { t.scatter(psi: psi, into: &g) }
        let tg = BenchSupport.dgemmSeconds(m: nm, n: nn, k: nm, repeats: reps)
        let ratio = tg / ts
        table.add("collisions", "dense M·ψ (\(nm)×\(nm))·(\(nm)×\(nn))",
                  String(format: "%.1f GFLOP/s = %.0f%% of dgemm %.1f GFLOP/s", flops / ts * 1e-9, 100 * ratio, flops / tg * 1e-9),
                  "≥ 70%", ratio >= 0.7)
        // RTA (rank one): memory-bound; compared with one streaming pass over ψ and G (read + write).
        let rta = try Transport(mesh: SweepMesh(mesh: mesh), material: gray, walls: [1: .black(temperature: nil)])
        let tr = BenchSupport.time(repeats: reps) { rta.scatter(psi: psi, into: &g) }
        var copy = [Double](repeating: 0, count: psi.count)
        let tc = BenchSupport.time(repeats: reps) {
            psi.withUnsafeBufferPointer { a in copy.withUnsafeMutableBufferPointer { b in b.baseAddress!.update(from: a.baseAddress!, count: a.count) } }
        }
        table.add("collisions", "rank-one (RTA) M·ψ, same shape",
                  String(format: "%.1f ms = %.0f%% of a copy of ψ (%.1f ms)", tr * 1e3, 100 * tc / tr, tc * 1e3), "")
    }

    // MARK: - Storage

    func storage(_ table: Table, dir: String) throws {
        // The shape of one Si event on the end-to-end mesh: 3072 modes × ~3900 nodes (quick: 384 modes).
        let nm = quick ? 384 : 3072, nn = quick ? 1500 : 3900, nf = quick ? 1000 : 3000
        let events = quick ? 3 : 4
        let modes = GrayMedium.make(polar: nm / 32, azimuthal: 32, speed: 1, meanFreePath: 1, heatCapacity: 1).modes
        let mesh = BoxMesh.make(cells: (1, 1, 1), lengths: Vector3(1, 1, 1))
        let region = RunRegion(name: "bench", modes: modes, nodeIndex: (0..<nn).map(Int32.init), faceIndex: (0..<nf).map(Int32.init))
        // Smooth, realistic-looking data (compressible as real ψ is: neighbours alike, low bits noisy).
        var psi = [Double](repeating: 0, count: nm * nn)
        for mu in 0..<nm { for n in 0..<nn { psi[mu * nn + n] = 1e-3 * exp(-Double(n) / Double(nn)) * (1 + 0.1 * sin(Double(mu) + 0.01 * Double(n))) } }
        let flux = [Double](repeating: 1e-4, count: nm * nf), trace = [Double](repeating: 2e-4, count: nm * 3 * nf)
        let bytes = Double(8 * (psi.count + flux.count + trace.count))
        // Raw: the same bytes, sequentially, to the same directory.
        let rawPath = dir + "/raw.bin"
        let raw = try BenchSupport.time(repeats: 2) {
            guard let fh = FileHandle(forWritingAtPath: rawPath) ?? { fm_create(rawPath) }() else { throw ValidationError("cannot write \(rawPath)") }
            for _ in 0..<events {
                for a in [psi, flux, trace] { try a.withUnsafeBytes { try fh.write(contentsOf: $0) } }
            }
            try fh.synchronize()
            try fh.close()
        } / Double(events)
        try? FileManager.default.removeItem(atPath: rawPath)
        let rawRate = bytes / raw / 1e6
        table.add("storage", "raw sequential write (fsync), \(nm)×\(nn) ψ + traces", String(format: "%.0f MB/s", rawRate), "")
        // Fletcher32 is on in every run file; the rows without it state what the checksums cost.
        let cases: [(String, Int?, Bool)] = [("no compression", nil, true), ("no compression, no checksum", nil, false),
                                             ("shuffle+deflate 1", 1, true), ("shuffle+deflate 1, no checksum", 1, false)]
        let checksumDefault = HDF5DatasetOptions.checksumByDefault
        defer { HDF5DatasetOptions.checksumByDefault = checksumDefault }
        for (label, deflate, checksum) in cases {
            HDF5DatasetOptions.checksumByDefault = checksum && checksumDefault
            let path = dir + "/storage.h5"
            let header = RunFileWriter.Header(mesh: mesh, regions: [region], provenance: try Provenance(inputs: [], checksums: []),
                                              config: "bench", counting: "bulk-only", float32: false, deflate: deflate)
            var per = Double.infinity
            for _ in 0..<2 {
                let w = try RunFileWriter(outputPath: path, header: header, resume: false)
                let s = try BenchSupport.time {
                    for m in 0..<events {
                        try w.writeEvent(m, regions: [RegionEvent(psi: psi, boundaryFlux: flux, trace: trace)], injectedVolume: 1,
                                         injectedBoundary: 0, scattered: 1, leaving: [:], relativeChange: 1, sweeps: 1)
                    }
                    let fd = open(path + ".partial", O_RDONLY)
                    if fd >= 0 { fsync(fd); close(fd) }
                }
                per = min(per, s / Double(events))
                try? FileManager.default.removeItem(atPath: path + ".partial")
            }
            let rate = bytes / per / 1e6
            table.add("storage", "writeEvent, \(label)", String(format: "%.0f MB/s = %.0f%% of raw", rate, 100 * rate / rawRate),
                      "≥ 50%", rate >= 0.5 * rawRate)
        }
    }

    // MARK: - End to end

    struct ChildResult { var seconds: Double; var maxRSS: Double; var output: String }

    /// Runs this executable again as `bench --solve-child`, with its own peak memory (wait4's rusage).
    func solveInChild(toml: String, output: String) throws -> ChildResult {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var args = [exe]
        if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "bench" { args.append("bench") }
        args += ["--solve-child", toml, "--child-output", output]
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
        guard posix_spawn(&pid, exe, &actions, nil, &cargs, environ) == 0 else { throw ValidationError("cannot start \(exe)") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let seconds = Date().timeIntervalSince(t0)
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard status == 0 else { throw ValidationError("end-to-end solve failed (status \(status)):\n\(text.suffix(2000))") }
        return ChildResult(seconds: seconds, maxRSS: Double(usage.ru_maxrss) * 1024, output: text)
    }

    func ingestSi(_ name: String, dir: String) throws -> String {
        let out = dir + "/si-\(name).h5"
        if !FileManager.default.fileExists(atPath: out) {
            try PhononIngest.ingestPhono3py(kappa: data + "/kappa-\(name).hdf5", crystal: data + "/crystal.si.txt", output: out)
        }
        return out
    }

    func writeSphere(radiusNM: Double, meshNM: Double, dir: String) throws -> (String, TetMesh) {
        let path = dir + "/sphere-\(meshNM).h5"
        let mesh = try MeshGenerators.sphere(radius: radiusNM, meshSize: meshNM, unit: "nm").mesh
        if !FileManager.default.fileExists(atPath: path) {
            try MeshFile.write(mesh, to: path, provenance: Provenance(inputs: [], checksums: []))
        }
        return (path, mesh)
    }

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

        [output]
        precision = "float64"
        compression = 1

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

    func endToEnd(_ table: Table, dir: String) throws {
        let q = quick ? "m444" : "m888"
        let h = quick ? 20.0 : 10.0
        var t0 = Date()
        let material = try ingestSi(q, dir: dir)
        let ingestSeconds = Date().timeIntervalSince(t0)
        t0 = Date()
        let (meshPath, mesh) = try writeSphere(radiusNM: 100, meshNM: h, dir: dir)
        let meshSeconds = Date().timeIntervalSince(t0)
        let toml = dir + "/run-\(q).toml"
        try Self.runToml(material: material, mesh: meshPath, events: 15).write(toFile: toml, atomically: true, encoding: .utf8)
        let out = dir + "/run-\(q).h5"
        note("end to end: Si \(q), \(mesh.tetCount) tets, 15 events (ingest \(String(format: "%.1f", ingestSeconds)) s, mesh \(String(format: "%.1f", meshSeconds)) s)")
        let r = try solveInChild(toml: toml, output: out)
        // Figures of the solve, and the sizes of what it must hold.
        let (mat, _) = try MaterialFile.read(path: material)
        let nm = mat.modes.count, nn = mesh.nodeCount, nf = mesh.boundaryFaces.count
        let line = r.output.split(separator: "\n").first { $0.hasPrefix("SOLVE-RESULT") } ?? ""
        func field(_ k: String) -> Double {
            for part in line.split(separator: " ") where part.hasPrefix(k + "=") { return Double(part.dropFirst(k.count + 1)) ?? 0 }
            return 0
        }
        let events = Int(field("events")), sweeps = Int(field("sweeps"))
        let wall = r.seconds + ingestSeconds + meshSeconds
        table.add("e2e", "Si \(nm) modes, sphere \(mesh.tetCount) tets, \(events) events + remainder (\(sweeps) sweeps): wall",
                  String(format: "%.1f s (solve %.1f, ingest %.1f, mesh %.1f)", wall, r.seconds, ingestSeconds, meshSeconds),
                  "≤ 300 s", wall <= 300)
        table.add("e2e", "time per sweep (drift + scatter + write)", String(format: "%.2f s = %.3f µs/(mode·tet) wall", r.seconds / Double(max(sweeps, 1)), r.seconds / Double(max(sweeps, 1)) / Double(nm * mesh.tetCount) * 1e6), "")
        // What the solver must hold: the event recursion's volume vectors (ψ^(m), Σψ, G) and boundary vectors
        // (traces, inflow), plus the Krylov basis it builds for the remainder (iterations + 1 vectors of both).
        let nv = Double(nm * nn) * 8, nb = Double(nm * 3 * nf) * 8
        let krylov = max(0, sweeps - events - 1)
        let floor = 3 * nv + 2 * nb + Double(min(krylov, 30) + 1) * (nv + nb)
        table.add("e2e", "peak memory (ru_maxrss) / arrays the solver must hold",
                  String(format: "%.0f MB / %.0f MB = %.2f×", r.maxRSS / 1e6, floor / 1e6, r.maxRSS / floor), "≤ 1.5×", r.maxRSS <= 1.5 * floor)
        try? FileManager.default.removeItem(atPath: out)
    }

    // MARK: - Scaling

    func scaling(_ table: Table, dir: String) throws {
        let small = try MaterialFile.read(path: try ingestSi("m444", dir: dir)).0
        let large = try MaterialFile.read(path: try ingestSi("m888", dir: dir)).0
        let (h1, h2) = quick ? (25.0, 18.0) : (14.0, 10.0)
        let m1 = try writeSphere(radiusNM: 100, meshNM: h1, dir: dir).1
        let m2 = try writeSphere(radiusNM: 100, meshNM: h2, dir: dir).1
        func perEvent(_ mat: Material, _ mesh: TetMesh) throws -> Double {
            let t = try Transport(mesh: SweepMesh(mesh: mesh), material: mat, walls: [1: .black(temperature: nil)])
            let g0 = source(t)
            let inflow = [Double](repeating: 0, count: t.boundarySize)
            var psi = [Double](), trace = [Double](), g = [Double]()
            return BenchSupport.time(repeats: 1) {
                t.drift(source: g0, inflow: inflow, psi: &psi, trace: &trace)
                t.scatter(psi: psi, into: &g)
            }
        }
        let a = try perEvent(small, m1), b = try perEvent(large, m1), c = try perEvent(large, m2)
        let nmA = small.modes.count, nmB = large.modes.count
        table.add("scaling", "event (drift+scatter), \(nmA) modes × \(m1.tetCount) tets", String(format: "%.2f s", a), "")
        table.add("scaling", "event, \(nmB) modes × \(m1.tetCount) tets", String(format: "%.2f s", b), "")
        table.add("scaling", "event, \(nmB) modes × \(m2.tetCount) tets", String(format: "%.2f s", c), "")
        let em = log(b / a) / log(Double(nmB) / Double(nmA)), et = log(c / b) / log(Double(m2.tetCount) / Double(m1.tetCount))
        table.add("scaling", "exponents: time ∝ modes^a · tets^b", String(format: "a = %.2f, b = %.2f", em, et), "a ≈ 1, b ≈ 1")
    }
}

private func fm_create(_ path: String) -> FileHandle? {
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    return FileHandle(forWritingAtPath: path)
}
