/// What the force constants say about each mode of a mode set: its polarisation vector and, with fc3, its mode
/// Grüneisen parameter and tensor — the data the Strain Mismatch Model's coupling is built from (docs/smm.md §7).
public struct ModeHarmonics: Sendable, Equatable {
    public var forceConstants: ForceConstants
    /// e_{κα}(μ) per mode μ and component c = 3κ + α, re/im interleaved at (μ·nb + c)·2; phonopy's phase convention.
    public var eigenvectors: [Double]
    /// γ_μ = tr γ_μ/3 under uniform strain, and the full tensor (μ·9 + 3k + l); nil without fc3.
    public var gruneisen: [Double]?
    public var gruneisenTensor: [Double]?
    /// max_μ |f(fc2) − f(mode set)|, THz: how well the force constants describe the mode data.
    public var largestFrequencyDeviation: Double

    public init(
        forceConstants: ForceConstants, eigenvectors: [Double], gruneisen: [Double]?, gruneisenTensor: [Double]?,
        largestFrequencyDeviation: Double
    ) {
        self.forceConstants = forceConstants; self.eigenvectors = eigenvectors; self.gruneisen = gruneisen
        self.gruneisenTensor = gruneisenTensor; self.largestFrequencyDeviation = largestFrequencyDeviation
    }

    /// Σ C_μ γ_μ / Σ C_μ (C_μ per unit volume): the Grüneisen parameter of the thermal expansion; nil without fc3.
    public func meanGruneisen(_ modes: ModeSet) -> Double? {
        guard let g = gruneisen, g.count == modes.count else { return nil }
        var num = 0.0, den = 0.0
        for mu in 0..<modes.count { let c = modes.volumeWeight[mu] * modes.heatCapacity(mu); num += c * g[mu]; den += c }
        return den > 0 ? num / den : nil
    }

    /// Diagonalises D(q) at every q-point of `modes` (mode μ = q·nb + branch, branches ascending in frequency, as
    /// phonopy, phono3py and d3q order them) and refuses force constants whose frequencies differ from the mode set's
    /// by more than `tolerance` (THz, plus 1e-5 relative): they would describe another crystal or another mesh.
    public static func compute(
        _ fc: ForceConstants, modes: ModeSet, branchCount nb: Int,
        tolerance: Double = 1e-3
    ) throws -> ModeHarmonics {
        guard nb == fc.branchCount, modes.count % nb == 0 else {
            throw ForceConstantsError(message: "the force constants have \(fc.branchCount) branches (\(fc.primitiveCount) atoms), the mode data \(nb)")
        }
        let coupling = fc.fc3 == nil ? nil : try StrainCoupling(fc)
        let nq = modes.count / nb
        var vectors = [Double](repeating: 0, count: modes.count * nb * 2)
        var gamma: [Double]? = coupling == nil ? nil : [Double](repeating: 0, count: modes.count)
        var tensor: [Double]? = coupling == nil ? nil : [Double](repeating: 0, count: modes.count * 9)
        var worst = 0.0
        for iq in 0..<nq {
            let mu0 = iq * nb
            let q = fc.reducedWavevector(cartesianPerMetre: Vector3(modes.qx[mu0], modes.qy[mu0], modes.qz[mu0]))
            let ph: HarmonicPhonons
            if let coupling {
                let g = coupling.gruneisen(reduced: q)
                ph = g.phonons
                for s in 0..<nb { gamma![mu0 + s] = g.gamma[s]; for kl in 0..<9 { tensor![(mu0 + s) * 9 + kl] = g.tensor[s][kl] } }
            } else {
                ph = fc.phonons(reduced: q)
            }
            let f = ph.frequencies
            for s in 0..<nb {
                let ours = modes.omega[mu0 + s] / (2 * Double.pi * 1e12)
                let d = abs(f[s] - ours)
                worst = max(worst, d)
                if d > tolerance + 1e-5 * abs(ours) {
                    throw ForceConstantsError(
                        message: String(
                            format:
                                "mode %d (q-point %d, branch %d): fc2 gives %.6f THz, the mode data %.6f THz; the force constants do not describe these modes (another crystal, lattice constant or branch order)",
                            mu0 + s, iq, s, f[s], ours))
                }
                for c in 0..<nb {
                    vectors[((mu0 + s) * nb + c) * 2] = ph.eigen.re[c * nb + s]
                    vectors[((mu0 + s) * nb + c) * 2 + 1] = ph.eigen.im[c * nb + s]
                }
            }
        }
        return ModeHarmonics(
            forceConstants: fc, eigenvectors: vectors, gruneisen: gamma, gruneisenTensor: tensor,
            largestFrequencyDeviation: worst)
    }
}
