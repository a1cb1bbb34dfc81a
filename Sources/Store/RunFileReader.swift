import Model

/// Reads a run file hyperslab by hyperslab: one event's ψ of one region at a time, so memory does not grow with
/// the event count.
public final class RunFileReader {
    public let path: String
    let file: HDF5File
    public let mesh: TetMesh
    public let regions: [RunRegion]
    public let events: Int
    public let complete: Bool
    public let boundaryTags: [Int32]

    public init(path: String) throws {
        try SchemaCheck.require(path: path, filetype: Schema.run.filetype)
        self.path = path
        let file = try HDF5File.open(path)
        self.file = file
        mesh = try MeshFile.read(from: file, prefix: "/mesh")
        let names = try file.stringArrayAttribute("regions")
        regions = try names.map { n in
            RunRegion(
                name: n, modes: try MaterialFile.readModes(from: file, prefix: "/regions/\(n)/modes"),
                nodeIndex: try file.get("/regions/\(n)/node_index", as: Int32.self, units: "1"),
                faceIndex: try file.get("/regions/\(n)/face_index", as: Int32.self, units: "1"))
        }
        events = Int(try file.attribute("events_completed", as: Int64.self))
        complete = try file.attribute("complete", as: Int64.self) == 1
        boundaryTags = try file.get("/events/balance/tag", as: Int32.self, units: "1")
    }

    public func psi(region r: Int, event m: Int) throws -> [Double] {
        let g = regions[r]
        let path = "/regions/\(g.name)/events/psi"
        let values = try file.openDataset(path).read(as: Double.self, offset: [m, 0, 0], count: [1, g.modes.count, g.nodes])
        try RowDigest.verify(file, path, row: m, values)
        return values
    }

    public func boundaryFlux(region r: Int, event m: Int) throws -> [Double] {
        let g = regions[r]
        let path = "/regions/\(g.name)/events/boundary_flux"
        let values = try file.openDataset(path).read(as: Double.self, offset: [m, 0, 0], count: [1, g.modes.count, g.faces])
        try RowDigest.verify(file, path, row: m, values)
        return values
    }

    /// The steady state Σψ^(m) + remainder of a region, when the run finished.
    public func accumulatedPsi(region r: Int) throws -> [Double]? {
        let p = "/regions/\(regions[r].name)/accumulated/psi"
        return try file.exists(p) ? try file.readDataset(p, as: Double.self) : nil
    }

    public func remainderPsi(region r: Int) throws -> [Double]? {
        let p = "/regions/\(regions[r].name)/remainder/psi"
        return try file.exists(p) ? try file.readDataset(p, as: Double.self) : nil
    }

    public func balance(_ name: String) throws -> [Double] {
        try file.readDataset("/events/balance/\(name)", as: Double.self)
    }

    /// Relative change ‖ψ^(m)‖/‖Σψ‖ of every stored event.
    public func relativeChanges() throws -> [Double] { try file.get("/events/balance/relative_change", units: "1") }

    /// Each interface's boundary tag and the Landauer conductance of its kernel (W m-2 K-1); none for a run of one
    /// region.
    public func interfaces() throws -> [(tag: Int32, landauer: Double)] {
        guard try file.exists("/interfaces/tag") else { return [] }
        let tags = try file.get("/interfaces/tag", as: Int32.self, units: "1")
        let g = try file.get("/interfaces/landauer_conductance", as: Double.self, units: "W m-2 K-1")
        guard g.count == tags.count else {
            throw StoreError(
                .shapeMismatch, file: path, object: "/interfaces/landauer_conductance", operation: "read run",
                message: "expected one conductance per interface (\(tags.count)), found \(g.count)")
        }
        return zip(tags, g).map { ($0, $1) }
    }

    /// What the finished run reports about itself; nil while it is unfinished.
    public func summary() throws -> RunSummary? { complete ? try RunSummary.read(from: file) : nil }

    public var inputChecksums: [String] { (try? file.stringArrayAttribute("input_sha256")) ?? [] }
    public var inputFiles: [String] { (try? file.stringArrayAttribute("input_files")) ?? [] }
    public var config: String { (try? file.stringAttribute("config")) ?? "" }
    public var counting: String { (try? file.stringAttribute("counting")) ?? "" }
    /// `float64` or `float32`: how ψ is stored.
    public var precision: String { (try? file.stringAttribute("precision")) ?? "" }

    public func close() { try? file.close() }
}
