import Foundation

/// Bounds outside which phonon data cannot describe a crystal (data-schema/README.md, "Plausibility bounds").
///
/// They are generous on purpose: each catches a class of broken input (a unit mix-up, an underflowing linewidth, a
/// sign error) rather than unusual physics. Modes that ingest made inert (τ = ∞, v = 0, ∂n̄/∂T = 0: the Γ acoustic
/// modes and zero-linewidth modes) are checked for exactly that form.
public enum ModePlausibility {
    /// Group speed bound, m/s: no crystal's sound speed reaches 20 km/s (diamond's longitudinal is 18 km/s).
    public static let maxGroupSpeed = 5.0e4
    /// Lifetime bound, s: one second of ballistic flight is kilometres; ab initio lifetimes are ps–µs.
    public static let maxLifetime = 1.0
    /// κ outside this range (W m⁻¹ K⁻¹) is reported as a warning naming the dominant mode.
    public static let plausibleKappa = 1e-3...1e4

    public struct Problem: Sendable, CustomStringConvertible {
        public var mode: Int
        public var quantity: String
        public var value: Double
        public var expected: String
        public var label: String
        public var description: String { "mode \(mode) (\(label)): \(quantity) = \(value), expected \(expected)" }
    }

    /// A mode's name for messages: q-point, branch and frequency.
    public static func label(_ modes: ModeSet, _ mu: Int) -> String {
        String(
            format: "q-point %d, branch %d, %.4g THz", Int(modes.qIndex[mu]), Int(modes.branch[mu]),
            modes.omega[mu] / (2 * Double.pi * 1e12))
    }

    /// The first problems (at most `limit`), in mode order.
    public static func problems(_ modes: ModeSet, limit: Int = 10) -> [Problem] {
        var out: [Problem] = []
        func add(_ mu: Int, _ q: String, _ v: Double, _ e: String) {
            if out.count < limit { out.append(Problem(mode: mu, quantity: q, value: v, expected: e, label: label(modes, mu))) }
        }
        for mu in 0..<modes.count {
            let w = modes.omega[mu], tau = modes.tau[mu], c = modes.dndT[mu]
            let v = modes.velocity(mu), speed = v.norm
            guard w.isFinite else { add(mu, "ω (rad/s)", w, "a finite frequency"); continue }
            guard speed.isFinite, speed <= maxGroupSpeed else { add(mu, "|v| (m/s)", speed, "at most \(maxGroupSpeed) m/s"); continue }
            guard modes.volumeWeight[mu].isFinite, modes.volumeWeight[mu] > 0 else {
                add(mu, "volume weight (m-3)", modes.volumeWeight[mu], "finite and > 0"); continue
            }
            guard c.isFinite, c >= 0 else { add(mu, "dn/dT (1/K)", c, "finite and ≥ 0"); continue }
            // τ = ∞: an inert mode (made so by ingest) or a deliberately ballistic medium.
            if tau == .infinity { continue }
            guard tau.isFinite, tau > 0 else { add(mu, "τ (s)", tau, "a positive finite lifetime"); continue }
            guard tau <= maxLifetime else { add(mu, "τ (s)", tau, "at most \(maxLifetime) s (an underflowing linewidth?)"); continue }
            guard w > 0 else { add(mu, "ω (rad/s)", w, "> 0 for a mode that scatters (zero or imaginary frequency)"); continue }
        }
        return out
    }

    /// A warning when the RTA κ trace/3 lies outside `plausibleKappa`, naming the mode that carries most of it.
    public static func kappaWarning(_ modes: ModeSet) -> String? {
        var total = 0.0, best = 0.0, bestMode = -1
        for mu in 0..<modes.count where modes.tau[mu].isFinite {
            let v = modes.velocity(mu)
            let k = modes.volumeWeight[mu] * modes.heatCapacity(mu) * v.dot(v) * modes.tau[mu] / 3
            total += k
            if k > best { best = k; bestMode = mu }
        }
        guard !plausibleKappa.contains(total), bestMode >= 0 else { return nil }
        return String(
            format: "κ_RTA = %.3g W m-1 K-1 lies outside the plausible %.0e–%.0e; mode %d (%@) carries %.0f%% of it",
            total, plausibleKappa.lowerBound, plausibleKappa.upperBound, bestMode, label(modes, bestMode),
            100 * best / total)
    }
}
