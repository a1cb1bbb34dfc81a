import Foundation
import Model

/// Writes a transient run file (`Schema.transient`) step by step. Like the steady run file it lives at
/// `<output>.partial` until `finish()` renames it; `steps_completed` rises only after a step is flushed, and the
/// resume state is kept in two slots so that a kill while one is written leaves the other whole.
public final class TransientRunWriter {
    public struct Header {
        public var mesh: TetMesh
        public var regions: [RunRegion]
        public var provenance: Provenance
        public var config: String
        /// The configuration as parsed values (RunConfig.canonical): what a resume must match.
        public var canonicalConfig = ""
        public var counting: String
        public var float32: Bool
        public var scheme: String
        public var timeStep: Double
        public var steps: Int
        /// Event-labelled parts stored per step (labelled events + 1).
        public var parts: Int
        public var meanEvents: Bool
        /// 1 for backward Euler, 2 for BDF2: how many time levels a resume needs.
        public var levels: Int
        public var initialEnergy: [Double]
        public init(
            mesh: TetMesh, regions: [RunRegion], provenance: Provenance, config: String, counting: String,
            float32: Bool, scheme: String, timeStep: Double, steps: Int, parts: Int, meanEvents: Bool,
            levels: Int, initialEnergy: [Double]
        ) {
            self.mesh = mesh; self.regions = regions; self.provenance = provenance; self.config = config
            self.counting = counting; self.float32 = float32; self.scheme = scheme; self.timeStep = timeStep
            self.steps = steps; self.parts = parts; self.meanEvents = meanEvents; self.levels = levels
            self.initialEnergy = initialEnergy
        }
    }

    public let outputPath: String
    public var partialPath: String { outputPath + ".partial" }
    let file: HDF5File
    let lock: OutputLock
    let h: Header
    let tags: [Int32]
    var carried: Int { h.parts + (h.meanEvents ? 1 : 0) }
    public private(set) var stepsCompleted = 0
    public private(set) var storedRows = 0
    /// Step of the resume state on disk (0: none).
    public private(set) var checkpointStep = 0

    static let historyPaths = ["time", "energy", "region_energy", "leaving", "sweeps", "residual"]

    public init(outputPath: String, header: Header, resume: Bool) throws {
        self.outputPath = outputPath
        h = header
        tags = header.mesh.boundaryTags
        lock = try OutputLock(output: outputPath)
        let partial = outputPath + ".partial"
        if resume, FileManager.default.fileExists(atPath: partial),
            let f = try? HDF5File.open(partial, mode: .readWrite),
            (try? f.stringAttribute("filetype")) == Schema.transient.filetype,
            RunFileWriter.sameInputs(f, text: header.config, canonical: header.canonicalConfig, checksums: header.provenance.checksums),
            let k = try? f.attribute("checkpoint_step", as: Int64.self), k > 0
        {
            file = f
            // Everything after the resume state is redone: history rows and stored steps beyond it go.
            checkpointStep = Int(k)
            stepsCompleted = checkpointStep
            // A resume that cannot trim the file frees the output again (the file stays for a later try).
            do {
                let times = try f.readDataset("/transient/step", as: Int32.self)
                storedRows = times.prefix { Int($0) <= checkpointStep }.count
                for p in Self.historyPaths { try Self.shrink(f, "/transient/history/\(p)", to: stepsCompleted) }
                for p in ["/transient/time", "/transient/step"] { try Self.shrink(f, p, to: storedRows) }
                for r in header.regions {
                    for p in ["psi", "psi_digest"] + (header.meanEvents ? ["mean_events_psi", "mean_events_psi_digest"] : []) {
                        try Self.shrink(f, "/regions/\(r.name)/transient/\(p)", to: storedRows)
                    }
                }
                try f.setAttribute("steps_completed", Int64(stepsCompleted))
                try f.flush()
            } catch {
                try? f.close()
                lock.release()
                throw error
            }
            return
        }
        try? FileManager.default.removeItem(atPath: partial)
        do { file = try HDF5File.create(partial, overwrite: true) } catch { lock.release(); throw error }
        do { try writeHeader() } catch { discard(); throw error }
    }

    static func shrink(_ f: HDF5File, _ path: String, to n: Int) throws {
        let ds = try f.openDataset(path)
        var s = try ds.shape(); s[0] = n
        try ds.extend(to: s)
    }

    public func discard() {
        try? file.close()
        unlink(partialPath)
        lock.release()
    }

