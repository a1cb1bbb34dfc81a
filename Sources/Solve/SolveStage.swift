import Foundation
import Model
import Config
import Store

/// The solve stage: material + mesh + run configuration → run file, resumable after a kill.
public enum SolveStage {
    public struct Report: Sendable {
        public var events: Int
        public var converged: Bool
        public var sweeps: Int
        public var seconds: Double
        public var resumedFrom: Int
        public var maxClosure: Double
        /// Seconds spent storing events and the remainder (collective writes in an MPI solve).
        public var writeSeconds: Double = 0
        /// Set for a transient run.
        public var transient: TransientStage.Report? = nil
    }

    /// With a communicator of several processes (the MPI build, docs/mpi.md) every process calls this alike; each
    /// solves and writes its own block of modes. `warn` receives invariant violations when
    /// `[checks] on_violation = "warn"`; they are also stored in the run file.
    /// What the run would need on disk and in memory, without solving (`solve --dry-run`).
    public static func estimate(config: RunConfig) throws -> RunSizeEstimate {
        let mesh = try MeshFile.read(path: config.mesh)
        return estimate(system: try RegionSetup(config: config, mesh: mesh).system, config: config)
    }

    /// One interface as `solve --dry-run` reports it: the kernel built exactly as the solve would build it.
    public struct InterfaceSummary: Sendable {
        public var tag: Int32
        public var name: String
        public var description: String
        /// Landauer conductance from the kernel alone (W m⁻² K⁻¹): Σ over the arriving modes of side A of ρCv·n·T.
        public var landauerConductance: Double
        public var warnings: [String]
    }

    /// The size estimate and every interface kernel, without solving: a cheap way to compare interface models
    /// (and their parameters) before paying for a solve.
    public static func dryRun(config: RunConfig) throws -> (estimate: RunSizeEstimate, interfaces: [InterfaceSummary]) {
        let mesh = try MeshFile.read(path: config.mesh)
        let system = try RegionSetup(config: config, mesh: mesh).system
        let interfaces = system.interfaces.compactMap { $0 as? InterfaceCoupling }.map { i in
            InterfaceSummary(
                tag: i.tag, name: i.kernel.name, description: i.kernel.description,
                landauerConductance: landauerConductance(i.kernel, modesA: system.regions[i.regionA].modes),
                warnings: i.kernel.warnings)
        }
        return (estimate(system: system, config: config), interfaces)
    }

    static func estimate(system: TransportSystem, config: RunConfig) -> RunSizeEstimate {
        RunSizeEstimate(
            regions: system.regions.map { t in
                var dense = false
                if case .dense = t.material.collision { dense = true }
                return (t.modeCount, t.nodeCount, t.boundaryFaceCount, dense)
            }, events: config.events.maxEvents, krylovRestart: config.events.krylovRestart, float32: config.float32,
            remainder: config.events.accelerate)
    }

