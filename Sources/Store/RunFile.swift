import Foundation
import Model

/// Writes a run file (`Schema.run`) event by event. The file lives at `<output>.partial` until `finish()` renames
/// it, so a killed solve never leaves anything that looks like a result; `events_completed` is raised only after an
/// event's data are flushed, and a resumed solve trusts nothing beyond it.
public final class RunFileWriter {
    public let outputPath: String
    public var partialPath: String { outputPath + ".partial" }
    let file: HDF5File
    let modes: Int, nodes: Int, corners: Int, tags: [Int32]
    let float32: Bool
    public private(set) var eventsCompleted: Int

    public struct Header {
        public var mesh: TetMesh
        public var modes: ModeSet
        public var provenance: Provenance
        public var config: String
        public var counting: String
        public var float32: Bool
        public var deflate: Int?
        public init(mesh: TetMesh, modes: ModeSet, provenance: Provenance, config: String, counting: String,
                    float32: Bool, deflate: Int?) {
            self.mesh = mesh; self.modes = modes; self.provenance = provenance; self.config = config
            self.counting = counting; self.float32 = float32; self.deflate = deflate
        }
    }

    /// Starts a new run file, or reopens `<output>.partial` from an interrupted run with the same configuration.
    public init(outputPath: String, header h: Header, resume: Bool) throws {
        self.outputPath = outputPath
        modes = h.modes.count; nodes = h.mesh.nodeCount; corners = 3 * h.mesh.boundaryFaces.count
        tags = h.mesh.boundaryTags
        float32 = h.float32
        let partial = outputPath + ".partial"
        if resume, FileManager.default.fileExists(atPath: partial),
           let f = try? HDF5File.open(partial, mode: .readWrite),
           (try? f.stringAttribute("config")) == h.config,
           (try? f.stringArrayAttribute("input_sha256")) == h.provenance.checksums,
           let done = try? f.attribute("events_completed", as: Int64.self) {
            file = f
            eventsCompleted = Int(done)
            // Anything written past the last completed event is discarded by shrinking back.
            for path in ["/events/psi", "/events/boundary_trace"] {
                let ds = try f.openDataset(path)
                var s = try ds.shape(); s[0] = eventsCompleted
                try ds.extend(to: s)
            }
            for name in ["injected_volume", "injected_boundary", "scattered", "relative_change", "sweeps", "leaving"] {
                let ds = try f.openDataset("/events/balance/\(name)")
                var s = try ds.shape(); s[0] = eventsCompleted
                try ds.extend(to: s)
            }
            return
        }
        try? FileManager.default.removeItem(atPath: partial)
        file = try HDF5File.create(partial, overwrite: true)
        eventsCompleted = 0
        try h.provenance.write(to: file, filetype: Schema.run.filetype, version: Schema.run.version)
        try file.setAttribute("config", h.config)
        try file.setAttribute("counting", h.counting)
        try file.setAttribute("precision", h.float32 ? "float32" : "float64")
        try file.setAttribute("events_completed", Int64(0))
        try file.setAttribute("complete", Int64(0))
        try MeshFile.write(h.mesh, into: file, prefix: "/mesh")
        try MaterialFile.writeModes(h.modes, into: file, prefix: "/modes")
        let chunkModes = max(1, min(modes, (1 << 17) / max(nodes, 1)))
        let opts = HDF5DatasetOptions(chunk: [1, chunkModes, max(nodes, 1)], deflateLevel: h.deflate,
                                      shuffle: h.deflate != nil, maxShape: [nil, modes, nodes])
        try createStack("/events/psi", [0, modes, nodes], opts, units: "1")
        let chunkB = max(1, min(modes, (1 << 17) / max(corners, 1)))
        try createStack("/events/boundary_trace", [0, modes, corners],
                        HDF5DatasetOptions(chunk: [1, chunkB, max(corners, 1)], deflateLevel: h.deflate,
                                           shuffle: h.deflate != nil, maxShape: [nil, modes, corners]), units: "1")
        let series = HDF5DatasetOptions(chunk: [64], maxShape: [nil])
        for name in ["injected_volume", "injected_boundary", "scattered"] {
            _ = try file.createDataset("/events/balance/\(name)", of: Double.self, shape: [0], options: series)
            try file.openDataset("/events/balance/\(name)").setAttribute("units", "W")
        }
        _ = try file.createDataset("/events/balance/relative_change", of: Double.self, shape: [0], options: series)
        try file.openDataset("/events/balance/relative_change").setAttribute("units", "1")
        _ = try file.createDataset("/events/balance/sweeps", of: Int32.self, shape: [0], options: series)
        try file.openDataset("/events/balance/sweeps").setAttribute("units", "1")
        _ = try file.createDataset("/events/balance/leaving", of: Double.self, shape: [0, tags.count],
                                   options: HDF5DatasetOptions(chunk: [64, max(tags.count, 1)], maxShape: [nil, tags.count]))
        try file.openDataset("/events/balance/leaving").setAttribute("units", "W")
        try file.put("/events/balance/tag", tags, shape: [tags.count], units: "1")
        try file.flush()
    }

