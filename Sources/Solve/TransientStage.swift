import Foundation
import Model
import Config
import Store

/// The solve stage for a configuration with `[transient]`: material + mesh + run configuration → transient run
/// file (Schema.transient), resumable after a kill from its last resume state.
public enum TransientStage {
    public struct Report: Sendable {
        public var steps: Int
        public var stored: Int
        public var sweeps: Int
        public var seconds: Double
        public var resumedFrom: Int
        /// Energy at the end over the initial population's; nil where that has no net energy.
        public var energyLeft: Double?
    }

    public static func run(
        config: RunConfig, output: String, resume: Bool = true,
        progress: ((String) -> Void)? = nil
    ) throws -> Report {
        guard let tc = config.transient else { preconditionFailure("not a transient configuration") }
        let start = Date()
        try InputOutputGuard.refuseOverwrite(output: output, inputs: config.inputFiles)
        for w in config.walls {
            if case .black(let t?) = w.kind, t != 0 {
                throw ConfigError(
                    file: config.file, line: w.line,
                    "[[wall]] '\(w.boundary)': a wall temperature does not drive a transient run yet; give the drive as [[source]] tables (drive = \"\(tc.drive.rawValue)\")"
                )
            }
        }
        if config.sources.isEmpty {
            throw ConfigError(
                file: config.file, line: tc.line,
                "[transient] needs at least one [[source]]: it is the initial population (drive = \"impulse\") or the drive in time")
        }
        let mesh = try MeshFile.read(path: config.mesh)
        let topo = MeshTopology(mesh: mesh)
        if !topo.untaggedBoundaryFaces.isEmpty {
            throw ConfigError(file: config.file, line: nil, "\(topo.untaggedBoundaryFaces.count) boundary faces of \(config.mesh) carry no physical tag")
        }
        var setup: RegionSetup? = nil
        let options = tc.options(counting: config.events.counting)
        let solver = try TransientSolver(options: options) { shift in
            let s = try RegionSetup(config: config, mesh: mesh, timeShift: shift)
            try s.refuseHarmonicOnly(config)
            if setup == nil { setup = s }
            return s.system
        }
        solver.progress = progress
        let system = solver.system
        guard let setup else { preconditionFailure() }
        progress?(
            "mesh: \(mesh.nodeCount) nodes, \(mesh.tetCount) tets, \(system.regions.count) region(s); modes: \(system.regions.map { String($0.modeCount) }.joined(separator: " + ")); \(tc.steps) steps of \(tc.timeStep) s (\(tc.scheme.rawValue)), \(tc.storedCount) stored"
        )

        var g0 = [Double](repeating: 0, count: system.volumeSize)
        for (r, t) in system.regions.enumerated() {
            var part = [Double](repeating: 0, count: t.modeCount * t.nodeCount), one = [Double]()
            for s in config.sources {
                s.fill(modes: t.modes, mesh: t.mesh.mesh, into: &one)
                for i in 0..<part.count { part[i] += one[i] }
            }
            system.volumeLayout.place(part, into: &g0, r)
        }
        let initial = tc.drive == .impulse ? [g0.map { $0 * tc.duration }] : []
        let carried = tc.events + 1 + (tc.meanEvents ? 1 : 0)
        let initialEnergy = (0..<carried).map { i in i == 0 && !initial.isEmpty ? system.volumePower(initial[0]) : 0 }

        var regions = setup.runRegions
        for i in regions.indices { regions[i].tets = system.regions[i].mesh.mesh.tetCount }
        var header = TransientRunWriter.Header(
            mesh: setup.storedMesh, regions: regions,
            provenance: try Provenance(inputs: [config.file, config.mesh] + setup.materialFiles), config: config.text,
            counting: config.events.counting.rawValue, float32: config.float32, scheme: tc.scheme.rawValue,
            timeStep: tc.timeStep, steps: tc.steps, parts: tc.events + 1, meanEvents: tc.meanEvents,
            levels: tc.scheme == .bdf2 ? 2 : 1, initialEnergy: initialEnergy)
        header.canonicalConfig = config.canonical
        let writer = try TransientRunWriter(outputPath: output, header: header, resume: resume)
        // After a failed write HDF5 cannot promise which of its buffers reached the file: it goes, and with it the
        // output's lock. Any other failure keeps the file for a resume and frees the output.
        do {
            var state: TransientState? = nil
            if writer.checkpointStep > 0 {
                state = try resumeState(
                    writer.readCheckpoint(), system: system, step: writer.checkpointStep, carried: carried,
                    levels: header.levels,
                    energy: [initialEnergy.prefix(tc.events + 1).reduce(0, +)]
                        + writer.readEnergyHistory().map { $0.prefix(tc.events + 1).reduce(0, +) })
                progress?("resuming after step \(writer.checkpointStep)")
            }
            let sink = TransientWriterSink(writer: writer, system: system, config: tc)
            let source: ((Double) -> [Double]?)? =
                tc.drive == .impulse
                ? nil
                : { t in
                    let f = tc.sourceFactor(at: t)
                    return g0.map { $0 * f }
                }
            let summary = try solver.run(initial: initial, source: source, sink: sink, resume: state)
            let e0 = summary.energy.first ?? 0, e1 = summary.energy.last ?? 0
            // A fraction of the initial energy means nothing when the initial population has no net energy (a grating's
            // cos profile, or no initial population at all): it is left out rather than printed as a huge number.
            let scale = initial.isEmpty ? 0 : system.volumePower(initial[0].map(abs))
            let fraction: Double? = abs(e0) > 1e-9 * scale && e0 != 0 ? e1 / e0 : nil
            try writer.finish(summary: TransientRunSummary(steps: summary.steps, sweeps: summary.sweeps, energyLeft: fraction))
            return Report(
                steps: summary.steps, stored: tc.storedCount, sweeps: summary.sweeps,
                seconds: Date().timeIntervalSince(start), resumedFrom: state?.step ?? 0, energyLeft: fraction)
        } catch let e as StoreError {
            writer.discard()
            var e = e
            let full = e.code == ENOSPC || e.message.contains("No space left")
            e.message +=
                full
                ? " — the disk is full; the unfinished run file was removed (free space and run solve again)"
                : " — the unfinished run file was removed"
            throw e
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// The solver's state from the stored per-region layout (levels × carried × modes × corners).
    static func resumeState(
        _ stored: [[Double]], system: TransportSystem, step: Int, carried: Int, levels: Int,
        energy: [Double]
    ) -> TransientState {
        func level(_ l: Int) -> [[Double]] {
            (0..<carried).map { c in
                system.regions.indices.flatMap { r -> ArraySlice<Double> in
                    let n = system.regions[r].cornerSize
                    return stored[r][((l * carried + c) * n)..<((l * carried + c + 1) * n)]
                }
            }
        }
        return TransientState(step: step, now: level(0), previous: levels == 2 ? level(1) : nil, energy: energy)
    }
}

/// Forwards steps and resume states to the transient run file, region by region.
final class TransientWriterSink: TransientSink {
    let writer: TransientRunWriter
    let system: TransportSystem
    let config: TransientConfig
    init(writer: TransientRunWriter, system: TransportSystem, config: TransientConfig) {
        self.writer = writer; self.system = system; self.config = config
    }

    func store(_ s: TransientStep) throws {
        var total = [Double](repeating: 0, count: system.volumeSize)
        for p in s.parts { for i in total.indices { total[i] += p[i] } }
        let regionEnergy = system.regions.indices.map { r in system.volumeLayout.withPart(of: total, r) { system.regions[r].volumePowers(view: $0).net } }
        var psi: [[Double]]? = nil, chi: [[Double]]? = nil
        if config.stored(s.step) {
            let split = s.parts.map { system.volumeLayout.parts(of: $0) }
            psi = system.regions.indices.map { r in split.flatMap { $0[r] } }
            chi = s.moment.map { system.volumeLayout.parts(of: $0) }
        }
        try writer.writeStep(
            s.step, time: s.time, energy: s.energy, regionEnergy: regionEnergy, leaving: s.leaving,
            sweeps: s.sweeps, residual: s.residual, psi: psi, meanEventsPsi: chi)
    }

    func checkpoint(_ state: TransientState) throws {
        let levels = [state.now] + (state.previous.map { [$0] } ?? (config.scheme == .bdf2 ? [state.now.map { $0.map { _ in 0 } }] : []))
        let perRegion = system.regions.indices.map { r -> [Double] in
            let part = system.cornerLayout.range(r)
            return levels.flatMap { l in l.flatMap { $0[part] } }
        }
        try writer.writeCheckpoint(step: state.step, regions: perRegion)
    }
}
