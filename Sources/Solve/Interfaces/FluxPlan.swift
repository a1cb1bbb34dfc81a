import Foundation
import Model
import Config

/// An interface kernel under construction, held as equilibrium energy fluxes Φ[out, in] (W m⁻² K⁻¹ per unit ΔT):
/// Φ = K[out, in]·w_in. In this form the required properties are marginal conditions — column sums w_in
/// (conservation), row sums w_out (equilibrium), equal per-bin totals of the two transmission blocks (detailed
/// balance) — so a physical proposal can be made exact by a few steps that only lower fluxes and then fill the
/// remaining reflection budget:
///  1. `capBudgets`: no arriving mode sends more than w_in, no outgoing mode receives more than w_out;
///  2. `balanceTransmission`: per bin, the larger of P_AB, P_BA is scaled down to the smaller;
///  3. `completeReflections`: what each arriving mode has left goes back into its own side, to its specular partner
///     first (as far as the partner's budget allows), then Lambertian in the remaining budgets of its bin.
/// Step 3 is exact because, per bin, the left-over supply equals the left-over demand once P_AB = P_BA and the
/// mode set carries no net equilibrium flux (Σ_in w = Σ_out w per bin).
struct FluxPlan {
    struct Entry { var row: Int32; var col: Int32; var flux: Double }
    let a: KernelSide, b: KernelSide
    var ab = [Entry](), ba = [Entry](), aa = [Entry](), bb = [Entry]()
    var warnings = [String]()

    init(a: KernelSide, b: KernelSide) { self.a = a; self.b = b }

    mutating func add(_ block: WritableKeyPath<FluxPlan, [Entry]>, row: Int, col: Int, flux: Double) {
        guard flux > 0 else { return }
        self[keyPath: block].append(Entry(row: Int32(row), col: Int32(col), flux: flux))
    }

    static func sums(_ entries: [Entry], count: Int, byRow: Bool, into s: inout [Double]) {
        if s.count != count { s = [Double](repeating: 0, count: count) }
        for e in entries { s[Int(byRow ? e.row : e.col)] += e.flux }
    }

    static func scale(_ entries: inout [Entry], byRow: Bool, factor: [Double]) {
        for i in entries.indices {
            let f = factor[Int(byRow ? entries[i].row : entries[i].col)]
            if f != 1 { entries[i].flux *= f }
        }
    }

    /// Step 1: scale down columns whose total exceeds w_in, then rows whose total exceeds w_out.
    mutating func capBudgets() {
        func factors(_ s: [Double], _ w: [Double]) -> [Double] {
            zip(s, w).map { $0 > $1 ? ($1 > 0 ? $1 / $0 : 0) : 1 }
        }
        var s = [Double]()
        // Columns: A-arriving modes feed ab and aa; B-arriving modes feed ba and bb.
        s = []; Self.sums(ab, count: a.modes.count, byRow: false, into: &s); Self.sums(aa, count: a.modes.count, byRow: false, into: &s)
        var f = factors(s, a.w); Self.scale(&ab, byRow: false, factor: f); Self.scale(&aa, byRow: false, factor: f)
        s = []; Self.sums(ba, count: b.modes.count, byRow: false, into: &s); Self.sums(bb, count: b.modes.count, byRow: false, into: &s)
        f = factors(s, b.w); Self.scale(&ba, byRow: false, factor: f); Self.scale(&bb, byRow: false, factor: f)
        // Rows: A-outgoing modes receive from ba and aa; B-outgoing from ab and bb.
        s = []; Self.sums(ba, count: a.modes.count, byRow: true, into: &s); Self.sums(aa, count: a.modes.count, byRow: true, into: &s)
        f = factors(s, a.w); Self.scale(&ba, byRow: true, factor: f); Self.scale(&aa, byRow: true, factor: f)
        s = []; Self.sums(ab, count: b.modes.count, byRow: true, into: &s); Self.sums(bb, count: b.modes.count, byRow: true, into: &s)
        f = factors(s, b.w); Self.scale(&ab, byRow: true, factor: f); Self.scale(&bb, byRow: true, factor: f)
    }

