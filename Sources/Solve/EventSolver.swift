import Foundation
import Model
import Config

/// Power balance of one event (W per unit drive).
public struct EventBalance: Sendable, Equatable, Codable {
    public var event: Int
    public var injectedVolume: Double
    public var injectedBoundary: Double
    public var scattered: Double
    public var leaving: [Int32: Double]
    public var relativeChange: Double
    public var sweeps: Int
    /// Σ|power| per mode of the volume source, the inflow and the scattered ψ (W): the scale of a drive that injects
    /// no net power, such as a temperature gradient in a periodic cell, where every signed term is round-off.
    /// 0 where unknown (a run file from before it was stored).
    public var gross: Double = 0
    /// (injected − scattered − Σ leaving)/max(|injected|, gross): zero to round-off for the DG sweep.
    public var closure: Double {
        let inj = injectedVolume + injectedBoundary
        let out = scattered + leaving.orderedSum
        let scale = max(abs(inj), gross)
        return scale == 0 ? 0 : (inj - out) / scale
    }
}

/// Receives each event as it is finished (the run writer stores them; tests keep them).
public protocol EventSink: AnyObject {
    func store(event m: Int, psi: [Double], trace: [Double], balance: EventBalance) throws
    func storeRemainder(psi: [Double], trace: [Double], residuals: [Double], sweeps: Int) throws
}

public struct SolveSummary: Sendable {
    public var events: Int
    public var converged: Bool
    public var accumulated: [Double] // Σ ψ^(m) + remainder, the system's volume vector
    public var balances: [EventBalance]
    public var krylovResiduals: [Double]
    public var sweeps: Int
    /// Invariant violations reported instead of stopping (InvariantPolicy.Action.warn).
    public var warnings: [String] = []
}

/// The scattering-event recursion (docs/physics.md §4): event m drifts `x_m = (G_m, inflow_m)` to ψ^(m), then
/// scatters, `G_{m+1} = M ψ^(m)`, and walls re-emit, `inflow_{m+1} = B·trace^(m)`. The steady state is
/// Σ_m ψ^(m); the tail after the stored events solves `(I − K) x = x_N` by GMRES.
public final class EventSolver {
    public let system: TransportSystem
    public var options: EventOptions
    public var invariants = InvariantPolicy()
    public var progress: ((String) -> Void)?
    /// Receives invariant violations when the policy says warn (always shown, even when progress is quiet).
    public var warn: ((String) -> Void)?

    public init(system: TransportSystem, options: EventOptions) {
        self.system = system; self.options = options
    }

    public convenience init(transport: Transport, options: EventOptions) {
        self.init(system: TransportSystem(transport), options: options)
    }

    /// One application of the event operator K to a source x = (G, inflow): returns the next source and the ψ and
    /// traces of this event (with bulk-only counting, wall passes are folded in until they die out).
    func step(_ g: [Double], _ inflow: [Double]) -> (psi: [Double], trace: [Double], nextG: [Double], nextInflow: [Double], sweeps: Int) {
        let t = system
        var psi = [Double](), trace = [Double]()
        t.drift(source: g, inflow: inflow, psi: &psi, trace: &trace)
        var sweeps = 1
        var next = [Double](repeating: 0, count: t.boundarySize)
        reemit(trace, &next)
        if options.counting == .bulkOnly {
            let scale = abs(t.volumePower(g)) + abs(inflowPower(inflow)) + 1e-300
            let zero = [Double](repeating: 0, count: t.volumeSize)
            var p2 = [Double](), t2 = [Double]()
            while abs(inflowPower(next)) > options.innerTolerance * scale && sweeps < options.maxInnerPasses {
                t.drift(source: zero, inflow: next, psi: &p2, trace: &t2)
                for i in 0..<psi.count { psi[i] += p2[i] }
                for i in 0..<trace.count { trace[i] += t2[i] }
                reemit(t2, &next)
                sweeps += 1
            }
            // What is left below the tolerance is dropped, so the next event starts from bulk scattering alone
            // and can be rebuilt exactly from the stored ψ^(m) on resume.
            for i in 0..<next.count { next[i] = 0 }
        }
        var g2 = [Double]()
        t.scatter(psi: psi, into: &g2)
        return (psi, trace, g2, next, sweeps)
    }

    private func reemit(_ trace: [Double], _ into: inout [Double]) {
        system.reemit(trace: trace, into: &into)
    }

    func inflowPower(_ inflow: [Double]) -> Double { system.inflowPower(inflow) }

    /// Where a resumed run picks up: the next event's source and the sums of the events already stored.
    public struct ResumeState {
        public var nextEvent: Int
        public var g: [Double], inflow: [Double]
        public var accumulated: [Double]
        public var lastChange: Double
        /// The stored events' balances (their sweeps included), so the summary covers the whole run.
        public var storedBalances: [EventBalance] = []
    }

