import Foundation
import Model

/// One material region as the run file stores it.
public struct RunRegion: Sendable {
    public var name: String
    public var modes: ModeSet
    /// Row of /mesh/nodes of each region node; row of /mesh/boundary of each region boundary face.
    public var nodeIndex: [Int32]
    public var faceIndex: [Int32]
    /// Tetrahedra of the region: the DG corner layout of a transient resume state (0 where unused).
    public var tets = 0
    public init(name: String, modes: ModeSet, nodeIndex: [Int32], faceIndex: [Int32]) {
        self.name = name; self.modes = modes; self.nodeIndex = nodeIndex; self.faceIndex = faceIndex
    }
    public var nodes: Int { nodeIndex.count }
    public var faces: Int { faceIndex.count }
}

/// One event of one region: ψ at nodes (modes × nodes), the face-mean boundary flux S = (v·n)ψ (modes × faces)
/// and the corner traces (modes × 3·faces) of the last two events kept only as the resume checkpoint.
public struct RegionEvent: Sendable {
    public var psi: [Double]
    public var boundaryFlux: [Double]
    public var trace: [Double]
    public init(psi: [Double], boundaryFlux: [Double], trace: [Double]) {
        self.psi = psi; self.boundaryFlux = boundaryFlux; self.trace = trace
    }
}

/// Writes a run file (`Schema.run`) event by event. The file lives at `<output>.partial` until `finish()` renames
/// it, so a killed solve never leaves anything that looks like a result; `events_completed` is raised only after an
/// event's data are flushed, and a resumed solve trusts nothing beyond it.
public final class RunFileWriter {
    public let outputPath: String
    /// Held from opening the `.partial` to the rename: one writer per output.
    private let lock: OutputLock?
    public var partialPath: String { outputPath + ".partial" }
    let file: HDF5File
    let regions: [RunRegion]
    let tags: [Int32]
    let float32: Bool
    /// The modes of each region whose ψ this process writes (all of them unless an MPI solve splits them).
    let owned: [Range<Int>]
    public private(set) var eventsCompleted: Int

    public struct Header {
        public var mesh: TetMesh
        public var regions: [RunRegion]
        public var provenance: Provenance
        public var config: String
        /// The configuration as parsed values (RunConfig.canonical): what a resume must match.
        public var canonicalConfig = ""
        public var counting: String
        public var float32: Bool
        public var deflate: Int?
        /// Interfaces: tag, kernel description, Landauer conductance (W m⁻² K⁻¹), warnings.
        public var interfaces: [(tag: Int32, kernel: String, landauer: Double, warnings: [String])] = []
        /// Per region, the block of modes this process holds in an MPI solve (nil: all modes, the serial solve).
        public var ownedModes: [Range<Int>]? = nil
        public init(
            mesh: TetMesh, regions: [RunRegion], provenance: Provenance, config: String, counting: String,
            float32: Bool, deflate: Int?
        ) {
            self.mesh = mesh; self.regions = regions; self.provenance = provenance; self.config = config
            self.counting = counting; self.float32 = float32; self.deflate = deflate
        }
    }

    static let perEvent = ["injected_volume", "injected_boundary", "scattered", "gross", "relative_change", "sweeps", "leaving"]
    static let series = HDF5DatasetOptions(chunk: [64], maxShape: [nil])