    /// Step 2: per frequency bin (of the emitting mode), equal transmitted powers both ways.
    mutating func balanceTransmission() {
        var pAB = [Int: Double](), pBA = [Int: Double]()
        for e in ab { pAB[a.bin[Int(e.col)], default: 0] += e.flux }
        for e in ba { pBA[b.bin[Int(e.col)], default: 0] += e.flux }
        var fAB = [Int: Double](), fBA = [Int: Double]()
        for k in Set(pAB.keys).union(pBA.keys) {
            let x = pAB[k] ?? 0, y = pBA[k] ?? 0
            if x > y { fAB[k] = x > 0 ? y / x : 0 } else if y > x { fBA[k] = y > 0 ? x / y : 0 }
        }
        for i in ab.indices { if let f = fAB[a.bin[Int(ab[i].col)]] { ab[i].flux *= f } }
        for i in ba.indices { if let f = fBA[b.bin[Int(ba[i].col)]] { ba[i].flux *= f } }
    }

    /// Step 3 for both sides. `specular`: reflection goes to the mirror partner first; otherwise it is Lambertian
    /// in energy within the bin (diffuse kernels).
    mutating func completeReflections(specular: Bool) {
        completeReflection(sideA: true, specular: specular)
        completeReflection(sideA: false, specular: specular)
    }

    private mutating func completeReflection(sideA: Bool, specular: Bool) {
        let side = sideA ? a : b
        let n = side.modes.count
        var out = [Double](), inn = [Double]()
        if sideA {
            Self.sums(ab, count: n, byRow: false, into: &out); Self.sums(aa, count: n, byRow: false, into: &out)
            Self.sums(ba, count: n, byRow: true, into: &inn); Self.sums(aa, count: n, byRow: true, into: &inn)
        } else {
            Self.sums(ba, count: n, byRow: false, into: &out); Self.sums(bb, count: n, byRow: false, into: &out)
            Self.sums(ab, count: n, byRow: true, into: &inn); Self.sums(bb, count: n, byRow: true, into: &inn)
        }
        var supply = [Double](repeating: 0, count: n), demand = supply
        for mu in side.arriving { supply[mu] = max(0, side.w[mu] - out[mu]) }
        for k in side.outgoing { demand[k] = max(0, side.w[k] - inn[k]) }
        var added = [Entry]()
        if specular {
            // Specular first: each arriving mode fills its mirror partner's budget, then the next-nearest mirrors'
            // (real mode sets have no exact mirror for degenerate modes). Modes go in ascending w so that small modes
            // are served by small modes and the round-off of the bin's large fluxes ends up on large modes.
            for (bin, arrivals) in side.arrivingByBin {
                let outs = side.outgoingByBin[bin] ?? []
                for mu in arrivals.sorted(by: { (side.w[$0], $0) < (side.w[$1], $1) }) where supply[mu] > 0 {
                    let v = side.modes.velocity(mu)
                    let target = v - (2 * side.vn[mu]) * side.normal
                    var order = outs.filter { demand[$0] > 0 }
                    let br = side.modes.branch[mu]
                    func key(_ k: Int) -> (Int, Double, Int) {
                        (side.modes.branch[k] == br ? 0 : 1, (side.modes.velocity(k) - target).norm, k)
                    }
                    order.sort { key($0) < key($1) }
                    for k in order {
                        let f = min(supply[mu], demand[k])
                        added.append(Entry(row: Int32(k), col: Int32(mu), flux: f))
                        supply[mu] -= f; demand[k] -= f
                        if supply[mu] <= 1e-15 * side.w[mu] { break }
                    }
                }
            }
        }
        // Residuals below round-off of a mode's own flux are dropped: they would only add dense, meaningless entries.
        let floor = 1e-14
        for (bin, arrivals) in side.arrivingByBin {
            let src = arrivals.filter { supply[$0] > floor * side.w[$0] }
            guard !src.isEmpty else { continue }
            let outs = side.outgoingByBin[bin] ?? []
            var dst = outs.filter { demand[$0] > floor * side.w[$0] }
            var weights = dst.map { demand[$0] }
            var total = weights.reduce(0, +)
            let supplyTotal = src.reduce(0) { $0 + supply[$1] }
            if total <= 1e-12 * supplyTotal {
                // No budget left: the mode set itself carries a net equilibrium flux in this bin. Conserve energy
                // anyway (Lambertian over the bin); `check` reports the equilibrium error this leaves.
                dst = outs.filter { side.w[$0] > 0 }
                weights = dst.map { side.w[$0] }
                total = weights.reduce(0, +)
                let binFlux = arrivals.reduce(0) { $0 + side.w[$1] }
                if supplyTotal > 1e-12 * binFlux {
                    warnings.append(
                        String(
                            format: "side %@, bin %d: no reflection budget left for %.3e W m^-2 K^-1 (net equilibrium flux of the mode set in this bin)",
                            sideA ? "A" : "B", bin, supplyTotal))
                }
            }
            guard total > 0 else { continue }
            for mu in src {
                for (k, d) in zip(dst, weights) { added.append(Entry(row: Int32(k), col: Int32(mu), flux: supply[mu] * d / total)) }
            }
        }
        // Round-off repair: per bin, supply and demand agree only to round-off of the bin's total flux, which can be
        // large next to a small mode's own w. An outgoing mode short by more than round-off of its own w receives the
        // deficit from all arriving modes of the bin in proportion to w (round-off of the bin for every column); an
        // excess is taken off its reflection entries in proportion.
        var received = inn, addedRow = [Double](repeating: 0, count: n)
        for e in added { received[Int(e.row)] += e.flux; addedRow[Int(e.row)] += e.flux }
        var factor = [Double](repeating: 1, count: n)
        var binTotal = [Int: Double]()
        for (bin, list) in side.arrivingByBin { binTotal[bin] = list.reduce(0) { $0 + side.w[$1] } }
        for k in side.outgoing {
            let delta = side.w[k] - received[k]
            guard abs(delta) > 1e-13 * side.w[k] else { continue }
            if delta > 0, let total = binTotal[side.bin[k]], total > 0 {
                for mu in side.arrivingByBin[side.bin[k]] ?? [] where side.w[mu] > 0 {
                    added.append(Entry(row: Int32(k), col: Int32(mu), flux: delta * side.w[mu] / total))
                }
            } else if delta < 0 && addedRow[k] + delta >= 0 && addedRow[k] > 0 {
                factor[k] = (addedRow[k] + delta) / addedRow[k]
            }
        }
        for i in added.indices where factor[Int(added[i].row)] != 1 { added[i].flux *= factor[Int(added[i].row)] }
        if sideA { aa += added } else { bb += added }
    }

