import Foundation
import Model
import Config

public struct InvariantViolation: Error, CustomStringConvertible {
    public let description: String
}

/// The checks of an `InvariantPolicy` on one system's vectors, with mode and node named in every message.
struct InvariantChecker {
    let system: TransportSystem
    let policy: InvariantPolicy

    /// The first non-finite entry of a volume vector, named by region, mode and node. Vectors hold this process's
    /// modes: the lowest process that finds one names it to all, so every process stops alike.
    func nonFinite(_ x: [Double], what: String) -> String? {
        let comm = system.regions[0].comm
        let local = x.firstIndex { !$0.isFinite }
        var found = [Double](repeating: 0, count: comm.size)
        if local != nil { found[comm.rank] = 1 }
        if comm.size > 1 { comm.sum(&found) }
        guard let first = found.firstIndex(where: { $0 > 0 }) else { return nil }
        var place = [0.0, 0.0, 0.0, 0.0] // region, mode, node, value (NaN travels as a flag)
        if first == comm.rank, let i = local {
            let (r, k) = system.volumeLayout.locate(i)
            let t = system.regions[r]
            place = [
                Double(r), Double(t.owned.lowerBound + k / t.nodeCount), Double(k % t.nodeCount),
                x[i].isNaN ? 0 : (x[i] > 0 ? 1 : -1)
            ]
        }
        if comm.size > 1 { comm.sum(&place) }
        let r = Int(place[0]), value = place[3] == 0 ? "nan" : (place[3] > 0 ? "inf" : "-inf")
        return "\(what) is \(value) at \(describe(region: r, mode: Int(place[1]))), \(describe(region: r, node: Int(place[2])))"
    }

    /// The closure is scaled by the gross power moved as well as the net (`EventBalance.gross`): a drive with no net
    /// power has round-off for every signed term.
    func balance(_ b: EventBalance) -> String? {
        let c = b.closure
        guard !(abs(c) <= policy.balanceTolerance) else { return nil }
        return String(
            format:
                "energy balance of event %d not closed: injected %.6g W (volume %.6g, boundary %.6g), scattered %.6g W, left %.6g W; relative error %.3g exceeds %.3g",
            b.event, b.injectedVolume + b.injectedBoundary, b.injectedVolume, b.injectedBoundary, b.scattered,
            b.leaving.orderedSum, c, policy.balanceTolerance)
    }

    /// What one event scattered is what the next one receives: a collision operator that loses or makes energy
    /// (an ingest run with the energy projection switched off, say) shows up here. `gross` is Σ|power| of what the
    /// previous event scattered: a gradient drive scatters no net power, and what the next event receives is
    /// round-off in net and gross alike, so only the scattering side gives the error a scale.
    func conservation(scattered: Double, received: Double, event m: Int, gross: Double) -> String? {
        let err = (received - scattered) / max(abs(scattered), gross, 1e-300)
        guard !(abs(err) <= policy.balanceTolerance) else { return nil }
        return String(
            format:
                "collisions do not conserve energy: event %d scattered %.6g W, event %d receives %.6g W (relative error %.3g exceeds %.3g); check the material's scattering matrix (pbte-pipeline inspect)",
            m - 1, scattered, m, received, err, policy.balanceTolerance)
    }

    /// Absolute temperatures must stay positive; with heating drives only, ΔT must stay (nearly) non-negative.
    func temperature(_ acc: [Double], after what: String) -> String? {
        var lowest = (value: Double.infinity, region: 0, node: 0), highest = -Double.infinity
        for (r, t) in system.regions.enumerated() {
            let dt = system.volumeLayout.withPart(of: acc, r) { t.nodeTemperature(view: $0) }
            for n in dt.indices {
                if dt[n] < lowest.value { lowest = (dt[n], r, n) }
                highest = max(highest, dt[n])
            }
            let t0 = t.modes.temperature
            if let n = dt.indices.first(where: { t0 + dt[$0] < 0 }) {
                return String(
                    format:
                        "absolute temperature negative after %@: ΔT = %.4g K on T0 = %.4g K at %@: the drive is far beyond the linear regime (lower the source power or wall temperatures)",
                    what, dt[n], t0, describe(region: r, node: n))
            }
        }
        guard policy.drivesNonnegative, highest > 0, lowest.value < -policy.undershoot * highest else { return nil }
        return String(
            format:
                "ΔT falls to %.4g K at %@ after %@ (maximum %.4g K) although every source and wall heats: the event series is diverging (try [events] damping, docs/physics.md §4.2) or the mesh is too coarse for the source",
            lowest.value, describe(region: lowest.region, node: lowest.node), what, highest)
    }

    func describe(region r: Int, mode mu: Int) -> String {
        let t = system.regions[r], m = t.modes
        let where_ = system.regions.count > 1 ? "region \(r) (\(t.material.name)) " : ""
        return String(
            format: "%@mode %d (q-point %d, branch %d, %.4g THz)", where_, mu, Int(m.qIndex[mu]), Int(m.branch[mu]),
            m.omega[mu] / (2 * Double.pi) / 1e12)
    }

    func describe(region r: Int, node n: Int) -> String {
        let p = system.regions[r].mesh.mesh.node(n)
        return String(format: "node %d at (%.4g, %.4g, %.4g) nm", n, p.x * 1e9, p.y * 1e9, p.z * 1e9)
    }
}