    /// Starts a new run file, or reopens `<output>.partial` from an interrupted run with the same inputs.
    public init(outputPath: String, header h: Header, resume: Bool) throws {
        self.outputPath = outputPath
        regions = h.regions
        tags = h.mesh.boundaryTags
        float32 = h.float32
        owned = h.ownedModes ?? h.regions.map { 0..<$0.modes.count }
        let partial = outputPath + ".partial"
        // One process claims the output for an MPI solve; its peers write through the same collective file.
        lock = ParallelIO.rank == 0 ? try OutputLock(output: outputPath) : nil
        if resume, FileManager.default.fileExists(atPath: partial),
            let f = try? HDF5File.open(partial, mode: .readWrite),
            RunFileWriter.sameInputs(f, text: h.config, canonical: h.canonicalConfig, checksums: h.provenance.checksums),
            let done = try? f.attribute("events_completed", as: Int64.self)
        {
            file = f
            eventsCompleted = Int(done)
            // Anything written past the last completed event is discarded by shrinking back.
            // A checkpoint from before the gross power was stored gets the series, 0 (unknown) for its events.
            if !((try? f.exists("/events/balance/gross")) ?? false) {
                _ = try f.createDataset("/events/balance/gross", of: Double.self, shape: [0], options: Self.series)
                try f.openDataset("/events/balance/gross").setAttribute("units", "W")
                try f.openDataset("/events/balance/gross").extend(to: [eventsCompleted])
            }
            var stacks = Self.perEvent.map { "/events/balance/\($0)" }
            for r in h.regions { stacks += ["/regions/\(r.name)/events/psi", "/regions/\(r.name)/events/boundary_flux"] }
            for path in stacks {
                let ds = try f.openDataset(path)
                var s = try ds.shape(); s[0] = eventsCompleted
                try ds.extend(to: s)
            }
            return
        }
        // One process removes a stale file, before the collective create (never after another's create).
        if ParallelIO.rank == 0 { try? FileManager.default.removeItem(atPath: partial) }
        do {
            file = try HDF5File.create(partial, overwrite: true)
        } catch {
            if ParallelIO.rank == 0 { unlink(partial) }
            lock?.release()
            throw error
        }
        eventsCompleted = 0
        do { try writeHeader(h) } catch {
            discard()
            throw error
        }
    }

    /// Whether an unfinished file was started from the same configuration and the same data. The configuration is
    /// compared by its parsed values where both sides have them, and then its own checksum (the first input) is
    /// not: reformatting the TOML keeps the resume. The mesh and materials are compared by checksum. Files
    /// written before the canonical form are compared by text and every checksum.
    static func sameInputs(_ f: HDF5File, text: String, canonical: String, checksums: [String]) -> Bool {
        guard let sums = try? f.stringArrayAttribute("input_sha256"), sums.count == checksums.count else { return false }
        if !canonical.isEmpty, let stored = try? f.stringAttribute("config_canonical") {
            return stored == canonical && sums.dropFirst().elementsEqual(checksums.dropFirst())
        }
        return (try? f.stringAttribute("config")) == text && sums == checksums
    }

