import Model
import Config

/// The first-principles phonon–strain vertex of the SMM (docs/smm.md §7): for an incident mode μ and a final state of
/// branch s′ at wavevector q′ (the channel's exact target), the golden-rule amplitude
///   a = Σ_{S = A, B} Σ_kl C^S_kl ε̃^S_kl,   C^S_kl = −e′† ∂D^S/∂ε_kl(q̄) e_μ / (2ω),   q̄ = (q_μ + q′)/2,
/// with ε̃^S the misfit array's strain transformed over half-space S, ∂D^S from material S's fc3 (ions relaxed) and
/// e′ from the receiving material's fc2 at q′. It reduces to ωγ(ê·ê′)Δ̃ for a hydrostatic coupling (the scalar model
/// of §2), and P = |a|²/(|v_z||v′_z|). Both materials' eigenvectors are expressed on the same atomic basis (same
/// structure and atom order — checked), the virtual-crystal assumption every mismatch model across the interface makes.
struct StrainVertex: Sendable {
    let a: StrainCoupling, b: StrainCoupling
    let harmonicsA: ModeHarmonics, harmonicsB: ModeHarmonics
    /// eV Å⁻² amu⁻¹ → (rad/s)².
    static let toAngular: Double = {
        let w = 2 * Double.pi * 1e12 * ForceConstants.terahertzPerRootEigenvalue
        return w * w
    }()

    init(harmonicsA: ModeHarmonics, harmonicsB: ModeHarmonics) throws {
        guard harmonicsA.forceConstants.fc3 != nil, harmonicsB.forceConstants.fc3 != nil else {
            throw InterfaceKernelError.invalidParameter(
                "SMM coupling = \"force-constants\" needs fc3 in both material files (ingest with --fc2, --fc3, --structure)")
        }
        let fa = harmonicsA.forceConstants, fb = harmonicsB.forceConstants
        guard fa.primitiveCount == fb.primitiveCount else {
            throw InterfaceKernelError.invalidParameter(
                "SMM force-constant coupling needs the same atoms per cell on both sides (\(fa.primitiveCount) and \(fb.primitiveCount))")
        }
        for p in 0..<fa.primitiveCount {
            let ra = fa.positions[fa.p2s[p]], rb = fb.positions[fb.p2s[p]]
            let ca = ForceConstants.coordinates(ra, ForceConstants.reciprocal(fa.primitiveLattice))
            let cb = ForceConstants.coordinates(rb, ForceConstants.reciprocal(fb.primitiveLattice))
            guard (ca - cb).norm < 1e-4 else {
                throw InterfaceKernelError.invalidParameter(
                    "SMM force-constant coupling: atom \(p) sits at \(ca) in A's cell and \(cb) in B's; the two structures must share their basis")
            }
        }
        a = try StrainCoupling(fa); b = try StrainCoupling(fb)
        self.harmonicsA = harmonicsA; self.harmonicsB = harmonicsB
    }

    /// Amplitude (rad/s · m) of incident mode `mu` (of side A when `fromA`) with wavevector `qIncident` (1/m) into branch
    /// `branch` of the receiving side at `qFinal` (1/m), for the strain transforms `epsA`, `epsB` (m, row-major 3×3).
    func amplitude(
        mu: Int, fromA: Bool, qIncident: Vector3, omega: Double, qFinal: Vector3, branch: Int, intoB: Bool,
        epsA: (re: [Double], im: [Double]), epsB: (re: [Double], im: [Double])
    ) -> (re: Double, im: Double) {
        let hIn = fromA ? harmonicsA : harmonicsB
        let receiving = intoB ? b.forceConstants : a.forceConstants
        let nb = receiving.branchCount
        let final = receiving.phonons(reduced: receiving.reducedWavevector(cartesianPerMetre: qFinal)).eigen
        let mean = 0.5 * (qIncident + qFinal)
        var total = (re: 0.0, im: 0.0)
        for side in 0..<2 {
            let coupling = side == 0 ? a : b, eps = side == 0 ? epsA : epsB
            let m = coupling.contractedDerivative(
                reduced: coupling.forceConstants.reducedWavevector(cartesianPerMetre: mean),
                strainRe: eps.re, strainIm: eps.im)
            for r in 0..<nb {
                // (M e_μ)_r, then e′†.
                var tr = 0.0, ti = 0.0
                for c in 0..<nb {
                    let vr = hIn.eigenvectors[(mu * nb + c) * 2], vi = hIn.eigenvectors[(mu * nb + c) * 2 + 1]
                    tr += m.re[r * nb + c] * vr - m.im[r * nb + c] * vi
                    ti += m.re[r * nb + c] * vi + m.im[r * nb + c] * vr
                }
                let ur = final.re[r * nb + branch], ui = -final.im[r * nb + branch]
                total.re += ur * tr - ui * ti; total.im += ur * ti + ui * tr
            }
        }
        let s = -Self.toAngular / (2 * omega)
        return (s * total.re, s * total.im)
    }
}
