import Foundation
import Model
import Store

/// Energy-resolved view of an interface (docs/physics.md §5.5, issue 5): per frequency bin, the energy density the modes
/// of that bin carry beyond their local-equilibrium share, δ_b(r) = Σ_{μ∈b} ρħωψ_μ − C_b ΔT(r), versus distance from
/// the interface on each side, and the decay length ℓ_b of a fit δ_b(d) = A e^{−d/ℓ} + c.
struct DecayLengths {
    /// δ_b at every mesh node (frequency bins × nodes), J m⁻³ per unit drive.
    static func deviation(run: RunFileReader, psi: [[Double]], arrivals: SurfaceArrivals) -> [[Double]] {
        let nb = arrivals.frequencyEdges.count - 1
        var out = [[Double]](repeating: [Double](repeating: .nan, count: run.mesh.nodeCount), count: nb)
        for (r, g) in run.regions.enumerated() {
            let m = g.modes
            let bin = m.omega.map(arrivals.bin)
            var cb = [Double](repeating: 0, count: nb)
            var c = 0.0
            for mu in 0..<m.count {
                let hc = m.volumeWeight[mu] * m.heatCapacity(mu)
                cb[bin[mu]] += hc; c += hc
            }
            for i in 0..<g.nodes {
                var e = [Double](repeating: 0, count: nb), total = 0.0
                for mu in 0..<m.count {
                    let v = m.volumeWeight[mu] * m.energy(mu) * psi[r][mu * g.nodes + i]
                    e[bin[mu]] += v; total += v
                }
                let t = total / c
                for b in 0..<nb { out[b][Int(g.nodeIndex[i])] = e[b] - cb[b] * t }
            }
        }
        return out
    }

    struct Fit { var length: Double; var uncertainty: Double }

    /// Least-squares fit of y = A e^{−d/ℓ} + c: a log-spaced scan of ℓ with A, c linear at each, refined around the
    /// best; the uncertainty is the half-width where the residual sum grows by the residual variance (Δχ² = 1).
    static func fit(distance d: [Double], value y: [Double]) -> Fit? {
        let pts = zip(d, y).filter { $0.0.isFinite && $0.1.isFinite }
        guard pts.count >= 4, let dmax = pts.map({ $0.0 }).max(), dmax > 0 else { return nil }
        let scale = pts.map { abs($0.1) }.max() ?? 0
        guard scale > 0 else { return nil }
        func residual(_ l: Double) -> Double {
            var s11 = 0.0, s1e = 0.0, see = 0.0, sy = 0.0, sye = 0.0, n = 0.0
            for (x, v) in pts { let e = exp(-x / l); s11 += 1; s1e += e; see += e * e; sy += v; sye += v * e; n += 1 }
            let det = see * s11 - s1e * s1e
            guard abs(det) > 1e-300 else { return .infinity }
            let a = (sye * s11 - s1e * sy) / det, c = (see * sy - s1e * sye) / det
            return pts.reduce(0) { $0 + pow($1.1 - a * exp(-$1.0 / l) - c, 2) } / (scale * scale)
        }
        let grid = (0...240).map { dmax * 1e-3 * pow(1e4, Double($0) / 240) }
        let values = grid.map(residual)
        guard let k = values.indices.min(by: { values[$0] < values[$1] }), k > 0, k < grid.count - 1,
            grid[k] <= dmax
        else { return nil } // no decay visible within the side
        let best = values[k]
        let variance = max(best / Double(max(pts.count - 3, 1)), 1e-30)
        var lo = k, hi = k
        while lo > 0 && values[lo] - best < variance { lo -= 1 }
        while hi < grid.count - 1 && values[hi] - best < variance { hi += 1 }
        return Fit(length: grid[k], uncertainty: 0.5 * (grid[hi] - grid[lo]))
    }
}