    /// Flushes HDF5's buffers and fsyncs the unfinished file: the events written so far are on the disk, not only
    /// in the page cache (what a write-rate measurement must include).
    public func synchronize() throws {
        try file.flush()
        let fd = open(partialPath, O_RDONLY)
        guard fd >= 0 else { throw StoreError(.io, file: partialPath, object: nil, operation: "fsync", message: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw StoreError(.io, file: partialPath, object: nil, operation: "fsync", message: String(cString: strerror(errno))) }
    }

    /// Closes and deletes the unfinished file and frees the output. After a failed write (a full disk, an I/O
    /// error) HDF5 cannot promise which of its buffers reached the file, so nothing of it may be resumed from.
    public func discard() {
        try? file.close()
        if ParallelIO.rank == 0 { unlink(partialPath) }
        lock?.release()
    }

    private func writeHeader(_ h: Header) throws {
        try h.provenance.write(to: file, filetype: Schema.run.filetype, version: Schema.run.version)
        try file.setAttribute("config", h.config)
        if !h.canonicalConfig.isEmpty { try file.setAttribute("config_canonical", h.canonicalConfig) }
        try file.setAttribute("counting", h.counting)
        try file.setAttribute("precision", h.float32 ? "float32" : "float64")
        try file.setAttribute("regions", h.regions.map(\.name))
        try file.setAttribute("events_completed", Int64(0))
        try file.setAttribute("complete", Int64(0))
        try MeshFile.write(h.mesh, into: file, prefix: "/mesh")
        for r in h.regions {
            let p = "/regions/\(r.name)"
            try MaterialFile.writeModes(r.modes, into: file, prefix: "\(p)/modes")
            try file.put("\(p)/node_index", r.nodeIndex, shape: [r.nodes], units: "1")
            try file.put("\(p)/face_index", r.faceIndex, shape: [r.faces], units: "1")
            let nm = r.modes.count
            try createStack("\(p)/events/psi", width: r.nodes, modes: nm, deflate: h.deflate, units: "1")
            try createStack("\(p)/events/boundary_flux", width: r.faces, modes: nm, deflate: h.deflate, units: "m s-1")
            // Read back by resume only: a WordDigest per slot instead of Fletcher32 (see WordDigest for the cost).
            try file.put(
                "\(p)/checkpoint/boundary_trace", [Double](repeating: 0, count: 2 * nm * 3 * r.faces),
                shape: [2, nm, 3 * r.faces], units: "1", options: HDF5DatasetOptions(checksum: false))
        }
        if !h.interfaces.isEmpty {
            try file.put("/interfaces/tag", h.interfaces.map(\.tag), shape: [h.interfaces.count], units: "1")
            try file.put("/interfaces/landauer_conductance", h.interfaces.map(\.landauer), shape: [h.interfaces.count], units: "W m-2 K-1")
            let g = try file.openGroup("/interfaces")
            try g.setAttribute("kernel", h.interfaces.map(\.kernel))
            try g.setAttribute("warnings", h.interfaces.flatMap(\.warnings))
        }
        let series = Self.series
        for name in ["injected_volume", "injected_boundary", "scattered", "gross"] {
            _ = try file.createDataset("/events/balance/\(name)", of: Double.self, shape: [0], options: series)
            try file.openDataset("/events/balance/\(name)").setAttribute("units", "W")
        }
        _ = try file.createDataset("/events/balance/relative_change", of: Double.self, shape: [0], options: series)
        try file.openDataset("/events/balance/relative_change").setAttribute("units", "1")
        _ = try file.createDataset("/events/balance/sweeps", of: Int32.self, shape: [0], options: series)
        try file.openDataset("/events/balance/sweeps").setAttribute("units", "1")
        _ = try file.createDataset(
            "/events/balance/leaving", of: Double.self, shape: [0, tags.count],
            options: HDF5DatasetOptions(chunk: [64, max(tags.count, 1)], maxShape: [nil, tags.count]))
        try file.openDataset("/events/balance/leaving").setAttribute("units", "W")
        try file.put("/events/balance/tag", tags, shape: [tags.count], units: "1")
        try file.flush()
    }

    /// Event stacks are chunked one event × a block of modes × all nodes (about 1 MiB), so reading one event or one
    /// mode of one event touches few chunks.
    private func createStack(_ path: String, width: Int, modes: Int, deflate: Int?, units: String) throws {
        let chunkModes = max(1, min(modes, (1 << 17) / max(width, 1)))
        // No Fletcher32 here: through HDF5's filter pipeline it cut the event write to under half the rate.
        // A WordDigest per event, in `<path>_digest`, is checked by every reader of this program instead.
        let opts = HDF5DatasetOptions(
            chunk: [1, chunkModes, max(width, 1)], deflateLevel: deflate,
            shuffle: deflate != nil, maxShape: [nil, modes, width], checksum: false)
        let ds =
            float32
            ? try file.createDataset(path, of: Float.self, shape: [0, modes, width], options: opts)
            : try file.createDataset(path, of: Double.self, shape: [0, modes, width], options: opts)
        try ds.setAttribute("units", units)
        if digests {
            _ = try file.createDataset(
                path + RowDigest.suffix, of: Int64.self, shape: [0],
                options: HDF5DatasetOptions(chunk: [64], maxShape: [nil]))
            try file.openDataset(path + RowDigest.suffix).setAttribute("units", "1")
        }
    }

    /// Row digests need the whole row in one process: the serial writer (the MPI build stores no checksums).
    private var digests: Bool { HDF5DatasetOptions.checksumByDefault && !ParallelIO.enabled }

    /// Writes this process's rows of a modes-major array (all rows in the serial solve).
    private func writeSlab(_ ds: HDF5Dataset, _ values: [Double], offset: [Int], count: [Int]) throws {
        if float32 {
            try values.map(Float.init).withUnsafeBufferPointer { try ds.writeShare($0, offset: offset, count: count) }
        } else {
            try values.withUnsafeBufferPointer { try ds.writeShare($0, offset: offset, count: count) }
        }
    }

    /// A modes × width dataset written from every process's own rows.
    private func putRows(_ path: String, _ values: [Double], region r: Int, width: Int, units: String) throws {
        let ds = try file.createDataset(path, of: Double.self, shape: [regions[r].modes.count, width])
        try ds.writeShare(values, offset: [owned[r].lowerBound, 0], count: [owned[r].count, width])
        try ds.setAttribute("units", units)
    }

    private func append<T: HDF5Scalar>(_ path: String, _ values: [T], at m: Int) throws {
        try file.openDataset(path).writeRow(values, at: m)
    }

    /// The balance of each stored event, so a resumed run reports the totals of the whole run.
    public func readStoredBalances() throws -> [(
        injectedVolume: Double, injectedBoundary: Double, scattered: Double,
        leaving: [Int32: Double], relativeChange: Double, sweeps: Int, gross: Double
    )] {
        let n = eventsCompleted
        guard n > 0 else { return [] }
        func series(_ name: String) throws -> [Double] { Array(try file.readDataset("/events/balance/\(name)", as: Double.self).prefix(n)) }
        let iv = try series("injected_volume"), ib = try series("injected_boundary"), sc = try series("scattered")
        let rc = try series("relative_change"), gr = try series("gross")
        let sw = try file.readDataset("/events/balance/sweeps", as: Int32.self)
        let lv = try file.readDataset("/events/balance/leaving", as: Double.self)
        return (0..<n).map { m in
            var leaving: [Int32: Double] = [:]
            for (k, t) in tags.enumerated() { leaving[t] = lv[m * tags.count + k] }
            return (iv[m], ib[m], sc[m], leaving, rc[m], Int(sw[m]), m < gr.count ? gr[m] : 0)
        }
    }

    /// Appends event m (which must be the next one) and marks it complete once flushed.
    public func writeEvent(
        _ m: Int, regions data: [RegionEvent], injectedVolume: Double, injectedBoundary: Double,
        scattered: Double, leaving: [Int32: Double], relativeChange: Double, sweeps: Int, gross: Double = 0
    ) throws {
        precondition(m == eventsCompleted, "events are written in order")
        for (i, (r, d)) in zip(regions, data).enumerated() {
            let p = "/regions/\(r.name)"
            for (name, values, width) in [("psi", d.psi, r.nodes), ("boundary_flux", d.boundaryFlux, r.faces)] {
                let ds = try file.openDataset("\(p)/events/\(name)")
                try ds.extend(to: [m + 1, r.modes.count, width])
                try writeSlab(ds, values, offset: [m, owned[i].lowerBound, 0], count: [1, owned[i].count, width])
                if digests {
                    let stored = float32 ? values.map { Double(Float($0)) } : values
                    try append("\(p)/events/\(name)" + RowDigest.suffix, [WordDigest.of(stored)], at: m)
                }
            }
            // Two slots, event m in slot m % 2: a kill between this write and `events_completed` below leaves the
            // previous event's traces intact, which is what the resume after it needs.
            let checkpoint = try file.openDataset("\(p)/checkpoint/boundary_trace")
            try checkpoint.writeShare(d.trace, offset: [m % 2, owned[i].lowerBound, 0], count: [1, owned[i].count, 3 * r.faces])
            // The digest covers the whole slot, which only a serial writer holds (MPI files carry no checksums).
            if HDF5DatasetOptions.checksumByDefault && owned[i].count == r.modes.count {
                var digests = (try? checkpoint.arrayAttribute("digest", as: Int64.self)) ?? [0, 0]
                if digests.count != 2 { digests = [0, 0] }
                digests[m % 2] = WordDigest.of(d.trace)
                try checkpoint.setAttribute("digest", digests)
            }
        }
        try append("/events/balance/injected_volume", [injectedVolume], at: m)
        try append("/events/balance/injected_boundary", [injectedBoundary], at: m)
        try append("/events/balance/scattered", [scattered], at: m)
        try append("/events/balance/gross", [gross], at: m)
        try append("/events/balance/relative_change", [relativeChange], at: m)
        try append("/events/balance/sweeps", [Int32(sweeps)], at: m)
        try append("/events/balance/leaving", tags.map { leaving[$0] ?? 0 }, at: m)
        try file.flush()
        eventsCompleted = m + 1
        try file.setAttribute("events_completed", Int64(eventsCompleted))
        try file.flush()
    }

    /// ψ of a completed event, per region (for resuming).
    public func readPsi(event m: Int) throws -> [[Double]] {
        try regions.indices.map { i in
            let r = regions[i]
            let path = "/regions/\(r.name)/events/psi"
            let values = try file.openDataset(path).read(
                as: Double.self, offset: [m, owned[i].lowerBound, 0],
                count: [1, owned[i].count, r.nodes])
            if owned[i].count == r.modes.count { try RowDigest.verify(file, path, row: m, values) }
            return values
        }
    }

    /// Corner traces of the last completed event, per region (for resuming).
    /// A slot whose digest does not match is refused: resuming from it would carry corrupted traces into every
    /// later event of a file that still validates.
    public func readCheckpointTraces() throws -> [[Double]] {
        let slot = (eventsCompleted - 1) % 2
        return try regions.indices.map { i in
            let path = "/regions/\(regions[i].name)/checkpoint/boundary_trace"
            let ds = try file.openDataset(path)
            let trace = try ds.read(
                as: Double.self, offset: [slot, owned[i].lowerBound, 0],
                count: [1, owned[i].count, 3 * regions[i].faces])
            if owned[i].count == regions[i].modes.count, try ds.hasAttribute("digest") {
                let digests = try ds.arrayAttribute("digest", as: Int64.self)
                if digests.count == 2, digests[slot] != WordDigest.of(trace) {
                    throw StoreError(
                        .io, file: partialPath, object: path, operation: "resume",
                        message:
                            "checkpoint slot \(slot) does not match its digest (the file was corrupted on disk); run solve again with --restart to start afresh"
                    )
                }
            }
            return trace
        }
    }

    public func writeRemainder(psi: [[Double]], residuals: [Double], sweeps: Int) throws {
        for (i, (r, p)) in zip(regions, psi).enumerated() {
            try putRows("/regions/\(r.name)/remainder/psi", p, region: i, width: r.nodes, units: "1")
        }
        try file.put("/remainder/residual", residuals, shape: [residuals.count], units: "1")
        try file.openGroup("/remainder").setAttribute("sweeps", Int64(sweeps))
    }

    /// Writes the steady state, marks the file complete and renames it onto the output path.
    public func finish(
        accumulated: [[Double]], temperature: [Double], heatFlux: [Double], warnings: [String] = [],
        summary: RunSummary
    ) throws {
        for (i, (r, p)) in zip(regions, accumulated).enumerated() {
            try putRows("/regions/\(r.name)/accumulated/psi", p, region: i, width: r.nodes, units: "1")
        }
        try file.put("/accumulated/temperature", temperature, shape: [temperature.count], units: "K")
        try file.put("/accumulated/heat_flux", heatFlux, shape: [heatFlux.count / 3, 3], units: "W m-2")
        let g = try file.openGroup("/accumulated")
        try summary.write(to: g)
        // Invariant violations the run was told to go on after (run configuration [checks]).
        if !warnings.isEmpty { try g.setAttribute("warnings", warnings) }
        try file.setAttribute("complete", Int64(1))
        try file.close()
        guard ParallelIO.rank == 0 else { return } // the collective close has finished every process's writes
        guard rename(partialPath, outputPath) == 0 else {
            throw StoreError(.io, file: outputPath, operation: "rename finished run", message: String(cString: strerror(errno)), code: errno)
        }
        lock?.release()
    }
}
