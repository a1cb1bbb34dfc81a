import Foundation
import Model
import Config

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
    /// Also carry χ = Σ_m m ψ_m, the population weighted by the events it has suffered, which obeys the same
    /// equation with Kψ as its source; its energy over ψ's is the mean number of events suffered by time t.
    public var moment = false
    /// Hand the whole state to the sink's `checkpoint` every this many steps (0: never), for a resume after a kill.
    public var checkpointEvery = 0
    public init(timeStep: Double, steps: Int) { self.timeStep = timeStep; self.steps = steps }

    /// The rate added to 1/τ in the drift operator of a step: 1/Δt (backward Euler), 3/(2Δt) (BDF2).
    public var shifts: [Double] {
        scheme == .backwardEuler ? [1 / timeStep] : [1 / timeStep, 1.5 / timeStep]
    }
}

/// The population after one step, as nodal averages.
public struct TransientStep {
    public var step: Int
    public var time: Double
    /// parts[0..<events] labelled by the events suffered, parts[events] the rest.
    public var parts: [[Double]]
    /// χ = Σ_m m ψ_m when `TransientOptions.moment`.
    public var moment: [Double]?
    /// Energy of each part (J per unit drive, as TransportSystem.volumePower), then of χ when carried.
    public var energy: [Double]
    /// Net power leaving through each boundary tag (W, outflow minus inflow) at the end of the step.
    public var leaving: [Int32: Double]
    public var sweeps: Int
    public var residual: Double
}

/// Everything a resumed run needs: the DG corner state of the last step (and of the one before, for BDF2).
public struct TransientState {
    public var step: Int
    /// Per carried population (parts, then χ): corner values now and one step earlier (nil before the first step
    /// or under backward Euler).
    public var now: [[Double]]
    public var previous: [[Double]]?
    public var energy: [Double]
    public init(step: Int, now: [[Double]], previous: [[Double]]?, energy: [Double]) {
        self.step = step; self.now = now; self.previous = previous; self.energy = energy
    }
}

/// Receives each step, and the state every `checkpointEvery` steps.
public protocol TransientSink: AnyObject {
    func store(_ step: TransientStep) throws
    func checkpoint(_ state: TransientState) throws
}