    /// Closes the unfinished file, keeping it for a resume, and frees the output: what a failure that is not the
    /// file's own (the solver stopped) leaves.
    public func abandon() {
        try? file.close()
        lock.release()
    }

    private func series<T: HDF5Scalar>(_ path: String, _ type: T.Type, width: Int? = nil, units: String) throws {
        let opts = width.map { HDF5DatasetOptions(chunk: [64, max($0, 1)], maxShape: [nil, $0]) } ?? HDF5DatasetOptions(chunk: [64], maxShape: [nil])
        try file.createDataset(path, of: T.self, shape: width.map { [0, $0] } ?? [0], options: opts).setAttribute("units", units)
    }

    private func writeHeader() throws {
        try h.provenance.write(to: file, filetype: Schema.transient.filetype, version: Schema.transient.version)
        try file.setAttribute("config", h.config)
        if !h.canonicalConfig.isEmpty { try file.setAttribute("config_canonical", h.canonicalConfig) }
        try file.setAttribute("counting", h.counting)
        try file.setAttribute("precision", h.float32 ? "float32" : "float64")
        try file.setAttribute("regions", h.regions.map(\.name))
        try file.setAttribute("scheme", h.scheme)
        try file.setAttribute("parts", Int64(h.parts))
        try file.setAttribute("mean_events", Int64(h.meanEvents ? 1 : 0))
        try file.setAttribute("steps", Int64(h.steps))
        try file.setAttribute("steps_completed", Int64(0))
        try file.setAttribute("checkpoint_step", Int64(0))
        try file.setAttribute("checkpoint_slot", Int64(0))
        try file.setAttribute("complete", Int64(0))
        try MeshFile.write(h.mesh, into: file, prefix: "/mesh")
        try file.putScalar("/transient/time_step", h.timeStep, units: "s")
        try file.put("/transient/initial_energy", h.initialEnergy, shape: [h.initialEnergy.count], units: "J")
        try file.put("/transient/tag", tags, shape: [tags.count], units: "1")
        try series("/transient/time", Double.self, units: "s")
        try series("/transient/step", Int32.self, units: "1")
        try series("/transient/history/time", Double.self, units: "s")
        try series("/transient/history/energy", Double.self, width: carried, units: "J")
        try series("/transient/history/region_energy", Double.self, width: h.regions.count, units: "J")
        try series("/transient/history/leaving", Double.self, width: tags.count, units: "W")
        try series("/transient/history/sweeps", Int32.self, units: "1")
        try series("/transient/history/residual", Double.self, units: "1")
        for r in h.regions {
            let p = "/regions/\(r.name)"
            try MaterialFile.writeModes(r.modes, into: file, prefix: "\(p)/modes")
            try file.put("\(p)/node_index", r.nodeIndex, shape: [r.nodes], units: "1")
            try file.put("\(p)/face_index", r.faceIndex, shape: [r.faces], units: "1")
            let nm = r.modes.count, nn = max(r.nodes, 1)
            let chunkModes = max(1, min(nm, (1 << 17) / nn))
            func stack(_ name: String, _ shape: [Int], _ chunk: [Int]) throws {
                var maxShape: [Int?] = shape; maxShape[0] = nil
                let o = HDF5DatasetOptions(chunk: chunk, maxShape: maxShape, checksum: false)
                let ds =
                    h.float32
                    ? try file.createDataset("\(p)/transient/\(name)", of: Float.self, shape: shape, options: o)
                    : try file.createDataset("\(p)/transient/\(name)", of: Double.self, shape: shape, options: o)
                try ds.setAttribute("units", "1")
                try series("\(p)/transient/\(name)\(RowDigest.suffix)", Int64.self, units: "1")
            }
            try stack("psi", [0, h.parts, nm, r.nodes], [1, 1, chunkModes, nn])
            if h.meanEvents { try stack("mean_events_psi", [0, nm, r.nodes], [1, chunkModes, nn]) }
            let corners = 4 * (r.tets)
            let cm = max(1, min(nm, (1 << 17) / max(corners, 1)))
            // Read back by resume only; each slot's WordDigest is an attribute.
            try file.createDataset(
                "\(p)/checkpoint/state", of: Double.self, shape: [2, h.levels, carried, nm, corners],
                options: HDF5DatasetOptions(chunk: [1, 1, 1, cm, max(corners, 1)], checksum: false)
            )
            .setAttribute("units", "1")
        }
        try file.flush()
    }

