import Model

/// Bulk thermal conductivity tensors (3×3 row-major, W m⁻¹ K⁻¹) from ingested modes.
public enum KappaCalculator {
    /// κ_RTA = Σ_μ ρ_μ C_μ v_μ ⊗ v_μ τ_μ (excluded modes, τ = ∞, contribute nothing).
    public static func rta(_ modes: ModeSet) -> [Double] { modes.kappaRTA() }

    /// κ from the full operator A (ψ basis, s⁻¹). A steady gradient gives A ψ^(b) = −v_b ∂n̄/∂T ∂_bT; writing
    /// ψ = −ψ̂ ∂T, A ψ̂^(b) = v_b ∂n̄/∂T and κ_ab = Σ ρ ħω v_a ψ̂^(b). Solved in the scaled basis (Ã = S⁻¹AS,
    /// symmetrised) by eigendecomposition, with the pseudo-inverse dropping |λ| ≤ 1e-12·max|λ| (the exact energy
    /// mode after enforcement); all three directions at once, and the result is symmetric.
    public static func lbte(_ a: [Double], size n: Int, modes: ModeSet, flagged: [Bool]) throws -> [Double] {
        let basis = ScaledBasis(modes: modes, flagged: flagged)
        let kept = basis.kept, m = kept.count
        var t = basis.scaled(a, size: n)
        for i in 0..<m {
            for j in (i + 1)..<max(m, i + 1) { let v = 0.5 * (t[i * m + j] + t[j * m + i]); t[i * m + j] = v; t[j * m + i] = v }
        }
        let e = try SymmetricEigen(symmetric: t, size: m, vectors: true)
        let cutoff = 1e-12 * e.values.reduce(0) { max($0, abs($1)) }
        // κ_ab = Σ_k (V_kᵀ S ρħω v_a)(V_kᵀ S⁻¹ v_b ∂n̄/∂T)/λ_k
        var left = [[Double]](repeating: [Double](repeating: 0, count: m), count: 3), right = left
        for (i, mu) in kept.enumerated() {
            let v = [modes.vx[mu], modes.vy[mu], modes.vz[mu]]
            let dn = ScatteringDiagnostics.dndT(modes, mu)
            for c in 0..<3 {
                left[c][i] = basis.s[mu] * modes.volumeWeight[mu] * modes.energy(mu) * v[c]
                right[c][i] = v[c] * dn / basis.s[mu]
            }
        }
        var kappa = [Double](repeating: 0, count: 9)
        e.vectors.withUnsafeBufferPointer { vec in
            for k in 0..<m where abs(e.values[k]) > cutoff {
                var pl = [0.0, 0.0, 0.0], pr = [0.0, 0.0, 0.0]
                let base = k * m
                for i in 0..<m {
                    let x = vec[base + i]
                    for c in 0..<3 { pl[c] += x * left[c][i]; pr[c] += x * right[c][i] }
                }
                for p in 0..<3 { for q in 0..<3 { kappa[3 * p + q] += pl[p] * pr[q] / e.values[k] } }
            }
        }
        return kappa
    }
}