    /// Rebuilds the state after k stored events from their ψ^(m) and the last event's corner traces, exactly as the
    /// uninterrupted run had it (damped runs start afresh).
    public func resumeState(psi events: [[Double]], lastTrace: [Double]) -> ResumeState? {
        guard let last = events.last, options.damping == 1 else { return nil }
        let t = system
        var acc = [Double](repeating: 0, count: t.volumeSize)
        for e in events { for i in 0..<acc.count { acc[i] += e[i] } }
        var g = [Double]()
        // With the BLAS threads of `run`: the rebuilt source must be the uninterrupted run's to the bit.
        withSingleThreadedBLAS { t.scatter(psi: last, into: &g) }
        var b = [Double](repeating: 0, count: t.boundarySize)
        if options.counting == .bulkAndBoundary { reemit(lastTrace, &b) }
        let change = t.norm2(last) / max(t.norm2(acc), 1e-300)
        return ResumeState(nextEvent: events.count, g: g, inflow: b, accumulated: acc, lastChange: change)
    }

    public func run(source g0: [Double], inflow b0: [Double], sink: EventSink?, resume: ResumeState? = nil) throws -> SolveSummary {
        try withSingleThreadedBLAS { try solve(source: g0, inflow: b0, sink: sink, resume: resume) }
    }

    private func solve(source g0: [Double], inflow b0: [Double], sink: EventSink?, resume: ResumeState?) throws -> SolveSummary {
        let t = system
        let w = options.damping
        var g = g0.map { w * $0 }, b = b0.map { w * $0 }
        var acc = [Double](repeating: 0, count: t.volumeSize)
        var balances: [EventBalance] = []
        var sweeps = 0
        var converged = false
        let start = Date()
        var m = 0
        let checker = InvariantChecker(system: t, policy: invariants)
        var warnings: [String] = []
        var lastScattered: (net: Double, gross: Double)? = nil
        func check(_ violation: String?) throws {
            guard let v = violation else { return }
            if invariants.action == .stop { throw InvariantViolation(description: v) }
            warnings.append(v); warn?(v)
        }
        if let r = resume {
            g = r.g; b = r.inflow; acc = r.accumulated; m = r.nextEvent
            converged = r.lastChange <= options.tolerance
            balances = r.storedBalances
            sweeps = r.storedBalances.reduce(0) { $0 + $1.sweeps }
        }
        while m < options.maxEvents && !converged {
            let s = step(g, b)
            sweeps += s.sweeps
            for i in 0..<acc.count { acc[i] += s.psi[i] }
            let change = t.norm2(s.psi) / max(t.norm2(acc), 1e-300)
            let (leaving, entering) = t.boundaryPower(s.trace)
            let volume = t.volumePowers(g), scattered = t.scatteredPowers(s.psi)
            let bal = EventBalance(
                event: m, injectedVolume: volume.net, injectedBoundary: entering.orderedSum,
                scattered: scattered.net, leaving: leaving,
                relativeChange: change, sweeps: s.sweeps,
                gross: volume.gross + t.inflowPowers(b).gross + scattered.gross)
            if let bad = checker.nonFinite(s.psi, what: "ψ of event \(m)") {
                try check(bad)
            } else {
                try check(checker.balance(bal))
                if let prev = lastScattered, w == 1 {
                    try check(checker.conservation(scattered: prev.net, received: bal.injectedVolume, event: m, gross: prev.gross))
                }
                try check(checker.temperature(acc, after: "event \(m)"))
            }
            balances.append(bal)
            lastScattered = scattered
            try sink?.store(event: m, psi: s.psi, trace: s.trace, balance: bal)
            if let p = progress {
                let per = Date().timeIntervalSince(start) / Double(m + 1 - (resume?.nextEvent ?? 0))
                let left = per * Double(options.maxEvents - m - 1)
                p(
                    String(
                        format: "event %d/%d  modes %d  change %.3e  balance %.1e  %.2f s/event  ≤%.0f s left",
                        m, options.maxEvents, t.modeCount, change, bal.closure, per, left))
            }
            if w == 1 {
                g = s.nextG; b = s.nextInflow
            } else {
                g = (0..<g.count).map { (1 - w) * g[$0] + w * s.nextG[$0] }
                b = (0..<b.count).map { (1 - w) * b[$0] + w * s.nextInflow[$0] }
            }
            m += 1
            if change <= options.tolerance { converged = true }
        }
        var residuals: [Double] = []
        if !converged && options.accelerate {
            let (rem, remTrace, res, sw) = remainder(g: g, inflow: b)
            residuals = res
            sweeps += sw
            try check(checker.nonFinite(rem, what: "ψ of the GMRES remainder"))
            for i in 0..<acc.count { acc[i] += rem[i] }
            try check(checker.temperature(acc, after: "the GMRES remainder"))
            try sink?.storeRemainder(psi: rem, trace: remTrace, residuals: res, sweeps: sw)
            converged = (res.last ?? 1) <= options.krylovTolerance
        }
        return SolveSummary(
            events: m, converged: converged, accumulated: acc,
            balances: balances, krylovResiduals: residuals, sweeps: sweeps, warnings: warnings)
    }

