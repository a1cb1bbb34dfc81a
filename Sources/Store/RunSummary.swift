import Foundation

/// What a finished steady run reports about itself: the attributes of `/accumulated` (data-schema/files.md),
/// written and read only here so that their names and types are stated once.
public struct RunSummary: Sendable, Equatable {
    public var converged: Bool
    public var events: Int
    public var sweeps: Int
    /// Largest |injected − scattered − leaving| / injected of any event.
    public var maxBalanceError: Double

    public init(converged: Bool, events: Int, sweeps: Int, maxBalanceError: Double) {
        self.converged = converged; self.events = events; self.sweeps = sweeps; self.maxBalanceError = maxBalanceError
    }

    /// Stored as float64 attributes (the layout since schema 1); in a fixed order, since the processes of an MPI
    /// solve must make the same HDF5 calls.
    func write(to g: HDF5Group) throws {
        try g.setAttribute("converged", converged ? 1.0 : 0.0)
        try g.setAttribute("events", Double(events))
        try g.setAttribute("max_balance_error", maxBalanceError)
        try g.setAttribute("sweeps", Double(sweeps))
    }

    static func read(from file: HDF5File) throws -> RunSummary {
        let g = try file.openGroup("/accumulated")
        return RunSummary(
            converged: try g.attribute("converged", as: Double.self) == 1, events: Int(try g.attribute("events", as: Double.self)),
            sweeps: Int(try g.attribute("sweeps", as: Double.self)), maxBalanceError: try g.attribute("max_balance_error", as: Double.self))
    }
}

/// What a finished transient run reports about itself: the attributes of `/transient`.
public struct TransientRunSummary: Sendable, Equatable {
    public var steps: Int
    public var sweeps: Int
    /// Energy at the last step over the initial energy; nil where the initial population has no net energy.
    public var energyLeft: Double?

    public init(steps: Int, sweeps: Int, energyLeft: Double?) { self.steps = steps; self.sweeps = sweeps; self.energyLeft = energyLeft }

    func write(to g: HDF5Group) throws {
        if let energyLeft { try g.setAttribute("energy_left", energyLeft) }
        try g.setAttribute("steps", Double(steps))
        try g.setAttribute("sweeps", Double(sweeps))
    }

    static func read(from file: HDF5File) throws -> TransientRunSummary {
        let g = try file.openGroup("/transient")
        return TransientRunSummary(
            steps: Int(try g.attribute("steps", as: Double.self)), sweeps: Int(try g.attribute("sweeps", as: Double.self)),
            energyLeft: try? g.attribute("energy_left", as: Double.self))
    }
}
