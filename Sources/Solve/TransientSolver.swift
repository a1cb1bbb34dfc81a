import Foundation
import Model

/// Implicit time discretisation of the transient BTE (docs/transient.md).
public enum TimeScheme: String, Sendable, Codable, CaseIterable {
    /// First order, L-stable: (ψ^{n+1} − ψ^n)/Δt + Lψ^{n+1} = G^{n+1}.
    case backwardEuler = "backward-euler"
    /// Second order, A-stable, started by one backward-Euler step: (3ψ^{n+1} − 4ψ^n + ψ^{n−1})/(2Δt) + Lψ^{n+1} = G^{n+1}.
    case bdf2
}

public struct TransientOptions: Sendable, Codable, Equatable {
    /// Δt (s).
    public var timeStep: Double
    public var steps: Int
    public var scheme: TimeScheme = .bdf2
    /// The population is carried split by the number of events suffered so far: parts 0..<events exactly, and one
    /// part for every later event. 0 carries only the whole population.
    public var events: Int = 0
    public var counting: EventCounting = .bulkAndBoundary
    /// Inside a step, the part beyond the labelled events solves (I − K_Δt) x = x₀ by GMRES to this tolerance.
    public var krylovTolerance: Double = 1e-10
    public var krylovRestart: Int = 30
    public var maxSweeps: Int = 400
    public init(timeStep: Double, steps: Int) { self.timeStep = timeStep; self.steps = steps }

    /// The rate added to 1/τ in the drift operator of a step: 1/Δt (backward Euler), 3/(2Δt) (BDF2).
    public var shifts: [Double] {
        scheme == .backwardEuler ? [1 / timeStep] : [1 / timeStep, 1.5 / timeStep]
    }
}

/// Receives the population after each step (parts[0..<events] labelled by event count, parts[events] the rest).
public protocol TransientSink: AnyObject {
    func store(step n: Int, time: Double, parts: [[Double]]) throws
}

public struct TransientSummary: Sendable {
    public var steps: Int
    public var sweeps: Int
    /// Energy of the whole population (J per unit drive, TransportSystem.volumePower of ψ) at t = 0 and after
    /// every step.
    public var energy: [Double]
    /// GMRES relative residual of the last part in every step.
    public var residuals: [Double]
}

/// The time-dependent BTE ∂ψ/∂t + v·∇ψ = −ψ/τ + Mψ + G(t), each step solved as a steady problem with the drift
/// rate shifted by the scheme's 1/Δt coefficient and the history as a volume source. With the population carried by
/// event count, part m of step n+1 solves (a + 1/τ + v·∇) ψ_m = h_m + M ψ_{m−1} (walls and interfaces re-emitting
/// ψ_{m−1}'s outflow with bulk-and-boundary counting), which is the event recursion of the steady solver applied to
/// the shifted system; the last part sums the rest of that series by GMRES.
public final class TransientSolver {
    public let options: TransientOptions
    /// One shifted system per distinct shift of the scheme (BDF2 starts with a backward-Euler step).
    let systems: [TransportSystem]
    public var progress: ((String) -> Void)?

    /// `system(shift)` builds the run's transport system with `timeShift = shift` in every region.
    public init(options: TransientOptions, system: (Double) throws -> TransportSystem) throws {
        precondition(options.timeStep > 0 && options.timeStep.isFinite && options.steps >= 0 && options.events >= 0)
        self.options = options
        systems = try options.shifts.map(system)
    }

    public var system: TransportSystem { systems[0] }

    /// One drift of the shifted system with a nodal source, a corner source and inflow; with bulk-only counting the
    /// wall re-emissions are folded in until they die out (as EventSolver.step does).
    func drift(_ t: TransportSystem, nodal g: [Double], corners h: [Double], inflow b: [Double])
        -> (psi: [Double], corners: [Double], nextG: [Double], nextInflow: [Double], sweeps: Int) {
        var psi = [Double](), trace = [Double](), corners = [Double]()
        t.drift(source: g, cornerSource: h, inflow: b, psi: &psi, trace: &trace, corners: &corners)
        var next = [Double](repeating: 0, count: t.boundarySize)
        t.reemit(trace: trace, into: &next)
        var sweeps = 1
        if options.counting == .bulkOnly {
            let scale = abs(t.volumePower(g)) + abs(t.volumePower(psi)) * options.timeStep + abs(t.inflowPower(b)) + 1e-300
            let zero = [Double](repeating: 0, count: t.volumeSize), zeroCorners = [Double](repeating: 0, count: t.cornerSize)
            var p2 = [Double](), t2 = [Double](), c2 = [Double]()
            while abs(t.inflowPower(next)) > 1e-12 * scale && sweeps < 10_000 {
                t.drift(source: zero, cornerSource: zeroCorners, inflow: next, psi: &p2, trace: &t2, corners: &c2)
                for i in psi.indices { psi[i] += p2[i] }
                for i in corners.indices { corners[i] += c2[i] }
                t.reemit(trace: t2, into: &next)
                sweeps += 1
            }
            for i in next.indices { next[i] = 0 }
        }
        var g2 = [Double]()
        t.scatter(psi: psi, into: &g2)
        return (psi, corners, g2, next, sweeps)
    }

