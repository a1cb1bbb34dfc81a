import Foundation
import Model
import Config

/// What a diffuse sheet does where detailed balance would need t_BA = t_AB W_A/W_B > 1.
public enum SheetOverflow: Sendable, Equatable {
    /// Throw `InterfaceKernelError.transmissivityTooLarge`.
    case reject
    /// Lower t_AB in that bin to W_B/W_A, so t_BA = 1 (and record it in the description).
    case clamp
}

extension InterfaceKernel {
    /// Default DMM/sheet frequency-bin width (THz). On the 8³ SW sample data, bins much narrower than the q-mesh's
    /// frequency spacing leave most Si bins without Ge partners (and vice versa), so G is set by the bins, not the
    /// physics (docs/physics.md §7.3); 0.5 THz keeps ~10–40 modes per bin and side there. Always reported with the kernel.
    public static let defaultBinWidthTHz = InterfaceDefaults.binWidthTHz

    /// Diffuse sheet (validation kernel): in each frequency bin b, energy arriving from A is transmitted with
    /// fraction t_AB(b) = `transmissivity` and re-emitted into B Lambertian in energy (∝ ρC|v·n| of each outgoing mode
    /// of the bin); the rest is reflected Lambertian into A within the bin. t_BA(b) = t_AB W_A(b)/W_B(b) follows from
    /// detailed balance, W_i(b) = Σ_{arriving μ∈i, bin b} ρ C |v·n|. A bin with no arriving modes on B (W_B = 0)
    /// cannot receive: total reflection there. For identical media t_BA = t_AB.
    /// - Parameters: transmissivity t_AB ∈ [0, 1]; binWidth in THz (nil: one bin, right for gray media).
    public static func diffuseSheet(
        modesA: ModeSet, modesB: ModeSet, normal: Vector3, transmissivity t: Double,
        binWidth: Double? = defaultBinWidthTHz, overflow: SheetOverflow = .reject
    ) throws -> InterfaceKernel {
        guard t >= 0 && t <= 1 else { throw InterfaceKernelError.invalidParameter("transmissivity \(t) outside [0, 1]") }
        var clamped = 0
        let k = try binnedDiffuse(modesA: modesA, modesB: modesB, normal: normal, binWidth: binWidth) { bin, wa, wb in
            guard wa > 0 && wb > 0 else { return 0 }
            let tBA = t * wa / wb
            if tBA > 1 + 1e-12 {
                if overflow == .reject {
                    throw InterfaceKernelError.transmissivityTooLarge(bin: bin, frequencyTHz: FrequencyBinning(width: binWidth).centreTHz(bin), tBA: tBA)
                }
                clamped += 1
                return wb / wa
            }
            return t
        }
        var kernel = k
        kernel.name = "diffuse-sheet"
        kernel.description =
            "diffuse sheet, Lambertian in energy per frequency bin; t_AB = \(t); t_BA(b) = t_AB W_A(b)/W_B(b) (detailed balance); "
            + binText(binWidth) + "; normal \(fmt(normal))" + (clamped > 0 ? "; t_AB lowered to W_B/W_A in \(clamped) bins (t_BA would exceed 1)" : "")
        if clamped > 0 { kernel.warnings.append("diffuse sheet: t_AB clamped to W_B/W_A in \(clamped) frequency bins") }
        return kernel
    }

    /// Diffuse mismatch model with mode resolution (docs/physics.md §7.3): per frequency bin b,
    /// t_AB(b) = W_B(b)/(W_A(b) + W_B(b)), t_BA = 1 − t_AB, re-emission Lambertian in energy within the bin on the
    /// receiving side. Each mode belongs to exactly one bin, which makes detailed balance exact (the smeared form is not).
    /// Above the highest frequency of one side the bins hold modes of the other side only: total reflection.
    /// - Parameter binWidth: THz (default `defaultBinWidthTHz`); recorded in the kernel.
    public static func diffuseMismatch(
        modesA: ModeSet, modesB: ModeSet, normal: Vector3,
        binWidth: Double = defaultBinWidthTHz
    ) throws -> InterfaceKernel {
        guard binWidth > 0 else { throw InterfaceKernelError.invalidParameter("bin width \(binWidth) THz must be positive") }
        var k = try binnedDiffuse(modesA: modesA, modesB: modesB, normal: normal, binWidth: binWidth) { _, wa, wb in
            wa + wb > 0 ? wb / (wa + wb) : 0
        }
        k.name = "dmm"
        k.description =
            "diffuse mismatch model: t_AB(b) = W_B/(W_A+W_B) per frequency bin, W = sum of rho*C*|v.n| (W m^-2 K^-1) over arriving modes; Lambertian re-emission in energy within the bin; "
            + binText(binWidth) + "; normal \(fmt(normal))"
        return k
    }

    /// The shared construction: per bin, Φ_AB[ν, μ] = t_AB w_μ w_ν / W_B⁺ and Φ_BA[κ, ν'] = t_BA w_ν' w_κ / W_A⁻ with
    /// t_BA = t_AB W_A/W_B; the reflections are what remains, Lambertian within the bin (FluxPlan step 3).
    static func binnedDiffuse(
        modesA: ModeSet, modesB: ModeSet, normal: Vector3, binWidth: Double?,
        tAB: (Int, Double, Double) throws -> Double
    ) throws -> InterfaceKernel {
        guard normal.norm > 0 else { throw InterfaceKernelError.invalidParameter("zero normal") }
        let n = normal.normalized, binning = FrequencyBinning(width: binWidth)
        var plan = FluxPlan(
            a: KernelSide(modes: modesA, normal: n, sign: 1, binning: binning),
            b: KernelSide(modes: modesB, normal: n, sign: -1, binning: binning))
        let wa = plan.a.binFlux(arriving: true), wb = plan.b.binFlux(arriving: true)
        let outA = plan.a.binFlux(arriving: false), outB = plan.b.binFlux(arriving: false)
        for bin in Set(wa.keys).union(wb.keys).sorted() {
            let xa = wa[bin] ?? 0, xb = wb[bin] ?? 0
            let t = try tAB(bin, xa, xb)
            guard t > 0, xa > 0, xb > 0 else { continue }
            let tBA = t * xa / xb
            if let ob = outB[bin], ob > 0 {
                for mu in plan.a.arrivingByBin[bin] ?? [] {
                    for nu in plan.b.outgoingByBin[bin] ?? [] { plan.add(\.ab, row: nu, col: mu, flux: t * plan.a.w[mu] * plan.b.w[nu] / ob) }
                }
            }
            if let oa = outA[bin], oa > 0 {
                for nu in plan.b.arrivingByBin[bin] ?? [] {
                    for k in plan.a.outgoingByBin[bin] ?? [] { plan.add(\.ba, row: k, col: nu, flux: tBA * plan.b.w[nu] * plan.a.w[k] / oa) }
                }
            }
        }
        plan.capBudgets()
        plan.balanceTransmission()
        plan.completeReflections(specular: false)
        return plan.kernel(name: "", description: "", binWidth: binWidth)
    }

    static func binText(_ w: Double?) -> String { w.map { "frequency bins of \($0) THz" } ?? "one frequency bin" }
    static func fmt(_ v: Vector3) -> String { String(format: "(%.6g, %.6g, %.6g)", v.x, v.y, v.z) }
}
