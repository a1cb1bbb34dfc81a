import Foundation
import Model

/// How well a collision operator A (ψ basis, s⁻¹) satisfies what the solver relies on.
public struct ScatteringDiagnostics: Sendable {
    /// ‖Σ_μ ħω_μ A_μν‖₂ / ‖Σ_μ |ħω_μ A_μν|‖₂ over unflagged columns (data-schema/scattering-text.md §5).
    public var energyResidual: Double
    /// max_ν |Σ_μ ħω_μ A_μν| / max_μ ħω_μ/τ_μ (docs/physics.md §3.4's per-column test, against the largest rate).
    public var energyResidualMax: Double
    /// ‖A ∂n̄/∂T‖ / ‖diag(A) ∂n̄/∂T‖: how far a uniform temperature rise is from stationary.
    public var temperatureResidual: Double
    /// ‖Ã − Ãᵀ‖_F / ‖Ã‖_F with Ã = S⁻¹AS (0 for detailed balance).
    public var asymmetry: Double
    /// Extreme eigenvalues of G = τM (M = diag(1/τ) − A, τ = 1/A_μμ) and its spectral radius; computed on the
    /// symmetric part of Ã. λ_max = 1 on the energy mode when energy is conserved; λ_min < −1 makes the plain
    /// scattering-event series diverge (docs/physics.md §4.2).
    public var lambdaMin: Double?
    public var lambdaMax: Double?
    public var spectralRadius: Double?
    public var flaggedCount: Int

    /// Modes the operator must leave out: excluded by the mode files, listed as zero modes, or with A_μμ ≤ 0.
    public static func flaggedModes(_ a: PhononCollisionMatrix, excluded: [Bool]) -> [Bool] {
        var f = excluded
        for z in a.zeroModes { f[z] = true }
        for mu in 0..<a.size where !(a[mu, mu] > 0) { f[mu] = true }
        return f
    }

    public static func measure(
        _ a: [Double], size n: Int, modes: ModeSet, flagged: [Bool],
        spectrum: Bool = true
    ) throws -> ScatteringDiagnostics {
        let basis = ScaledBasis(modes: modes, flagged: flagged)
        let kept = basis.kept
        var r = [Double](repeating: 0, count: n), den = r
        var maxRate = 0.0
        for mu in kept {
            let e = Constants.hbar * modes.omega[mu]
            maxRate = max(maxRate, e * a[mu * n + mu])
            for nu in kept {
                let x = e * a[mu * n + nu]
                r[nu] += x; den[nu] += abs(x)
            }
        }
        let rNorm = sqrt(r.reduce(0) { $0 + $1 * $1 }), dNorm = sqrt(den.reduce(0) { $0 + $1 * $1 })
        let rMax = r.reduce(0) { max($0, abs($1)) }

        var t2 = 0.0, d2 = 0.0
        for mu in kept {
            var row = 0.0
            for nu in kept { row += a[mu * n + nu] * dndT(modes, nu) }
            t2 += row * row
            let d = a[mu * n + mu] * dndT(modes, mu)
            d2 += d * d
        }

        let m = kept.count
        var scaled = basis.scaled(a, size: n)
        var asym2 = 0.0, norm2 = 0.0
        for i in 0..<m {
            for j in 0..<m {
                let x = scaled[i * m + j], y = scaled[j * m + i]
                asym2 += (x - y) * (x - y); norm2 += x * x
            }
        }
        var out = ScatteringDiagnostics(
            energyResidual: dNorm > 0 ? rNorm / dNorm : 0,
            energyResidualMax: maxRate > 0 ? rMax / maxRate : 0,
            temperatureResidual: d2 > 0 ? sqrt(t2 / d2) : 0,
            asymmetry: norm2 > 0 ? sqrt(asym2 / norm2) : 0,
            lambdaMin: nil, lambdaMax: nil, spectralRadius: nil,
            flaggedCount: n - m)
        if spectrum && m > 0 {
            // G̃ = I − T^½ sym(Ã) T^½ is similar to τM and symmetric.
            let rt = kept.map { 1 / sqrt(a[$0 * n + $0]) }
            for i in 0..<m {
                for j in i..<m {
                    let v = -0.5 * (scaled[i * m + j] + scaled[j * m + i]) * rt[i] * rt[j] + (i == j ? 1 : 0)
                    scaled[i * m + j] = v; scaled[j * m + i] = v
                }
            }
            let e = try SymmetricEigen(symmetric: scaled, size: m, vectors: false)
            out.lambdaMin = e.values.first; out.lambdaMax = e.values.last
            out.spectralRadius = max(abs(e.values.first!), abs(e.values.last!))
        }
        return out
    }

    static func dndT(_ modes: ModeSet, _ mu: Int) -> Double {
        BoseEinstein.dOccupationdT(omega: modes.omega[mu], temperature: modes.temperature)
    }
}
