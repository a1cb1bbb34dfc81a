import Foundation
import Model
import Config

/// Scalar acoustic energy transmissivity t = 4 Z1 Z2 cosθ1 cosθ2 / (Z1 cosθ2 + Z2 cosθ1)² (docs/physics.md §7.4).
@inlinable public func acousticTransmissivity(z1: Double, z2: Double, cos1: Double, cos2: Double) -> Double {
    let d = z1 * cos2 + z2 * cos1
    return d > 0 ? 4 * z1 * z2 * cos1 * cos2 / (d * d) : 0
}

extension InterfaceKernel {
    /// Acoustic mismatch model, specular (docs/physics.md §7.4): ω and q∥ conserved, refraction by Snell's law
    /// (sinθ2/c2 = sinθ1/c1, through q∥ = ω sinθ/c), no mode conversion (same branch index), total reflection past the
    /// critical angle, reflection into the specular partner, energy transmissivity
    /// t = 4Z1Z2cosθ1cosθ2/(Z1cosθ2 + Z2cosθ1)² with Z = ρ_mass c.
    ///
    /// Discrete mode sets rarely hold the refracted state: it is shared between the `neighbours` nearest outgoing modes
    /// of the same frequency bin and branch in q∥ (weights ∝ 1/d²), each with the t of its own speed. The proposals of
    /// both sides are averaged with their time reverses (reciprocity), capped to the equilibrium budgets, balanced per
    /// bin, and the remainder of each arriving mode is reflected to its mirror partner (then Lambertian within the bin
    /// for what the partner cannot take), so (i)–(iv) hold to round-off; see FluxPlan.
    public static func acousticMismatch(
        modesA: ModeSet, modesB: ModeSet, normal: Vector3,
        parameters p: AcousticMismatchParameters = .init()
    ) throws -> InterfaceKernel {
        try p.validate()
        guard normal.norm > 0 else { throw InterfaceKernelError.invalidParameter("zero normal") }
        let frame = InPlaneFrame(normal: normal)
        let binning = FrequencyBinning(width: p.binWidth)
        let a = KernelSide(modes: modesA, normal: frame.n, sign: 1, binning: binning)
        let b = KernelSide(modes: modesB, normal: frame.n, sign: -1, binning: binning)
        let ta = WavevectorTable(side: a, frame: frame), tb = WavevectorTable(side: b, frame: frame)
        var asm = CoherentAssembly(a: a, b: b)
        for (from, to, fromA) in [(ta, tb, true), (tb, ta, false)] {
            for mu in from.side.arriving where from.side.w[mu] > 0 {
                for (nu, t) in snellTargets(
                    mu, from: from, to: to, rhoFrom: fromA ? p.massDensityA : p.massDensityB,
                    rhoTo: fromA ? p.massDensityB : p.massDensityA, p: p)
                {
                    asm.plan.add(fromA ? \.ab : \.ba, row: nu, col: mu, flux: from.side.w[mu] * t)
                }
            }
        }
        let desc =
            String(
                format: "acoustic mismatch model (specular, Snell, no mode conversion): rho_A = %.6g kg m^-3, rho_B = %.6g kg m^-3, Z = rho*|v|; "
                    + "refracted state shared by %d nearest modes within %.3g |q| in q_par (q = omega v/|v|^2); ", p.massDensityA, p.massDensityB, p.neighbours,
                p.matchTolerance)
            + binText(p.binWidth) + "; normal \(fmt(frame.n))"
        return asm.finish(name: "amm", description: desc, binWidth: p.binWidth, warnings: [])
    }

    /// The refracted state of arriving mode μ on the other side: (mode, fraction of μ's energy) pairs whose fractions
    /// sum to the Snell/impedance transmissivity (0 past the critical angle).
    static func snellTargets(
        _ mu: Int, from: WavevectorTable, to: WavevectorTable, rhoFrom: Double, rhoTo: Double,
        p: AcousticMismatchParameters
    ) -> [(Int, Double)] {
        let s = from.side
        let c1 = from.speed[mu]
        guard c1 > 0 else { return [] }
        let omega = s.modes.omega[mu]
        let cos1 = abs(s.vn[mu]) / c1
        let qpar = (from.qx[mu] * from.qx[mu] + from.qy[mu] * from.qy[mu]).squareRoot()
        let group = WavevectorTable.Group(bin: s.bin[mu], branch: s.modes.branch[mu])
        // Only states that propagate at this q∥ (sinθ2 = q∥ c2/ω < 1) can carry the refracted wave.
        let valid = (to.outgoing[group] ?? []).filter { qpar * to.speed[$0] < omega }
        let near = to.interpolate(
            x: from.qx[mu], y: from.qy[mu], among: valid, neighbours: p.neighbours,
            maxDistance: p.matchTolerance * from.qmag[mu])
        return near.map { nu, weight in
            let sin2 = qpar * to.speed[nu] / omega
            let cos2 = (max(0, 1 - sin2 * sin2)).squareRoot()
            let t = acousticTransmissivity(z1: rhoFrom * c1, z2: rhoTo * to.speed[nu], cos1: cos1, cos2: cos2)
            return (nu, weight * t)
        }
    }
}

extension AcousticMismatchParameters {
    func validate() throws {
        guard massDensityA > 0, massDensityB > 0 else { throw InterfaceKernelError.invalidParameter("mass densities must be positive (kg m^-3)") }
        guard binWidth.map({ $0 > 0 }) ?? true else { throw InterfaceKernelError.invalidParameter("bin width must be positive (THz)") }
        guard matchTolerance > 0, neighbours >= 1 else { throw InterfaceKernelError.invalidParameter("match tolerance and neighbour count must be positive") }
    }
}