    /// Fractions K = Φ/w_in as the four sparse matrices. An arriving mode with w = 0 (no equilibrium flux, e.g. ω = 0)
    /// cannot be described by fluxes; its column is a specular reflection (fraction 1), which conserves its energy
    /// and does not touch equilibrium or detailed balance.
    func kernel(name: String, description: String, binWidth: Double?) -> InterfaceKernel {
        func matrix(_ e: [Entry], rows: Int, colSide: KernelSide, extra: [(Int, Int, Double)]) -> SparseMatrix {
            var t = e.compactMap { x -> (Int, Int, Double)? in
                let w = colSide.w[Int(x.col)]
                return w > 0 ? (Int(x.row), Int(x.col), x.flux / w) : nil
            }
            t += extra
            return SparseMatrix(rows: rows, columns: colSide.modes.count, triplets: t)
        }
        func zeroWeight(_ s: KernelSide) -> [(Int, Int, Double)] {
            s.arriving.filter { s.w[$0] == 0 }.compactMap { mu in
                let v = s.modes.velocity(mu)
                let target = v - (2 * s.vn[mu]) * s.normal
                guard let k = s.mirror(mu) ?? s.nearestVelocity(target, among: s.outgoing) else { return nil }
                return (k, mu, 1.0)
            }
        }
        let na = a.modes.count, nb = b.modes.count
        return InterfaceKernel(
            name: name, description: description,
            transmitAB: matrix(ab, rows: nb, colSide: a, extra: []),
            transmitBA: matrix(ba, rows: na, colSide: b, extra: []),
            reflectA: matrix(aa, rows: na, colSide: a, extra: zeroWeight(a)),
            reflectB: matrix(bb, rows: nb, colSide: b, extra: zeroWeight(b)),
            normal: a.normal, binWidth: binWidth, warnings: Array(Set(warnings)).sorted())
    }
}