    private func createStack(_ path: String, _ shape: [Int], _ opts: HDF5DatasetOptions, units: String) throws {
        let ds = float32 ? try file.createDataset(path, of: Float.self, shape: shape, options: opts)
                         : try file.createDataset(path, of: Double.self, shape: shape, options: opts)
        try ds.setAttribute("units", units)
    }

    private func writeSlab(_ ds: HDF5Dataset, _ values: [Double], offset: [Int], count: [Int]) throws {
        if float32 { try ds.write(values.map(Float.init), offset: offset, count: count) }
        else { try values.withUnsafeBufferPointer { try ds.write($0, offset: offset, count: count) } }
    }

    private func append<T: HDF5Scalar>(_ path: String, _ values: [T], at m: Int) throws {
        let ds = try file.openDataset(path)
        var s = try ds.shape()
        s[0] = m + 1
        try ds.extend(to: s)
        var offset = s.map { _ in 0 }; offset[0] = m
        var count = s; count[0] = 1
        try ds.write(values, offset: offset, count: count)
    }

    /// Appends event m (which must be the next one) and marks it complete once flushed.
    public func writeEvent(_ m: Int, psi: [Double], trace: [Double], injectedVolume: Double, injectedBoundary: Double,
                           scattered: Double, leaving: [Int32: Double], relativeChange: Double, sweeps: Int) throws {
        precondition(m == eventsCompleted, "events are written in order")
        for (path, values, width) in [("/events/psi", psi, nodes), ("/events/boundary_trace", trace, corners)] {
            let ds = try file.openDataset(path)
            try ds.extend(to: [m + 1, modes, width])
            try writeSlab(ds, values, offset: [m, 0, 0], count: [1, modes, width])
        }
        try append("/events/balance/injected_volume", [injectedVolume], at: m)
        try append("/events/balance/injected_boundary", [injectedBoundary], at: m)
        try append("/events/balance/scattered", [scattered], at: m)
        try append("/events/balance/relative_change", [relativeChange], at: m)
        try append("/events/balance/sweeps", [Int32(sweeps)], at: m)
        try append("/events/balance/leaving", tags.map { leaving[$0] ?? 0 }, at: m)
        try file.flush()
        eventsCompleted = m + 1
        try file.setAttribute("events_completed", Int64(eventsCompleted))
        try file.flush()
    }

    /// Reads back a completed event's ψ and traces (for resuming).
    public func readEvent(_ m: Int) throws -> (psi: [Double], trace: [Double]) {
        let psi = try file.openDataset("/events/psi").read(as: Double.self, offset: [m, 0, 0], count: [1, modes, nodes])
        let tr = try file.openDataset("/events/boundary_trace").read(as: Double.self, offset: [m, 0, 0], count: [1, modes, corners])
        return (psi, tr)
    }

    public func writeRemainder(psi: [Double], trace: [Double], residuals: [Double], sweeps: Int) throws {
        try file.put("/remainder/psi", psi, shape: [modes, nodes], units: "1")
        try file.put("/remainder/boundary_trace", trace, shape: [modes, corners], units: "1")
        try file.put("/remainder/residual", residuals, shape: [residuals.count], units: "1")
        try file.openGroup("/remainder").setAttribute("sweeps", Int64(sweeps))
    }

    /// Writes the steady state, marks the file complete and renames it onto the output path.
    public func finish(accumulated: [Double], temperature: [Double], heatFlux: [Double], summary: [String: Double]) throws {
        try file.put("/accumulated/psi", accumulated, shape: [modes, nodes], units: "1")
        try file.put("/accumulated/temperature", temperature, shape: [nodes], units: "K")
        try file.put("/accumulated/heat_flux", heatFlux, shape: [nodes, 3], units: "W m-2")
        let g = try file.openGroup("/accumulated")
        for (k, v) in summary { try g.setAttribute(k, v) }
        try file.setAttribute("complete", Int64(1))
        try file.close()
        guard rename(partialPath, outputPath) == 0 else {
            throw StoreError(.io, file: outputPath, operation: "rename finished run", message: String(cString: strerror(errno)), code: errno)
        }
    }
}
