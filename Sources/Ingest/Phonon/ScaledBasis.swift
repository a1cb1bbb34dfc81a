import Foundation
import Model

/// The similarity that makes the ψ-basis collision operator symmetric.
///
/// Linearised scattering is symmetric on φ, with ψ = Dφ and D = diag(n̄(n̄+1)): dψ/dt = −Pφ with P = Pᵀ ⪰ 0, so
/// A = P D⁻¹. Hence Ã = D^{-1/2} A D^{1/2} = D^{-1/2} P D^{-1/2} is symmetric; with S = D^{1/2}, Ã = S⁻¹AS acts on
/// f = S⁻¹ψ (phono3py's basis). (The form D^{1/2}AD^{-1/2} sometimes quoted, docs/physics.md §3.3, is symmetric only for the φ-basis
/// operator P D⁻¹ transposed, not for A as defined here: the sample matrices are symmetric under S⁻¹AS to 1e-11 and
/// 26 % asymmetric under SAS⁻¹.) Energy conservation ħωᵀA = 0 and A ∂n̄/∂T = 0 are both P ħω = 0, i.e. Ã u = 0
/// with u = S ħω.
struct ScaledBasis {
    let s: [Double] // √(n̄(n̄+1)) per mode, 0 where flagged
    let kept: [Int]

    init(modes: ModeSet, flagged: [Bool]) {
        kept = (0..<modes.count).filter { !flagged[$0] }
        var s = [Double](repeating: 0, count: modes.count)
        for mu in kept {
            let x = Constants.hbar * modes.omega[mu] / (Constants.kB * modes.temperature)
            s[mu] = 1 / (2 * abs(sinh(x / 2)))
        }
        self.s = s
    }

    /// Ã = S⁻¹ A S on the kept modes (m × m, row-major, m = kept.count).
    func scaled(_ a: [Double], size n: Int) -> [Double] {
        let m = kept.count
        var out = [Double](repeating: 0, count: m * m)
        for (i, mu) in kept.enumerated() {
            for (j, nu) in kept.enumerated() { out[i * m + j] = a[mu * n + nu] * s[nu] / s[mu] }
        }
        return out
    }

    /// A = S Ã S⁻¹ back on all n modes, flagged rows and columns zero.
    func unscaled(_ t: [Double], size n: Int) -> [Double] {
        let m = kept.count
        var out = [Double](repeating: 0, count: n * n)
        for (i, mu) in kept.enumerated() {
            for (j, nu) in kept.enumerated() { out[mu * n + nu] = t[i * m + j] * s[mu] / s[nu] }
        }
        return out
    }

    /// Unit energy vector u ∝ S ħω on the kept modes.
    func energyVector(_ modes: ModeSet) -> [Double] {
        var u = kept.map { s[$0] * modes.omega[$0] }
        let norm = sqrt(u.reduce(0) { $0 + $1 * $1 })
        for i in u.indices { u[i] /= norm }
        return u
    }
}