extension TransientSink {
    public func checkpoint(_ state: TransientState) throws {}
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
        -> (psi: [Double], corners: [Double], nextG: [Double], nextInflow: [Double], sweeps: Int, leaving: [Int32: Double])
    {
        var psi = [Double](), trace = [Double](), corners = [Double]()
        t.drift(source: g, cornerSource: h, inflow: b, psi: &psi, trace: &trace, corners: &corners)
        var next = [Double](repeating: 0, count: t.boundarySize)
        t.reemit(trace: trace, into: &next)
        var leaving = t.netLeaving(trace)
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
                for (k, v) in t.netLeaving(t2) { leaving[k, default: 0] += v }
                sweeps += 1
            }
            for i in next.indices { next[i] = 0 }
        }
        var g2 = [Double]()
        t.scatter(psi: psi, into: &g2)
        return (psi, corners, g2, next, sweeps, leaving)
    }

    /// Σ_{j≥1} Kʲ applied after `first`: GMRES on (I − K) y = K·first (G in ψ-like units, as EventSolver.remainder),
    /// then one drift of y. Returns ψ, corners, the re-emission of its outflow, the last relative residual, the sweeps
    /// and the power it takes out.
    func tail(_ t: TransportSystem, g: [Double], inflow: [Double])
        -> (psi: [Double], corners: [Double], nextInflow: [Double], residual: Double, sweeps: Int, leaving: [Int32: Double])
    {
        let nv = t.volumeSize
        let scale = t.volumeScale
        let zeroCorners = [Double](repeating: 0, count: t.cornerSize)
        func pack(_ g: [Double], _ b: [Double]) -> [Double] { (0..<nv).map { g[$0] * scale[$0] } + b }
        func unpack(_ x: [Double]) -> ([Double], [Double]) { ((0..<nv).map { x[$0] / scale[$0] }, Array(x[nv...])) }
        var sweeps = 0
        let (y, res) = gmres(
            rhs: pack(g, inflow), restart: options.krylovRestart, tolerance: options.krylovTolerance,
            maxIterations: options.maxSweeps, dot: t.dot
        ) { x in
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
        var next = [Double](repeating: 0, count: t.boundarySize)
        t.reemit(trace: trace, into: &next)
        return (psi, corners, next, res.last ?? 0, sweeps + 1, t.netLeaving(trace))
    }

    /// Runs from `initial` (nodal parts at t = 0; a single vector is event 0, the others start empty; χ starts at
    /// Σ m·initial[m]) with the volume source `source(t)` (nodal; nil: none), which enters part 0; or continues from
    /// `resume`. The state is carried as DG corner values; the sink and the summary see their nodal averages.
    public func run(
        initial: [[Double]], source: ((Double) -> [Double]?)? = nil, sink: TransientSink?,
        resume: TransientState? = nil
    ) throws -> TransientSummary {
        try withSingleThreadedBLAS { try integrate(initial: initial, source: source, sink: sink, resume: resume) }
    }

    private func integrate(
        initial: [[Double]], source: ((Double) -> [Double]?)?, sink: TransientSink?,
        resume: TransientState?
    ) throws -> TransientSummary {
        let k = options.events, dt = options.timeStep
        let t0 = system
        let nv = t0.volumeSize, nc = t0.cornerSize
        let carried = k + 1 + (options.moment ? 1 : 0)
        var now: [[Double]], previous: [[Double]]? = nil, first = 0
        var summary = TransientSummary(steps: 0, sweeps: 0, energy: [], residuals: [])
        if let r = resume {
            precondition(r.now.count == carried && r.now.allSatisfy { $0.count == nc })
            now = r.now; previous = options.scheme == .bdf2 ? r.previous : nil; first = r.step
            summary.energy = r.energy; summary.steps = r.step
        } else {
            var nodal = (0...k).map { i in i < initial.count ? initial[i] : [Double](repeating: 0, count: nv) }
            precondition(nodal.allSatisfy { $0.count == nv })
            if options.moment {
                var chi = [Double](repeating: 0, count: nv)
                for (m, p) in initial.enumerated() where m > 0 { for i in 0..<nv { chi[i] += Double(m) * p[i] } }
                nodal.append(chi)
            }
            now = nodal.map { t0.corners(ofNodal: $0) }
            summary.energy = [(0...k).reduce(0) { $0 + t0.volumePower(nodal[$1]) }]
        }
        let start = Date()
        for n in first..<options.steps {
            let bdf = options.scheme == .bdf2 && previous != nil
            let t = systems[bdf ? 1 : 0]
            // History h_m (corners): ψ^n/Δt, or (2ψ^n − ψ^{n−1}/2)/Δt.
            func history(_ m: Int) -> [Double] {
                if bdf, let p = previous { return (0..<nc).map { (2 * now[m][$0] - 0.5 * p[m][$0]) / dt } }
                return now[m].map { $0 / dt }
            }
            var g = source?(Double(n + 1) * dt) ?? [Double](repeating: 0, count: nv)
            var inflow = [Double](repeating: 0, count: t.boundarySize)
            var next: [[Double]] = [], nextNodal: [[Double]] = []
            var leaving: [Int32: Double] = [:], sweeps = 0
            // Re-emission of the whole ψ^{n+1}'s outflow: with Kψ's volume part it drives χ.
            var reemitted = [Double](repeating: 0, count: t.boundarySize)
            func add(_ l: [Int32: Double]) { for (key, v) in l { leaving[key, default: 0] += v } }
            for m in 0..<k {
                let s = drift(t, nodal: g, corners: history(m), inflow: inflow)
                next.append(s.corners); nextNodal.append(s.psi)
                g = s.nextG; inflow = s.nextInflow
                for i in reemitted.indices { reemitted[i] += s.nextInflow[i] }
                sweeps += s.sweeps; add(s.leaving)
            }
            let head = drift(t, nodal: g, corners: history(k), inflow: inflow)
            let rest = tail(t, g: head.nextG, inflow: head.nextInflow)
            next.append((0..<nc).map { head.corners[$0] + rest.corners[$0] })
            nextNodal.append((0..<nv).map { head.psi[$0] + rest.psi[$0] })
            for i in reemitted.indices { reemitted[i] += head.nextInflow[i] + rest.nextInflow[i] }
            sweeps += head.sweeps + rest.sweeps; add(head.leaving); add(rest.leaving)
            var residual = rest.residual
            var chi: [Double]? = nil
            if options.moment {
                var total = [Double](repeating: 0, count: nv)
                for p in nextNodal { for i in 0..<nv { total[i] += p[i] } }
                var kg = [Double]()
                t.scatter(psi: total, into: &kg)
                let h = drift(t, nodal: kg, corners: history(k + 1), inflow: reemitted)
                let r = tail(t, g: h.nextG, inflow: h.nextInflow)
                next.append((0..<nc).map { h.corners[$0] + r.corners[$0] })
                chi = (0..<nv).map { h.psi[$0] + r.psi[$0] }
                sweeps += h.sweeps + r.sweeps
                residual = max(residual, r.residual)
            }
            previous = options.scheme == .bdf2 ? now : nil
            now = next
            let energies = nextNodal.map { t0.volumePower($0) } + (chi.map { [t0.volumePower($0)] } ?? [])
            summary.steps = n + 1
            summary.sweeps += sweeps
            summary.residuals.append(residual)
            summary.energy.append(energies[0...k].reduce(0, +))
            try sink?.store(
                TransientStep(
                    step: n + 1, time: Double(n + 1) * dt, parts: nextNodal, moment: chi, energy: energies,
                    leaving: leaving, sweeps: sweeps, residual: residual))
            if options.checkpointEvery > 0, (n + 1) % options.checkpointEvery == 0 || n + 1 == options.steps {
                try sink?.checkpoint(TransientState(step: n + 1, now: now, previous: previous, energy: summary.energy))
            }
            if let p = progress {
                let per = Date().timeIntervalSince(start) / Double(n + 1 - first)
                p(
                    String(
                        format: "step %d/%d  t = %.4g s  energy %.6e  %d sweeps  %.2f s/step  ≤%.0f s left",
                        n + 1, options.steps, Double(n + 1) * dt, summary.energy.last!, sweeps, per,
                        per * Double(options.steps - n - 1)))
            }
        }
        return summary
    }
}

extension TransportSystem {
    /// Net power through each boundary tag carried by a trace (outflow minus inflow, W).
    func netLeaving(_ trace: [Double]) -> [Int32: Double] {
        let (out, inn) = boundaryPower(trace)
        var net = out
        for (k, v) in inn { net[k, default: 0] -= v }
        return net
    }

}

extension TransientConfig {
    public func options(counting: EventCounting) -> TransientOptions {
        var o = TransientOptions(timeStep: timeStep, steps: steps)
        o.scheme = scheme; o.events = events; o.moment = meanEvents; o.counting = counting
        o.krylovTolerance = krylovTolerance; o.krylovRestart = krylovRestart; o.maxSweeps = maxSweeps
        o.checkpointEvery = checkpointEvery
        return o
    }
}