    /// Σ_{j≥1} Kʲ applied after `first`: GMRES on (I − K) y = K·first (G in ψ-like units, as EventSolver.remainder),
    /// then one drift of y. Returns ψ, corners, the last relative residual and the sweeps.
    func tail(_ t: TransportSystem, g: [Double], inflow: [Double]) -> (psi: [Double], corners: [Double], residual: Double, sweeps: Int) {
        let nv = t.volumeSize
        let scale = t.volumeScale
        let zeroCorners = [Double](repeating: 0, count: t.cornerSize)
        func pack(_ g: [Double], _ b: [Double]) -> [Double] { (0..<nv).map { g[$0] * scale[$0] } + b }
        func unpack(_ x: [Double]) -> ([Double], [Double]) { ((0..<nv).map { x[$0] / scale[$0] }, Array(x[nv...])) }
        var sweeps = 0
        let (y, res) = gmres(rhs: pack(g, inflow), restart: options.krylovRestart, tolerance: options.krylovTolerance,
                             maxIterations: options.maxSweeps, dot: t.dot) { x in
            let (gx, bx) = unpack(x)
            var psi = [Double](), trace = [Double](), g2 = [Double]()
            var b2 = [Double](repeating: 0, count: t.boundarySize)
            t.drift(source: gx, inflow: bx, psi: &psi, trace: &trace)
            t.scatter(psi: psi, into: &g2)
            t.reemit(trace: trace, into: &b2)
            sweeps += 1
            let kx = pack(g2, b2)
            return (0..<x.count).map { x[$0] - kx[$0] }
        }
        let (gy, by) = unpack(y)
        var psi = [Double](), trace = [Double](), corners = [Double]()
        t.drift(source: gy, cornerSource: zeroCorners, inflow: by, psi: &psi, trace: &trace, corners: &corners)
        return (psi, corners, res.last ?? 0, sweeps + 1)
    }

    /// Runs from `initial` (nodal parts at t = 0; a single vector is event 0, the others start empty) with the
    /// volume source `source(t)` (nodal; nil: none), which enters part 0. The state is carried as DG corner values;
    /// the sink and the summary see their nodal averages.
    public func run(initial: [[Double]], source: ((Double) -> [Double]?)? = nil, sink: TransientSink?) throws -> TransientSummary {
        let k = options.events, dt = options.timeStep
        let t0 = system
        let nv = t0.volumeSize, nc = t0.cornerSize
        var nodal = (0...k).map { i in i < initial.count ? initial[i] : [Double](repeating: 0, count: nv) }
        precondition(nodal.allSatisfy { $0.count == nv })
        var now = nodal.map { t0.corners(ofNodal: $0) }
        var previous: [[Double]]? = nil
        let total = { (parts: [[Double]]) -> Double in parts.reduce(0) { $0 + t0.volumePower($1) } }
        var summary = TransientSummary(steps: 0, sweeps: 0, energy: [total(nodal)], residuals: [])
        let start = Date()
        for n in 0..<options.steps {
            let bdf = options.scheme == .bdf2 && previous != nil
            let t = systems[bdf ? 1 : 0]
            // History h_m (corners): ψ^n/Δt, or (2ψ^n − ψ^{n−1}/2)/Δt.
            let history: [[Double]] = (0...k).map { m in
                if bdf, let p = previous { return (0..<nc).map { (2 * now[m][$0] - 0.5 * p[m][$0]) / dt } }
                return now[m].map { $0 / dt }
            }
            var g = source?(Double(n + 1) * dt) ?? [Double](repeating: 0, count: nv)
            var inflow = [Double](repeating: 0, count: t.boundarySize)
            var next: [[Double]] = [], nextNodal: [[Double]] = []
            for m in 0..<k {
                let s = drift(t, nodal: g, corners: history[m], inflow: inflow)
                next.append(s.corners); nextNodal.append(s.psi)
                g = s.nextG; inflow = s.nextInflow
                summary.sweeps += s.sweeps
            }
            let first = drift(t, nodal: g, corners: history[k], inflow: inflow)
            let rest = tail(t, g: first.nextG, inflow: first.nextInflow)
            next.append((0..<nc).map { first.corners[$0] + rest.corners[$0] })
            nextNodal.append((0..<nv).map { first.psi[$0] + rest.psi[$0] })
            summary.sweeps += first.sweeps + rest.sweeps
            summary.residuals.append(rest.residual)
            previous = now
            now = next; nodal = nextNodal
            summary.steps = n + 1
            summary.energy.append(total(nodal))
            try sink?.store(step: n + 1, time: Double(n + 1) * dt, parts: nodal)
            if let p = progress {
                let per = Date().timeIntervalSince(start) / Double(n + 1)
                p(String(format: "step %d/%d  t = %.4g s  energy %.6e  %d sweeps  %.2f s/step  ≤%.0f s left",
                         n + 1, options.steps, Double(n + 1) * dt, summary.energy.last!, summary.sweeps, per,
                         per * Double(options.steps - n - 1)))
            }
        }
        return summary
    }
}
