import Foundation
import Model
import Config

/// The worst violation of each required property of an interface kernel (InterfaceKernel.swift), evaluated on the
/// mode sets it was built for. All numbers are dimensionless; 0 is exact.
public struct KernelCheck: Sendable, CustomStringConvertible {
    /// (i) max over arriving modes of |Σ_out (T + R) − 1|.
    public var conservation: Double
    /// (i) the most negative entry (0 if none).
    public var mostNegative: Double
    /// (ii) max over outgoing modes of |(K w)_κ − w_κ| / w_κ, skipping bins in which the mode sets themselves carry a
    /// net equilibrium flux (see `dataImbalance`): there no elastic kernel can be exact.
    public var equilibrium: Double
    /// (ii) max over all outgoing modes of |(K w)_κ − w_κ| / Σ w, with Σ w the total arriving equilibrium flux.
    public var equilibriumOfTotal: Double
    /// (iii) max over frequency bins of |P_AB − P_BA| / max(P_AB, P_BA), P the power transmitted at equal ΔT.
    public var detailedBalance: Double
    /// (iv) Σ |entries| in rows of modes that do not point into the receiving side or columns of non-arriving modes,
    /// relative to the sum of all entries.
    public var wrongDirection: Double
    /// Max over bins and sides of |Σ_{v·n>0} w − Σ_{v·n<0} w| / Σ w of the bin: the mode sets' own net equilibrium
    /// flux; bins above 1e-13 are skipped by `equilibrium`.
    public var dataImbalance: Double
    public var skippedBins: Int
    /// G_emit = Σ_{μ∈A arriving} w_μ Σ_ν T_AB[ν, μ] (W m⁻² K⁻¹) and the reverse, equal when (iii) holds.
    public var conductanceAB: Double
    public var conductanceBA: Double

    /// The largest of the per-property violations (i)–(iv).
    public var worst: Double { max(conservation, -mostNegative, equilibrium, equilibriumOfTotal, detailedBalance, wrongDirection) }

    public var description: String {
        String(
            format:
                "conservation %.2e, negative %.2e, equilibrium %.2e (per mode; %d data-imbalanced bins skipped), %.2e (of total), detailed balance %.2e, wrong direction %.2e; data imbalance %.2e; G_AB %.6g, G_BA %.6g W m^-2 K^-1",
            conservation, mostNegative, equilibrium, skippedBins, equilibriumOfTotal, detailedBalance, wrongDirection,
            dataImbalance, conductanceAB, conductanceBA)
    }
}

extension InterfaceKernel {
    /// Checks (i)–(iv) on the mode sets the kernel was built for; needs the kernel's `normal`.
    public func check(modesA: ModeSet, modesB: ModeSet) -> KernelCheck {
        guard let n = normal else { preconditionFailure("InterfaceKernel.check needs the kernel's normal; use check(modesA:modesB:normal:)") }
        return check(modesA: modesA, modesB: modesB, normal: n)
    }