    public static func run(
        config: RunConfig, output: String, resume: Bool = true, force: Bool = false,
        comm: Communicator = SerialCommunicator(),
        progress: ((String) -> Void)? = nil, warn: ((String) -> Void)? = nil
    ) throws -> Report {
        if config.transient != nil {
            guard comm.size == 1 else {
                throw ConfigError(
                    file: config.file, line: config.transient?.line, "[transient] runs are serial: run them with pbte-pipeline solve, not under MPI")
            }
            let r = try TransientStage.run(config: config, output: output, resume: resume, progress: progress)
            return Report(
                events: 0, converged: true, sweeps: r.sweeps, seconds: r.seconds, resumedFrom: r.resumedFrom, maxClosure: 0,
                transient: r)
        }
        let start = Date()
        try InputOutputGuard.refuseOverwrite(output: output, inputs: config.inputFiles)
        let mesh = try MeshFile.read(path: config.mesh)
        let topo = MeshTopology(mesh: mesh)
        if !topo.untaggedBoundaryFaces.isEmpty {
            throw ConfigError(file: config.mesh, line: nil, "\(topo.untaggedBoundaryFaces.count) boundary faces carry no physical tag")
        }
        let setup = try RegionSetup(config: config, mesh: mesh, comm: comm)
        try setup.refuseHarmonicOnly(config)
        let system = setup.system
        progress?(
            "mesh: \(mesh.nodeCount) nodes, \(mesh.tetCount) tets, \(mesh.boundaryFaces.count) boundary faces, \(system.regions.count) region(s); modes: \(system.regions.map { String($0.modeCount) }.joined(separator: " + "))"
        )
        var g0 = [Double](repeating: 0, count: system.volumeSize)
        var b0 = [Double](repeating: 0, count: system.boundarySize)
        for (r, t) in system.regions.enumerated() {
            var part = [Double](repeating: 0, count: t.modeCount * t.nodeCount), one = [Double]()
            for s in config.sources {
                s.fill(modes: t.modes, mesh: t.mesh.mesh, into: &one)
                for i in 0..<part.count { part[i] += one[i] }
            }
            let nn = t.nodeCount, bs = 3 * t.boundaryFaceCount
            system.volumeLayout.place(Array(part[(t.owned.lowerBound * nn)..<(t.owned.upperBound * nn)]), into: &g0, r)
            var inflow = [Double](repeating: 0, count: t.modeCount * bs)
            t.walls.thermalEmission(mesh: t.mesh, modes: t.modes, into: &inflow)
            system.boundaryLayout.place(Array(inflow[(t.owned.lowerBound * bs)..<(t.owned.upperBound * bs)]), into: &b0, r)
        }

        var provenance = try Provenance(inputs: [config.file, config.mesh] + setup.materialFiles)
        // Attributes are written collectively in an MPI solve: every process must write the same time stamp.
        provenance.created = comm.broadcast(provenance.created)
        let header = RunFileWriter.Header(
            mesh: setup.storedMesh, regions: setup.runRegions, provenance: provenance, config: config.text,
            counting: config.events.counting.rawValue, float32: config.float32,
            deflate: config.deflate)
        var h = header
        h.canonicalConfig = config.canonical
        if comm.size > 1 { h.ownedModes = system.regions.map(\.owned) }
        for i in system.interfaces.compactMap({ $0 as? InterfaceCoupling }) {
            let g = landauerConductance(i.kernel, modesA: system.regions[i.regionA].modes)
            h.interfaces.append((i.tag, "\(i.kernel.name): \(i.kernel.description)", g, i.kernel.warnings))
            progress?(String(format: "interface %d: %@, Landauer conductance %.4g W m-2 K-1", i.tag, i.kernel.name, g))
            for w in i.kernel.warnings { progress?("  warning: \(w)") }
        }
        let size = estimate(system: system, config: config)
        progress?("needs: \(size)")
        if !force {
            let partial = (try? FileManager.default.attributesOfItem(atPath: output + ".partial")[.size] as? Int) ?? 0
            try size.check(output: output, alreadyOnDisk: resume ? Double(partial) : 0)
        }
        let writer = try RunFileWriter(outputPath: output, header: h, resume: resume)
        let solver = EventSolver(system: system, options: config.events)
        solver.progress = progress
        solver.warn = warn
        solver.invariants = config.invariants
        solver.invariants.drivesNonnegative = config.drivesNonnegative
        var state: EventSolver.ResumeState? = nil
        let done = writer.eventsCompleted
        if done > 0 {
            let events = try (0..<done).map { system.volumeLayout.join(try writer.readPsi(event: $0)) }
            state = solver.resumeState(psi: events, lastTrace: system.boundaryLayout.join(try writer.readCheckpointTraces()))
            state?.storedBalances = try writer.readStoredBalances().enumerated().map { m, b in
                EventBalance(
                    event: m, injectedVolume: b.injectedVolume, injectedBoundary: b.injectedBoundary,
                    scattered: b.scattered, leaving: b.leaving, relativeChange: b.relativeChange, sweeps: b.sweeps,
                    gross: b.gross)
            }
            progress?("resuming after \(done) stored events")
        }
        let sink = WriterSink(writer: writer, system: system)
        let summary = try solver.run(source: g0, inflow: b0, sink: sink, resume: state)
        var temperature = [Double](), flux = [Double]()
        for (r, t) in system.regions.enumerated() {
            let psi = system.volumeLayout.part(of: summary.accumulated, r)
            let nn = t.nodeCount
            // ModeSet.heatFlux per node, as mode sums over every process's chunks.
            let m = t.modes
            let energy = m.energyWeights
            let dt = t.nodeTemperature(psi)
            let q = (0..<3).map { k in
                t.modeSum(
                    psi,
                    weights: (0..<m.count).map { mu in
                        let v = m.velocity(mu)
                        return energy[mu] * (k == 0 ? v.x : k == 1 ? v.y : v.z)
                    })
            }
            for n in 0..<nn {
                temperature.append(dt[n])
                flux += [q[0][n], q[1][n], q[2][n]]
            }
        }
        let maxClosure = summary.balances.map { abs($0.closure) }.max() ?? 0
        try guardedWrite(writer) {
            try $0.finish(
                accumulated: system.volumeLayout.parts(of: summary.accumulated), temperature: temperature, heatFlux: flux,
                warnings: summary.warnings,
                summary: RunSummary(converged: summary.converged, events: summary.events, sweeps: summary.sweeps, maxBalanceError: maxClosure))
        }
        return Report(
            events: summary.events, converged: summary.converged, sweeps: summary.sweeps,
            seconds: Date().timeIntervalSince(start), resumedFrom: done, maxClosure: maxClosure,
            writeSeconds: sink.seconds)
    }
}