    /// Σ_{m≥N} ψ^(m) from x_N: GMRES on (I − K) y = x_N in ψ-like units (G scaled by τ), then one drift of y.
    func remainder(g: [Double], inflow: [Double]) -> ([Double], [Double], [Double], Int) {
        let t = system
        let nv = t.volumeSize
        let scale = t.volumeScale
        func pack(_ g: [Double], _ b: [Double]) -> [Double] {
            var x = [Double](repeating: 0, count: nv + b.count)
            for i in 0..<nv { x[i] = g[i] * scale[i] }
            for i in 0..<b.count { x[nv + i] = b[i] }
            return x
        }
        func unpack(_ x: [Double]) -> ([Double], [Double]) {
            var g = [Double](repeating: 0, count: nv)
            for i in 0..<nv { g[i] = x[i] / scale[i] }
            return (g, Array(x[nv...]))
        }
        var sweeps = 0
        // The Krylov operator is one drift plus one scattering or wall pass, whatever the stored events counted.
        let savedCounting = options.counting
        options.counting = .bulkAndBoundary
        let preconditioned = diffusionPreconditioner(unpack: unpack)
        let rhs = pack(g, inflow)
        let (z, res) = gmres(
            rhs: rhs, restart: options.krylovRestart, tolerance: options.krylovTolerance,
            maxIterations: options.maxSweeps, dot: t.dot
        ) { z in
            let x = preconditioned(z)
            let (gx, bx) = unpack(x)
            let s = step(gx, bx)
            sweeps += 1
            var out = pack(s.nextG, s.nextInflow)
            if let p = progress, sweeps % 10 == 0 { p("krylov sweep \(sweeps)") }
            // (I − K)x in the packed vector itself: one whole-vector allocation less per sweep.
            x.withUnsafeBufferPointer { xp in
                out.withUnsafeMutableBufferPointer { op in
                    for i in 0..<op.count { op[i] = xp[i] - op[i] }
                }
            }
            return out
        }
        let y = preconditioned(z)
        options.counting = savedCounting
        let (gy, by) = unpack(y)
        var psi = [Double](), trace = [Double]()
        t.drift(source: gy, inflow: by, psi: &psi, trace: &trace)
        return (psi, trace, res, sweeps + 1)
    }

    /// P = I + E C⁻¹ R per region (DiffusionCorrection), or the identity; works on packed Krylov vectors, whose
    /// volume part is G·τ, so the thermal mode (∂n̄/∂T)θ enters as it is.
    private func diffusionPreconditioner(unpack: @escaping ([Double]) -> ([Double], [Double])) -> ([Double]) -> [Double] {
        let t = system
        guard options.preconditioner != .none else { return { $0 } }
        let parts = t.regions.map { r in
            options.preconditioner == .diffusion || DiffusionCorrection.pays(transport: r) ? DiffusionCorrection(transport: r) : nil
        }
        guard parts.contains(where: { $0 != nil }) else { return { $0 } }
        return { z in
            var y = z
            let (g, b) = unpack(z)
            for (r, part) in parts.enumerated() {
                guard let c = part else { continue }
                let region = t.regions[r], vo = t.volumeOffset[r]
                let load = g.withUnsafeBufferPointer { gp in
                    b.withUnsafeBufferPointer { bp in
                        c.energyLoad(transport: region, g: gp.baseAddress! + vo, inflow: bp.baseAddress! + t.boundaryOffset[r])
                    }
                }
                let theta = c.temperature(load: load)
                let nv = t.volumeSize
                y.withUnsafeMutableBufferPointer { yp in
                    c.addThermalMode(
                        theta, transport: region, volume: yp.baseAddress! + vo,
                        inflow: yp.baseAddress! + nv + t.boundaryOffset[r])
                }
            }
            return y
        }
    }
}

extension Dictionary where Key == Int32, Value == Double {
    /// Σ of the values in tag order: dictionary order changes from process to process (hash seeds), and the sum
    /// must not (repeated and MPI solves give the same bits).
    var orderedSum: Double { keys.sorted().reduce(0) { $0 + self[$1]! } }
}
