import Foundation
import Model
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
    }

    public static func run(config: RunConfig, output: String, resume: Bool = true,
                           progress: ((String) -> Void)? = nil) throws -> Report {
        let start = Date()
        let (material, _) = try MaterialFile.read(path: config.material)
        let mesh = try MeshFile.read(path: config.mesh)
        guard mesh.regionTags.count == 1 else {
            throw ConfigError(file: config.file, line: nil,
                              "the mesh has \(mesh.regionTags.count) regions; multi-material runs (interfaces) are not supported yet")
        }
        let walls = try config.wallKinds(for: mesh)
        progress?("mesh: \(mesh.nodeCount) nodes, \(mesh.tetCount) tets, \(mesh.boundaryFaces.count) boundary faces; modes: \(material.modes.count)")
        let sweepMesh = SweepMesh(mesh: mesh)
        if !sweepMesh.topology.untaggedBoundaryFaces.isEmpty {
            throw ConfigError(file: config.mesh, line: nil, "\(sweepMesh.topology.untaggedBoundaryFaces.count) boundary faces carry no physical tag")
        }
        let transport = try Transport(mesh: sweepMesh, material: material, walls: walls)
        var g0 = [Double](repeating: 0, count: transport.volumeSize), one = [Double]()
        for s in config.sources {
            s.fill(modes: material.modes, mesh: mesh, into: &one)
            for i in 0..<g0.count { g0[i] += one[i] }
        }
        var b0 = [Double](repeating: 0, count: transport.boundarySize)
        transport.walls.thermalEmission(mesh: sweepMesh, modes: material.modes, into: &b0)

        let provenance = try Provenance(inputs: [config.file, config.material, config.mesh])
        let header = RunFileWriter.Header(mesh: mesh, modes: material.modes, provenance: provenance, config: config.text,
                                          counting: config.events.counting.rawValue, float32: config.float32,
                                          deflate: config.deflate)
        let writer = try RunFileWriter(outputPath: output, header: header, resume: resume)
        let solver = EventSolver(transport: transport, options: config.events)
        solver.progress = progress
        var state: EventSolver.ResumeState? = nil
        let done = writer.eventsCompleted
        if done > 0 {
            let events = try (0..<done).map { try writer.readEvent($0) }
            state = solver.resumeState(events: events)
            progress?("resuming after \(done) stored events")
        }
        let sink = WriterSink(writer: writer)
        let summary = try solver.run(source: g0, inflow: b0, sink: sink, resume: state)
        let nn = mesh.nodeCount, nm = material.modes.count
        var temperature = [Double](repeating: 0, count: nn), flux = [Double](repeating: 0, count: 3 * nn)
        var column = [Double](repeating: 0, count: nm)
        for n in 0..<nn {
            for mu in 0..<nm { column[mu] = summary.accumulated[mu * nn + n] }
            column.withUnsafeBufferPointer { c in
                temperature[n] = material.modes.temperature(psi: c)
                let q = material.modes.heatFlux(psi: c)
                flux[3 * n] = q.x; flux[3 * n + 1] = q.y; flux[3 * n + 2] = q.z
            }
        }
        let maxClosure = summary.balances.map { abs($0.closure) }.max() ?? 0
        try writer.finish(accumulated: summary.accumulated, temperature: temperature, heatFlux: flux,
                          summary: ["converged": summary.converged ? 1 : 0, "sweeps": Double(summary.sweeps),
                                    "events": Double(summary.events), "max_balance_error": maxClosure])
        return Report(events: summary.events, converged: summary.converged, sweeps: summary.sweeps,
                      seconds: Date().timeIntervalSince(start), resumedFrom: done, maxClosure: maxClosure)
    }
}

/// Forwards finished events to the run file.
final class WriterSink: EventSink {
    let writer: RunFileWriter
    init(writer: RunFileWriter) { self.writer = writer }
    func store(event m: Int, psi: [Double], trace: [Double], balance b: EventBalance) throws {
        try writer.writeEvent(m, psi: psi, trace: trace, injectedVolume: b.injectedVolume, injectedBoundary: b.injectedBoundary,
                              scattered: b.scattered, leaving: b.leaving, relativeChange: b.relativeChange, sweeps: b.sweeps)
    }
    func storeRemainder(psi: [Double], trace: [Double], residuals: [Double], sweeps: Int) throws {
        try writer.writeRemainder(psi: psi, trace: trace, residuals: residuals, sweeps: sweeps)
    }
}
