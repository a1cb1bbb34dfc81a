import Model

/// Turns a collision matrix read from a file into what the solver stores: detailed balance restored, energy
/// conservation optionally enforced, and M = diag(1/τ) − A with τ_μ = 1/A_μμ.
public enum ScatteringOperatorBuilder {
    /// S · ½(Ã + Ãᵀ) · S⁻¹: the nearest operator (Frobenius, in the scaled basis) that obeys detailed balance.
    /// Flagged rows and columns become zero.
    public static func symmetrized(_ a: [Double], size n: Int, modes: ModeSet, flagged: [Bool]) -> [Double] {
        let basis = ScaledBasis(modes: modes, flagged: flagged)
        var t = basis.scaled(a, size: n)
        let m = basis.kept.count
        for i in 0..<m {
            for j in (i + 1)..<max(m, i + 1) {
                let v = 0.5 * (t[i * m + j] + t[j * m + i])
                t[i * m + j] = v; t[j * m + i] = v
            }
        }
        return basis.unscaled(t, size: n)
    }

    /// Projects the energy mode out: Ã′ = QÃQ, Q = 1 − uuᵀ, u = Sħω/|Sħω| (a rank-2 change, the smallest symmetric
    /// correction that makes u a null vector). Then ħωᵀA′ = 0 and A′∂n̄/∂T = 0 exactly and A′ keeps detailed balance;
    /// odd (heat-carrying) deviations are nearly orthogonal to u, so κ moves by ~0.1 % on the 4³ samples.
    /// `a` must already be symmetric in the scaled basis.
    public static func enforcingConservation(_ a: [Double], size n: Int, modes: ModeSet, flagged: [Bool]) -> [Double] {
        let basis = ScaledBasis(modes: modes, flagged: flagged)
        var t = basis.scaled(a, size: n)
        let m = basis.kept.count
        let u = basis.energyVector(modes)
        var w = [Double](repeating: 0, count: m)
        for i in 0..<m { var s = 0.0; for j in 0..<m { s += t[i * m + j] * u[j] }; w[i] = s }
        let c = zip(u, w).reduce(0) { $0 + $1.0 * $1.1 }
        for i in 0..<m {
            for j in 0..<m { t[i * m + j] += -u[i] * w[j] - w[i] * u[j] + c * u[i] * u[j] }
        }
        return basis.unscaled(t, size: n)
    }

    /// M (zero diagonal, s⁻¹; dense, or sparse when fewer than `sparseThreshold` of its entries are nonzero) and
    /// τ_μ = 1/A_μμ (∞ for flagged modes).
    public static func collisionOperator(
        _ a: [Double], size n: Int, flagged: [Bool],
        sparseThreshold: Double = 0.1
    ) -> (CollisionOperator, tau: [Double]) {
        var tau = [Double](repeating: .infinity, count: n)
        var m = [Double](repeating: 0, count: n * n)
        var nonzero = 0
        for mu in 0..<n where !flagged[mu] {
            tau[mu] = 1 / a[mu * n + mu]
            for nu in 0..<n where nu != mu && !flagged[nu] {
                let v = -a[mu * n + nu]
                m[mu * n + nu] = v
                if v != 0 { nonzero += 1 }
            }
        }
        if Double(nonzero) < sparseThreshold * Double(n * n) {
            var start = [Int](repeating: 0, count: n + 1)
            var cols: [Int32] = [], vals: [Double] = []
            cols.reserveCapacity(nonzero); vals.reserveCapacity(nonzero)
            for mu in 0..<n {
                for nu in 0..<n where m[mu * n + nu] != 0 { cols.append(Int32(nu)); vals.append(m[mu * n + nu]) }
                start[mu + 1] = vals.count
            }
            return (.sparse(SparseMatrix(rows: n, columns: n, rowStart: start, columnIndex: cols, values: vals)), tau)
        }
        return (.dense(DenseMatrix(rows: n, columns: n, values: m)), tau)
    }
}