    private func append<T: HDF5Scalar>(_ path: String, _ values: [T], at row: Int) throws {
        try file.openDataset(path).writeRow(values, at: row)
    }

    private func appendField(_ path: String, _ values: [Double], count: [Int]) throws {
        let ds = try file.openDataset(path)
        try ds.extend(to: [storedRows + 1] + count)
        let offset = [storedRows] + count.map { _ in 0 }
        if h.float32 {
            try ds.write(values.map(Float.init), offset: offset, count: [1] + count)
            try append(path + RowDigest.suffix, [WordDigest.of(values.map { Double(Float($0)) })], at: storedRows)
        } else {
            try ds.write(values, offset: offset, count: [1] + count)
            try append(path + RowDigest.suffix, [WordDigest.of(values)], at: storedRows)
        }
    }

    /// Appends step `n` (the next one): its history row, and its fields when `psi` is given (per region: the parts
    /// one after another, each modes × nodes; then χ per region when the run carries it).
    public func writeStep(
        _ n: Int, time: Double, energy: [Double], regionEnergy: [Double], leaving: [Int32: Double],
        sweeps: Int, residual: Double, psi: [[Double]]?, meanEventsPsi: [[Double]]?
    ) throws {
        precondition(n == stepsCompleted + 1, "steps are written in order")
        if let psi {
            for (r, p) in zip(h.regions, psi) {
                try appendField("/regions/\(r.name)/transient/psi", p, count: [h.parts, r.modes.count, r.nodes])
            }
            if let chi = meanEventsPsi {
                for (r, c) in zip(h.regions, chi) {
                    try appendField("/regions/\(r.name)/transient/mean_events_psi", c, count: [r.modes.count, r.nodes])
                }
            }
            try append("/transient/time", [time], at: storedRows)
            try append("/transient/step", [Int32(n)], at: storedRows)
            storedRows += 1
        }
        let row = n - 1
        try append("/transient/history/time", [time], at: row)
        try append("/transient/history/energy", energy, at: row)
        try append("/transient/history/region_energy", regionEnergy, at: row)
        try append("/transient/history/leaving", tags.map { leaving[$0] ?? 0 }, at: row)
        try append("/transient/history/sweeps", [Int32(sweeps)], at: row)
        try append("/transient/history/residual", [residual], at: row)
        try file.flush()
        stepsCompleted = n
        try file.setAttribute("steps_completed", Int64(n))
        try file.flush()
    }

    /// Stores the resume state of step `n` (per region: per level, per carried population, modes × corners) in the
    /// slot not holding the current one, then points the file at it.
    public func writeCheckpoint(step n: Int, regions state: [[Double]]) throws {
        let slot = (try file.attribute("checkpoint_slot", as: Int64.self) == 0 && checkpointStep > 0) ? 1 : 0
        var digests: [Int64] = []
        for (r, s) in zip(h.regions, state) {
            let ds = try file.openDataset("/regions/\(r.name)/checkpoint/state")
            let corners = 4 * r.tets
            precondition(s.count == h.levels * carried * r.modes.count * corners)
            try ds.write(s, offset: [slot, 0, 0, 0, 0], count: [1, h.levels, carried, r.modes.count, corners])
            digests.append(WordDigest.of(s))
        }
        try file.flush()
        try file.setAttribute("checkpoint_digest", digests)
        try file.setAttribute("checkpoint_slot", Int64(slot))
        try file.setAttribute("checkpoint_step", Int64(n))
        try file.flush()
        checkpointStep = n
    }

    /// The resume state written by `writeCheckpoint`, per region; refused when it no longer matches its digest.
    public func readCheckpoint() throws -> [[Double]] {
        let slot = Int(try file.attribute("checkpoint_slot", as: Int64.self))
        let digests = try file.arrayAttribute("checkpoint_digest", as: Int64.self)
        return try h.regions.enumerated().map { i, r in
            let path = "/regions/\(r.name)/checkpoint/state"
            let corners = 4 * r.tets
            let s = try file.openDataset(path).read(
                as: Double.self, offset: [slot, 0, 0, 0, 0],
                count: [1, h.levels, carried, r.modes.count, corners])
            guard i < digests.count, digests[i] == WordDigest.of(s) else {
                throw StoreError(
                    .io, file: partialPath, object: path, operation: "resume",
                    message: "the resume state does not match its digest (corrupted on disk); run solve again with --restart")
            }
            return s
        }
    }