/// Runs a write; if it fails the unfinished run file is deleted, since after a failed write (a full disk above all)
/// HDF5 cannot say which buffers reached it and a resume from it could carry a torn chunk.
func guardedWrite(_ writer: RunFileWriter, _ body: (RunFileWriter) throws -> Void) throws {
    do { try body(writer) } catch let e as StoreError {
        writer.discard()
        var e = e
        let full = e.code == ENOSPC || e.message.contains("No space left")
        e.message +=
            full
            ? " — the disk is full; the unfinished run file was removed (free space and run solve again)"
            : " — the unfinished run file was removed"
        throw e
    }
}

/// Forwards finished events to the run file, region by region, with the face-mean boundary flux S = (v·n)ψ.
final class WriterSink: EventSink {
    let writer: RunFileWriter
    let system: TransportSystem
    private(set) var seconds = 0.0
    init(writer: RunFileWriter, system: TransportSystem) { self.writer = writer; self.system = system }

    func store(event m: Int, psi: [Double], trace: [Double], balance b: EventBalance) throws {
        let start = Date()
        defer { seconds += Date().timeIntervalSince(start) }
        let psiParts = system.volumeLayout.parts(of: psi), traceParts = system.boundaryLayout.parts(of: trace)
        let data = system.regions.indices.map { r in
            RegionEvent(psi: psiParts[r], boundaryFlux: system.regions[r].faceFlux(traceParts[r]), trace: traceParts[r])
        }
        try guardedWrite(writer) {
            try $0.writeEvent(
                m, regions: data, injectedVolume: b.injectedVolume, injectedBoundary: b.injectedBoundary,
                scattered: b.scattered, leaving: b.leaving, relativeChange: b.relativeChange, sweeps: b.sweeps,
                gross: b.gross)
        }
    }
    func storeRemainder(psi: [Double], trace: [Double], residuals: [Double], sweeps: Int) throws {
        try guardedWrite(writer) { try $0.writeRemainder(psi: system.volumeLayout.parts(of: psi), residuals: residuals, sweeps: sweeps) }
    }
}

extension Transport {
    /// S = (v·n̂)·(mean of the three corner values) per mode and boundary face: exactly the face-integrated flux
    /// divided by the face area.
    func faceFlux(_ trace: [Double]) -> [Double] {
        let nb = boundaryFaceCount
        var out = [Double](repeating: 0, count: owned.count * nb)
        let normals = (0..<nb).map { mesh.boundaryNormal($0).normalized }
        for (l, mu) in owned.enumerated() {
            let v = modes.velocity(mu)
            for b in 0..<nb {
                let k = l * 3 * nb + 3 * b
                out[l * nb + b] = v.dot(normals[b]) * (trace[k] + trace[k + 1] + trace[k + 2]) / 3
            }
        }
        return out
    }
}
