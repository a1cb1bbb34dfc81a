import Foundation
import Model
import Config

/// Frequency bins shared by both sides of an interface: bin k holds ω/2π ∈ [k·width, (k+1)·width) THz. Elastic
/// kernels only connect modes of one bin, which is what makes detailed balance exact per bin (docs/physics.md §7.3: a
/// smeared t(ω) evaluated per mode is not). A nil width puts every mode in bin 0 (gray media have one frequency).
struct FrequencyBinning: Sendable {
    let width: Double? // THz

    func bin(_ omega: Double) -> Int {
        guard let w = width else { return 0 }
        return Int((omega / (2 * Double.pi * 1e12) / w).rounded(.down))
    }
    func centreTHz(_ b: Int) -> Double { width.map { (Double(b) + 0.5) * $0 } ?? 0 }
}

/// One side of the interface as the kernels see it: which modes arrive and leave, their equilibrium energy fluxes
/// w_μ = ρ_μ C_μ |v_μ·n| (W m⁻² K⁻¹ per unit ΔT), and their frequency bins.
struct KernelSide: Sendable {
    let modes: ModeSet
    /// +1 for side A (arrives with v·n > 0), −1 for side B (arrives with v·n < 0).
    let sign: Double
    let normal: Vector3
    let vn: [Double]
    let w: [Double]
    let bin: [Int]
    let arriving: [Int]
    let outgoing: [Int]
    let arrivingByBin: [Int: [Int]]
    let outgoingByBin: [Int: [Int]]

    init(modes: ModeSet, normal: Vector3, sign: Double, binning: FrequencyBinning) {
        self.modes = modes; self.sign = sign; self.normal = normal
        let n = modes.count
        var vn = [Double](repeating: 0, count: n), w = vn, bin = [Int](repeating: 0, count: n)
        var arr = [Int](), out = [Int](), arrBin = [Int: [Int]](), outBin = [Int: [Int]]()
        // Grazing modes neither arrive nor leave: |v·n| below 1e-9 of the set's largest speed is numerical zero
        // (velocities that vanish by symmetry come out of phonopy as 1e-12…1e-30 m/s with random signs), and the
        // sign of such a zero would otherwise decide the direction of a mode whose flux is round-off.
        let vmax = (0..<n).reduce(0.0) { max($0, modes.velocity($1).norm) }
        for mu in 0..<n {
            let v = modes.velocity(mu)
            vn[mu] = v.dot(normal)
            if abs(vn[mu]) <= 1e-9 * vmax { vn[mu] = 0 }
            let x = modes.volumeWeight[mu] * modes.heatCapacity(mu) * abs(vn[mu])
            // A mode whose heat capacity is 0/0 (ω = 0 at Γ) carries no equilibrium flux.
            w[mu] = x.isFinite && x > 0 ? x : 0
            bin[mu] = binning.bin(modes.omega[mu])
            if sign * vn[mu] > 0 {
                arr.append(mu); arrBin[bin[mu], default: []].append(mu)
            } else if sign * vn[mu] < 0 {
                out.append(mu); outBin[bin[mu], default: []].append(mu)
            }
        }
        self.vn = vn; self.w = w; self.bin = bin
        arriving = arr; outgoing = out; arrivingByBin = arrBin; outgoingByBin = outBin
    }

    func isArriving(_ mu: Int) -> Bool { sign * vn[mu] > 0 }
    func isOutgoing(_ mu: Int) -> Bool { sign * vn[mu] < 0 }

    /// Σ w over the arriving (or outgoing) modes of each bin.
    func binFlux(arriving: Bool) -> [Int: Double] {
        var s = [Int: Double]()
        for (b, list) in (arriving ? arrivingByBin : outgoingByBin) { s[b] = list.reduce(0) { $0 + w[$1] } }
        return s
    }

    /// The mode among `candidates` whose velocity is nearest `target` (ties: lowest index, so maps are reproducible).
    /// With `branch`, modes of that branch are preferred: degenerate branches (two TA sheets with equal velocities)
    /// would otherwise all map onto one partner.
    func nearestVelocity(_ target: Vector3, among candidates: [Int], branch: Int32? = nil) -> Int? {
        var best: Int? = nil, bestD = Double.infinity
        let same = branch.map { b in candidates.filter { modes.branch[$0] == b } } ?? []
        for c in same.isEmpty ? candidates : same {
            let d = (modes.velocity(c) - target).norm
            if d < bestD { bestD = d; best = c }
        }
        return best
    }

    /// Specular partner of arriving mode μ: the outgoing mode of the same bin nearest the mirrored velocity
    /// v − 2(v·n)n. Exact on symmetric direction sets; the nearest state otherwise.
    func mirror(_ mu: Int) -> Int? {
        let v = modes.velocity(mu)
        return nearestVelocity(v - (2 * vn[mu]) * normal, among: outgoingByBin[bin[mu]] ?? [], branch: modes.branch[mu])
    }

    /// Time-reversed partner (−v, −q, same ω) of mode μ, searched in the same bin among modes of the opposite
    /// direction.
    func timeReversed(_ mu: Int) -> Int? {
        let list = isArriving(mu) ? outgoingByBin[bin[mu]] : arrivingByBin[bin[mu]]
        return nearestVelocity(-modes.velocity(mu), among: list ?? [], branch: modes.branch[mu])
    }
}