    public func check(modesA: ModeSet, modesB: ModeSet, normal n: Vector3) -> KernelCheck {
        let binning = FrequencyBinning(width: binWidth)
        let a = KernelSide(modes: modesA, normal: n.normalized, sign: 1, binning: binning)
        let b = KernelSide(modes: modesB, normal: n.normalized, sign: -1, binning: binning)
        precondition(
            transmitAB.rows == modesB.count && transmitAB.columns == modesA.count
                && transmitBA.rows == modesA.count && transmitBA.columns == modesB.count
                && reflectA.rows == modesA.count && reflectA.columns == modesA.count
                && reflectB.rows == modesB.count && reflectB.columns == modesB.count, "kernel size does not match the mode sets")
        var colA = [Double](repeating: 0, count: modesA.count), colB = [Double](repeating: 0, count: modesB.count)
        var rowA = colA, rowB = colB
        var mostNegative = 0.0, wrong = 0.0, all = 0.0
        var pAB = [Int: Double](), pBA = [Int: Double]()
        // Walks one block: column sums (fractions), received equilibrium flux per row, wrong-direction mass.
        func walk(
            _ m: SparseMatrix, from: KernelSide, to: KernelSide, col: inout [Double], row: inout [Double],
            power: inout [Int: Double]
        ) {
            for i in 0..<m.rows {
                for k in m.rowStart[i]..<m.rowStart[i + 1] {
                    let j = Int(m.columnIndex[k]), v = m.values[k]
                    mostNegative = min(mostNegative, v)
                    all += abs(v)
                    if !from.isArriving(j) || !to.isOutgoing(i) { wrong += abs(v); continue }
                    col[j] += v
                    row[i] += v * from.w[j]
                    power[from.bin[j], default: 0] += v * from.w[j]
                }
            }
        }
        walk(transmitAB, from: a, to: b, col: &colA, row: &rowB, power: &pAB)
        var reflected = [Int: Double]()
        walk(reflectA, from: a, to: a, col: &colA, row: &rowA, power: &reflected)
        walk(transmitBA, from: b, to: a, col: &colB, row: &rowA, power: &pBA)
        walk(reflectB, from: b, to: b, col: &colB, row: &rowB, power: &reflected)
        var conservation = 0.0
        for mu in a.arriving { conservation = max(conservation, abs(colA[mu] - 1)) }
        for mu in b.arriving { conservation = max(conservation, abs(colB[mu] - 1)) }
        // Bins in which a side's own equilibrium flux does not balance (data floor).
        var imbalance = 0.0
        var bad = Set<Int>()
        for s in [a, b] {
            let p = s.binFlux(arriving: true), m = s.binFlux(arriving: false)
            for k in Set(p.keys).union(m.keys) {
                let x = p[k] ?? 0, y = m[k] ?? 0
                let r = max(x, y) > 0 ? abs(x - y) / max(x, y) : 0
                imbalance = max(imbalance, r)
                if r > 1e-13 { bad.insert(k) }
            }
        }
        let total = a.arriving.reduce(0) { $0 + a.w[$1] } + b.arriving.reduce(0) { $0 + b.w[$1] }
        var eq = 0.0, eqTotal = 0.0
        for (s, row) in [(a, rowA), (b, rowB)] {
            for k in s.outgoing {
                let d = abs(row[k] - s.w[k])
                eqTotal = max(eqTotal, total > 0 ? d / total : d)
                if bad.contains(s.bin[k]) { continue }
                eq = max(eq, s.w[k] > 0 ? d / s.w[k] : (d > 0 ? .infinity : 0))
            }
        }
        var db = 0.0
        for k in Set(pAB.keys).union(pBA.keys) {
            let x = pAB[k] ?? 0, y = pBA[k] ?? 0
            if max(x, y) > 0 { db = max(db, abs(x - y) / max(x, y)) }
        }
        return KernelCheck(
            conservation: conservation, mostNegative: mostNegative, equilibrium: eq, equilibriumOfTotal: eqTotal,
            detailedBalance: db, wrongDirection: all > 0 ? wrong / all : 0, dataImbalance: imbalance,
            skippedBins: bad.count, conductanceAB: pAB.values.reduce(0, +), conductanceBA: pBA.values.reduce(0, +))
    }
}

/// Landauer (emitted-temperature) conductance G_emit = Σ_{μ∈A, v·n>0} ρ_μ C_μ |v_μ·n| Σ_ν T_AB[ν, μ]
/// (W m⁻² K⁻¹; docs/physics.md §7.1–7.3), for any kernel: the w-weighted column sums of transmitAB.
public func landauerConductance(_ kernel: InterfaceKernel, modesA: ModeSet) -> Double {
    guard let n = kernel.normal else { preconditionFailure("landauerConductance needs the kernel's normal") }
    let a = KernelSide(modes: modesA, normal: n.normalized, sign: 1, binning: FrequencyBinning(width: nil))
    let m = kernel.transmitAB
    var g = 0.0
    for k in 0..<m.values.count where a.isArriving(Int(m.columnIndex[k])) { g += m.values[k] * a.w[Int(m.columnIndex[k])] }
    return g
}
