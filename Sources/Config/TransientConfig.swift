import Foundation
import Model

/// The `[transient]` table of a run configuration (data-schema/run-config.md): the run is then a time-dependent
/// solve (docs/transient.md) whose drive is the run's `[[source]]` tables acting in time as `drive` says.
public struct TransientConfig: Sendable, Equatable {
    public enum Drive: String, Sendable, CaseIterable {
        /// The sources' energy, Q·duration, deposited at t = 0 as an initial population ψ(0) = G0·duration (the
        /// paper's "source taken as an initial population"): ∫ψ dt = duration × the steady ψ.
        case impulse
        /// Switched on at t = 0 and held: the run tends to the steady solve.
        case constant
        /// Q(t) = Q·exp(−(t − t0)²/2σ²): a pump pulse.
        case pulse
    }
    public var timeStep: Double
    public var steps: Int
    public var scheme: TimeScheme = .bdf2
    public var drive: Drive = .impulse
    public var duration = 1e-12
    public var pulseCenter = 0.0
    public var pulseWidth = 0.0
    /// Event-labelled parts carried exactly (plus one for the rest).
    public var events = 0
    /// Carry χ = Σ m ψ_m for the mean number of events suffered.
    public var meanEvents = false
    public var storeEvery = 1
    public var checkpointEvery = 0
    public var krylovTolerance = 1e-8
    public var krylovRestart = 30
    public var maxSweeps = 400
    public var line = 0

    /// The steps whose ψ the run file keeps: every `storeEvery`-th and the last.
    public func stored(_ n: Int) -> Bool { n % storeEvery == 0 || n == steps }
    public var storedCount: Int { (1...max(steps, 1)).filter(stored).count }

    /// The factor of G0 at time t (s); the impulse acts through the initial population only.
    public func sourceFactor(at t: Double) -> Double {
        switch drive {
        case .impulse: return 0
        case .constant: return 1
        case .pulse: return exp(-(t - pulseCenter) * (t - pulseCenter) / (2 * pulseWidth * pulseWidth))
        }
    }

    static func parse(_ t: ConfigTable, file: String) throws -> TransientConfig {
        var r = ConfigReader(file: file, table: t)
        func fail(_ key: String?, _ message: String) -> ConfigError {
            ConfigError(file: file, line: key.flatMap { t.lines[$0] } ?? t.line, "[transient] \(message)")
        }
        var c = TransientConfig(timeStep: try r.quantity("time_step", .time), steps: try r.integer("steps"))
        c.line = t.line
        guard c.timeStep > 0, c.timeStep.isFinite else { throw fail("time_step", "time_step must be positive, found \(c.timeStep) s") }
        // Each step holds the state several times over in memory; a typo such as 1e9 steps must stop here.
        guard (1...1_000_000).contains(c.steps) else { throw fail("steps", "steps: expected 1 … 1000000, found \(c.steps)") }
        let scheme = try r.string("scheme", default: c.scheme.rawValue)
        guard let s = TimeScheme(rawValue: scheme) else {
            throw fail("scheme", "scheme: expected \(TimeScheme.allCases.map(\.rawValue).joined(separator: " or ")), found '\(scheme)'")
        }
        c.scheme = s
        let drive = try r.string("drive", default: c.drive.rawValue)
        guard let d = Drive(rawValue: drive) else {
            throw fail("drive", "drive: expected \(Drive.allCases.map(\.rawValue).joined(separator: ", ")), found '\(drive)'")
        }
        c.drive = d
        if d == .impulse { c.duration = try r.quantity("duration", .time, default: c.duration) }
        if d == .pulse {
            c.pulseCenter = try r.quantity("pulse_center", .time)
            c.pulseWidth = try r.quantity("pulse_width", .time)
            guard c.pulseWidth > 0 else { throw fail("pulse_width", "pulse_width must be positive") }
        }
        guard c.duration > 0, c.duration.isFinite else { throw fail("duration", "duration must be positive") }
        c.events = try r.integer("events", default: 0)
        guard (0...64).contains(c.events) else { throw fail("events", "events: expected 0 … 64 labelled parts, found \(c.events)") }
        c.meanEvents = try r.bool("mean_events", default: false)
        c.storeEvery = try r.integer("store_every", default: 1)
        guard c.storeEvery >= 1 else { throw fail("store_every", "store_every must be ≥ 1, found \(c.storeEvery)") }
        c.checkpointEvery = try r.integer("checkpoint_every", default: c.storeEvery)
        guard c.checkpointEvery >= 0 else { throw fail("checkpoint_every", "checkpoint_every must be ≥ 0 (0: no checkpoints), found \(c.checkpointEvery)") }
        c.krylovTolerance = try r.number("krylov_tolerance", default: c.krylovTolerance)
        c.krylovRestart = try r.integer("krylov_restart", default: c.krylovRestart)
        c.maxSweeps = try r.integer("max_sweeps", default: c.maxSweeps)
        guard c.krylovTolerance > 0, (1...1000).contains(c.krylovRestart), c.maxSweeps >= 1 else {
            throw fail(nil, "krylov_tolerance > 0, krylov_restart 1 … 1000 and max_sweeps ≥ 1 are required")
        }
        try r.rejectUnknownKeys()
        return c
    }
}
