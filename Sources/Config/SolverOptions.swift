import Foundation

// How the solver runs, as the configuration states it ([events], [checks], [transient]): plain values, parsed and
// checked by RunConfig and used by Solve.

/// Whether boundary re-emissions advance the event index (docs/physics.md §4.3). Recorded in every run file.
public enum EventCounting: String, Sendable, Codable, CaseIterable {
    /// m counts bulk scatterings only; within one event, wall re-emissions are swept until they die out.
    case bulkOnly = "bulk-only"
    /// m advances at every bulk scattering and at every wall or interface pass.
    case bulkAndBoundary = "bulk-and-boundary"
}

/// What preconditions the GMRES remainder (docs/numerics.md: DSA for diffusive problems).
public enum KrylovPreconditioner: String, Sendable, Codable, CaseIterable {
    case none
    /// Diffusion-synthetic acceleration: a P1 diffusion solve for the temperature part of each Krylov vector.
    case diffusion
    /// Diffusion where a region is optically thick (DiffusionCorrection.pays), none elsewhere.
    case automatic = "auto"
}

public struct EventOptions: Sendable, Codable, Equatable {
    /// Events computed and stored exactly, one by one.
    public var maxEvents: Int = 50
    /// Stop when an event's ψ is this small relative to the accumulated ψ (L2 over modes and nodes).
    public var tolerance: Double = 1e-4
    public var counting: EventCounting = .bulkAndBoundary
    /// After `maxEvents` exact events, obtain the rest of the series with GMRES (stored as a remainder).
    public var accelerate: Bool = true
    public var krylovTolerance: Double = 1e-8
    public var krylovRestart: Int = 30
    public var maxSweeps: Int = 400
    public var preconditioner: KrylovPreconditioner = .automatic
    /// Weighted-Jacobi damping w of the recursion (1 = plain; docs/physics.md §4.2).
    public var damping: Double = 1
    /// Inside a bulk-only event, stop sweeping wall re-emissions once their power is this fraction of the event's.
    public var innerTolerance: Double = 1e-10
    public var maxInnerPasses: Int = 10_000
    public init() {}
}

/// What the solver checks after every event, so that a run never silently produces nonsense: every value finite,
/// each event's energy balance closed, and no temperature that cannot be. A violation stops the run (the stored
/// events stay in the `.partial` file for inspection), or, on request, is reported and recorded in the run file.
public struct InvariantPolicy: Sendable, Codable, Equatable {
    public enum Action: String, Sendable, Codable, CaseIterable { case stop, warn }
    public var action: Action = .stop
    /// |injected − scattered − left| / injected of one event; the DG sweep closes it to round-off, bulk-only
    /// counting to its inner tolerance.
    public var balanceTolerance: Double = 1e-6
    /// When every source and wall heats, the accumulated ΔT may dip below zero only by this fraction of its
    /// maximum. Linear elements undershoot next to fronts steeper than an element: on a coarse Si/Ge mesh (100 nm
    /// elements, nanometre optical-phonon mean free paths) the first event dips by 15%; a diverging series
    /// passes any bound within a few events.
    public var undershoot: Double = 0.5
    /// Set by the solve stage when every source power and wall temperature is non-negative.
    public var drivesNonnegative: Bool = false
    public init() {}
}

/// Implicit time discretisation of the transient BTE (docs/transient.md).
public enum TimeScheme: String, Sendable, Codable, CaseIterable {
    /// First order, L-stable: (ψ^{n+1} − ψ^n)/Δt + Lψ^{n+1} = G^{n+1}.
    case backwardEuler = "backward-euler"
    /// Second order, A-stable, started by one backward-Euler step: (3ψ^{n+1} − 4ψ^n + ψ^{n−1})/(2Δt) + Lψ^{n+1} = G^{n+1}.
    case bdf2
}