    /// Energies of the steps already on disk (resume reports the whole history).
    public func readEnergyHistory() throws -> [[Double]] {
        let e = try file.readDataset("/transient/history/energy", as: Double.self)
        return (0..<stepsCompleted).map { Array(e[($0 * carried)..<(($0 + 1) * carried)]) }
    }

    public func finish(summary: TransientRunSummary) throws {
        try summary.write(to: try file.openGroup("/transient"))
        try file.setAttribute("complete", Int64(1))
        try file.close()
        guard rename(partialPath, outputPath) == 0 else {
            throw StoreError(.io, file: outputPath, operation: "rename finished run", message: String(cString: strerror(errno)), code: errno)
        }
        lock.release()
    }
}

/// Reads a transient run file one stored step at a time.
public final class TransientRunReader {
    public let path: String
    public let file: HDF5File
    public let mesh: TetMesh
    public let regions: [RunRegion]
    public let parts: Int
    public let meanEvents: Bool
    public let complete: Bool
    public let boundaryTags: [Int32]
    /// Times of the stored steps and of every step (s).
    public let times: [Double]
    public let historyTimes: [Double]
    public let timeStep: Double

    public init(path: String) throws {
        try SchemaCheck.require(path: path, filetype: Schema.transient.filetype)
        self.path = path
        let file = try HDF5File.open(path)
        self.file = file
        mesh = try MeshFile.read(from: file, prefix: "/mesh")
        regions = try file.stringArrayAttribute("regions").map { n in
            RunRegion(
                name: n, modes: try MaterialFile.readModes(from: file, prefix: "/regions/\(n)/modes"),
                nodeIndex: try file.get("/regions/\(n)/node_index", as: Int32.self, units: "1"),
                faceIndex: try file.get("/regions/\(n)/face_index", as: Int32.self, units: "1"))
        }
        parts = Int(try file.attribute("parts", as: Int64.self))
        meanEvents = try file.attribute("mean_events", as: Int64.self) == 1
        complete = try file.attribute("complete", as: Int64.self) == 1
        boundaryTags = try file.get("/transient/tag", as: Int32.self, units: "1")
        times = try file.get("/transient/time", as: Double.self, units: "s")
        historyTimes = try file.get("/transient/history/time", as: Double.self, units: "s")
        timeStep = try file.get("/transient/time_step", as: Double.self, units: "s").first ?? 0
    }

    /// ψ of one region at stored row `k`: the parts one after another, each modes × nodes.
    public func psi(region r: Int, row k: Int) throws -> [Double] {
        let g = regions[r], p = "/regions/\(g.name)/transient/psi"
        let v = try file.openDataset(p).read(as: Double.self, offset: [k, 0, 0, 0], count: [1, parts, g.modes.count, g.nodes])
        try RowDigest.verify(file, p, row: k, v)
        return v
    }

    public func meanEventsPsi(region r: Int, row k: Int) throws -> [Double] {
        let g = regions[r], p = "/regions/\(g.name)/transient/mean_events_psi"
        let v = try file.openDataset(p).read(as: Double.self, offset: [k, 0, 0], count: [1, g.modes.count, g.nodes])
        try RowDigest.verify(file, p, row: k, v)
        return v
    }

    public func history(_ name: String, units: String) throws -> [Double] {
        try file.get("/transient/history/\(name)", as: Double.self, units: units)
    }
    public var initialEnergy: [Double] { (try? file.get("/transient/initial_energy", as: Double.self, units: "J")) ?? [] }
    /// What the finished run reports about itself; nil while it is unfinished.
    public func summary() throws -> TransientRunSummary? { complete ? try TransientRunSummary.read(from: file) : nil }

    public var inputChecksums: [String] { (try? file.stringArrayAttribute("input_sha256")) ?? [] }
    public var inputFiles: [String] { (try? file.stringArrayAttribute("input_files")) ?? [] }
    public var config: String { (try? file.stringAttribute("config")) ?? "" }
    public var counting: String { (try? file.stringAttribute("counting")) ?? "" }
    public var scheme: String { (try? file.stringAttribute("scheme")) ?? "" }
    public func close() { try? file.close() }

    /// The filetype of a pipeline HDF5 file ("" when it has none), so a stage can pick its reader.
    public static func filetype(of path: String) -> String {
        guard let f = try? HDF5File.open(path) else { return "" }
        defer { try? f.close() }
        return (try? f.stringAttribute("filetype")) ?? ""
    }
}
