import Model

/// Reads a run file hyperslab by hyperslab: one event's ψ at a time, so memory does not grow with the event count.
public final class RunFileReader {
    public let path: String
    public let file: HDF5File
    public let mesh: TetMesh
    public let modes: ModeSet
    public let events: Int
    public let complete: Bool
    public let boundaryTags: [Int32]

    public init(path: String) throws {
        try SchemaCheck.require(path: path, filetype: Schema.run.filetype)
        self.path = path
        file = try HDF5File.open(path)
        mesh = try MeshFile.read(from: file, prefix: "/mesh")
        modes = try MaterialFile.readModes(from: file, prefix: "/modes")
        events = Int(try file.attribute("events_completed", as: Int64.self))
        complete = try file.attribute("complete", as: Int64.self) == 1
        boundaryTags = try file.get("/events/balance/tag", as: Int32.self, units: "1")
    }

    public func psi(event m: Int) throws -> [Double] {
        try file.openDataset("/events/psi").read(as: Double.self, offset: [m, 0, 0], count: [1, modes.count, mesh.nodeCount])
    }

    public func trace(event m: Int) throws -> [Double] {
        let c = 3 * mesh.boundaryFaces.count
        return try file.openDataset("/events/boundary_trace").read(as: Double.self, offset: [m, 0, 0], count: [1, modes.count, c])
    }

    /// The steady state Σψ^(m) + remainder, when the run finished.
    public func accumulatedPsi() throws -> [Double]? {
        try file.exists("/accumulated/psi") ? try file.readDataset("/accumulated/psi", as: Double.self) : nil
    }

    public func remainderPsi() throws -> [Double]? {
        try file.exists("/remainder/psi") ? try file.readDataset("/remainder/psi", as: Double.self) : nil
    }

    public func balance(_ name: String) throws -> [Double] {
        try file.readDataset("/events/balance/\(name)", as: Double.self)
    }

    public var inputChecksums: [String] { (try? file.stringArrayAttribute("input_sha256")) ?? [] }
    public var inputFiles: [String] { (try? file.stringArrayAttribute("input_files")) ?? [] }
    public var config: String { (try? file.stringAttribute("config")) ?? "" }
    public var counting: String { (try? file.stringAttribute("counting")) ?? "" }

    public func close() { try? file.close() }
}
