import Foundation
import Model
import Config

/// The golden-rule diffraction probability of the misfit network (docs/physics.md §7.5, derivation in docs/smm.md).
public enum StrainMismatch {
    /// Per-hit probability of one diffraction channel: incident state with normal wavevector component `qn` (signed
    /// along n, 1/m) and |v_z| = `vz` (m/s) at angular frequency ω; final state of the branch with speed `speed` (m/s)
    /// at in-plane wavevector |q∥ + G_n| = `qparFinal`, travelling along +n (`forward` into B) or −n. Returns 0 for a
    /// closed (evanescent) channel.
    ///   P = ω² |M|² / (|v_z||v′_z|),  |M|² = A₀² [(γ_A − γ_B)² G² + (γ_A + γ_B)² Q_z²] / (G² + Q_z²)²,
    /// Q_z = q′_z − q_z; for γ_A = γ_B = γ this is γ²ω²[A₀ 2Q_z/(G² + Q_z²)]²/(|v_z||v′_z|) of docs/physics.md §7.5 with ê·ê′ = 1.
    public static func channelProbability(
        omega: Double, qn: Double, vz: Double, G: Double, qparFinal: Double,
        speed: Double, intoB: Bool, gammaA: Double, gammaB: Double, amplitude: Double
    ) -> Double {
        let k = omega / speed
        guard qparFinal < k, vz > 0 else { return 0 }
        let qz = (k * k - qparFinal * qparFinal).squareRoot()
        let vzFinal = speed * qz / k
        let q = (intoB ? qz : -qz) - qn
        let g2 = G * G, q2 = q * q
        let dg = gammaA - gammaB, sg = gammaA + gammaB
        let m2 = amplitude * amplitude * (dg * dg * g2 + sg * sg * q2) / ((g2 + q2) * (g2 + q2))
        return omega * omega * m2 / (vz * vzFinal)
    }

    /// Total per-hit diffraction probability of a continuum incident state (isotropic media given by their branch
    /// speeds), summed over orders n ≥ 1, ±G_n of both arrays, all branches of both sides, forward and backward:
    /// the quantity tabulated in docs/physics.md §7.5. `cosTheta` is measured from n (incidence from A), `azimuth` from the
    /// first array direction.
    public static func continuumProbability(
        frequency f: Double, incidentSpeed c: Double, cosTheta: Double, azimuth: Double,
        speedsA: [Double], speedsB: [Double], parameters p: StrainMismatchParameters
    ) -> Double {
        let omega = 2 * Double.pi * f, k = omega / c
        let sinT = (max(0, 1 - cosTheta * cosTheta)).squareRoot()
        let qx = k * sinT * cos(azimuth), qy = k * sinT * sin(azimuth), qn = k * cosTheta
        let kmax = (speedsA + speedsB).map { omega / $0 }.max() ?? 0
        var total = 0.0
        var n = 1
        while Double(n) * p.firstReciprocal < (qx * qx + qy * qy).squareRoot() + kmax {
            if let m = p.maxOrder, n > m { break }
            let g = Double(n) * p.firstReciprocal
            for (dx, dy) in [(g, 0.0), (-g, 0), (0, g), (0, -g)] {
                let qp = ((qx + dx) * (qx + dx) + (qy + dy) * (qy + dy)).squareRoot()
                for (speeds, intoB) in [(speedsB, true), (speedsA, false)] {
                    for s in speeds {
                        total += channelProbability(
                            omega: omega, qn: qn, vz: c * cosTheta, G: g, qparFinal: qp, speed: s,
                            intoB: intoB, gammaA: p.gruneisenA, gammaB: p.gruneisenB, amplitude: p.amplitude)
                    }
                }
            }
            n += 1
        }
        return total
    }
}

extension InterfaceKernel {
    /// Strain mismatch model: T = (1 − P_diff)·K_AMM + Σ_n P_n (docs/physics.md §7.5). Each arriving mode is diffracted by
    /// the Fourier components G_n = 2πn/D of the Lomer network's dilatation into final states with ω′ = ω and
    /// q′∥ = q∥ ± G_n ê (both arrays), every branch, forward into the other side and backward (reflected diffraction),
    /// with the golden-rule probability `StrainMismatch.channelProbability`; the undiffracted rest follows the AMM
    /// (Snell transmission and specular reflection). P_diff is capped at 1; modes above `bornWarning` are reported.
    /// Discrete final states are matched in (bin, branch, q∥) like the AMM's refracted states; channels with no state
    /// within the tolerance are dropped (reported). The same symmetric formula is used from both sides and the result is
    /// made exact by time-reversal symmetrisation, budget caps, per-bin balance and specular completion (FluxPlan).
    public static func strainMismatch(
        modesA: ModeSet, modesB: ModeSet, normal: Vector3,
        parameters p: StrainMismatchParameters = .init(),
        harmonicsA: ModeHarmonics? = nil, harmonicsB: ModeHarmonics? = nil
    ) throws -> InterfaceKernel {
        let (proposals, diag) = try strainMismatchProposals(
            modesA: modesA, modesB: modesB, normal: normal, parameters: p,
            harmonicsA: harmonicsA, harmonicsB: harmonicsB)
        var asm = proposals
        var warnings = [String]()
        if diag.capped > 0 {
            warnings.append(
                p.bornLimit == .cap
                    ? "SMM: P_diff > 1 capped at 1 for \(diag.capped) modes (Born approximation invalid there)"
                    : "SMM: Born P_diff > 1 for \(diag.capped) modes, resummed to 1 − exp(−P) (Born approximation invalid there)")
        }
        if diag.stretched > 0 {
            warnings.append(
                String(
                    format: "SMM: Born approximation stretched (P_diff > %.2g) for %d of %d arriving modes; max P_diff %.3g",
                    p.bornWarning, diag.stretched, diag.arriving, diag.maxP))
        }
        if diag.dropped > 0 {
            warnings.append(
                String(
                    format: "SMM: %d open diffraction channels had no discrete final state within tolerance (%.3g of the diffracted probability dropped)",
                    diag.droppedChannels, diag.dropped / max(diag.totalP + diag.dropped, 1e-300))
                    + "; most lost in " + diag.worstDroppedBins(3, width: p.specular.binWidth).joined(separator: ", "))
        }
        let s = p.specular
        let couplingText =
            p.coupling == .gruneisen
            ? "dilatation of a Lomer network of misfit edge dislocations, scalar e.e' = 1"
            : "full strain tensor of a Lomer network of misfit edge dislocations coupled through fc3 and eigenvectors (gamma_A/B unused)"
        let desc =
            String(
                format: "strain mismatch model (golden rule, %@, Born, %@): "
                    + "D = %.6g m, b = %.6g m, nu = %.4g, A0 = %.5g, G1 = %.6g 1/m, gamma_A = %.4g, gamma_B = %.4g, first array along %@, orders %@; "
                    + "undiffracted fraction by AMM with rho_A = %.6g, rho_B = %.6g kg m^-3; final states shared by %d nearest modes within %.3g |q|; ",
                couplingText, p.bornLimit == .cap ? "P_diff capped at 1" : "P_diff = 1 - exp(-P_Born)", p.spacing, p.burgers, p.poisson, p.amplitude,
                p.firstReciprocal, p.gruneisenA, p.gruneisenB,
                fmt(p.arrayDirection), p.maxOrder.map { "1...\($0)" } ?? "all open", s.massDensityA, s.massDensityB,
                s.neighbours, s.matchTolerance)
            + binText(s.binWidth) + "; normal \(fmt(normal.normalized))"
        return asm.finish(name: "smm", description: desc, binWidth: s.binWidth, warnings: warnings)
    }

    /// Diagnostics of the SMM proposals: per arriving mode the diffraction probability actually placed on discrete
    /// states (before the exactification), and the counts behind the kernel's warnings.
    public struct StrainMismatchDiagnostics: Sendable {
        /// P_diff per mode of A (index = mode; 0 for non-arriving) and of B.
        public var diffractionA: [Double]
        public var diffractionB: [Double]
        public var capped = 0, stretched = 0, arriving = 0, droppedChannels = 0
        public var dropped = 0.0, totalP = 0.0, maxP = 0.0
        /// Per frequency bin (lower edge in THz): the diffracted probability placed on discrete states and the one
        /// dropped for want of a final state, both summed over the arriving modes (per hit, Born values).
        public var placedByBin: [Double: Double] = [:], droppedByBin: [Double: Double] = [:]

        /// The bins that lose most, as "f1–f2 THz: fraction", largest first.
        public func worstDroppedBins(_ count: Int, width: Double?) -> [String] {
            droppedByBin.filter { $0.value > 0 }.map { ($0.key, $0.value / ($0.value + (placedByBin[$0.key] ?? 0))) }
                .sorted { $0.1 > $1.1 }.prefix(count)
                .map { String(format: "%.2f–%.2f THz %.2f", $0.0, $0.0 + (width ?? 0), $0.1) }
        }
    }

    public static func strainMismatchDiagnostics(
        modesA: ModeSet, modesB: ModeSet, normal: Vector3,
        parameters p: StrainMismatchParameters = .init(),
        harmonicsA: ModeHarmonics? = nil, harmonicsB: ModeHarmonics? = nil
    ) throws -> StrainMismatchDiagnostics {
        try strainMismatchProposals(
            modesA: modesA, modesB: modesB, normal: normal, parameters: p,
            harmonicsA: harmonicsA, harmonicsB: harmonicsB
        ).1
    }

    static func strainMismatchProposals(
        modesA: ModeSet, modesB: ModeSet, normal: Vector3,
        parameters p: StrainMismatchParameters,
        harmonicsA: ModeHarmonics? = nil, harmonicsB: ModeHarmonics? = nil,
        vertexOverride: ChannelAmplitude? = nil
    ) throws -> (CoherentAssembly, StrainMismatchDiagnostics) {
        try p.validate()
        let amplitude: ChannelAmplitude?
        if p.coupling == .forceConstants && vertexOverride == nil {
            guard let ha = harmonicsA, let hb = harmonicsB, ha.eigenvectors.count == modesA.count * ha.forceConstants.branchCount * 2,
                hb.eigenvectors.count == modesB.count * hb.forceConstants.branchCount * 2
            else {
                throw InterfaceKernelError.invalidParameter(
                    "SMM coupling = \"force-constants\" needs both material files ingested with --fc2, --fc3 and --structure")
            }
            let vertex = try StrainVertex(harmonicsA: ha, harmonicsB: hb)
            amplitude = { c in
                vertex.amplitude(
                    mu: c.mu, fromA: c.fromA, qIncident: c.qIncident, omega: c.omega, qFinal: c.qFinal,
                    branch: c.branch, intoB: c.intoB, epsA: c.epsA, epsB: c.epsB)
            }
        } else {
            amplitude = vertexOverride
        }
        guard normal.norm > 0 else { throw InterfaceKernelError.invalidParameter("zero normal") }
        let frame = InPlaneFrame(normal: normal, firstAxis: p.arrayDirection)
        guard (p.arrayDirection - p.arrayDirection.dot(frame.n) * frame.n).norm > 1e-9 * p.arrayDirection.norm else {
            throw InterfaceKernelError.invalidParameter("array direction \(fmt(p.arrayDirection)) is parallel to the normal")
        }
        let s = p.specular
        let binning = FrequencyBinning(width: s.binWidth)
        let a = KernelSide(modes: modesA, normal: frame.n, sign: 1, binning: binning)
        let b = KernelSide(modes: modesB, normal: frame.n, sign: -1, binning: binning)
        let ta = WavevectorTable(side: a, frame: frame), tb = WavevectorTable(side: b, frame: frame)
        var asm = CoherentAssembly(a: a, b: b)
        var diag = StrainMismatchDiagnostics(
            diffractionA: .init(repeating: 0, count: modesA.count),
            diffractionB: .init(repeating: 0, count: modesB.count))
        for (from, other, fromA) in [(ta, tb, true), (tb, ta, false)] {
            let side = from.side
            let arriving = side.arriving.filter { side.w[$0] > 0 && from.speed[$0] > 0 }
            // The channels of each arriving mode are independent: found on all cores, merged below in mode order.
            var found = [ModeDiffraction](repeating: ModeDiffraction(), count: arriving.count)
            found.withUnsafeMutableBufferPointer { buf in
                let out = SharedPointer(base: buf.baseAddress!)
                parallelChunks(arriving.count, chunk: 4) { range in
                    for i in range {
                        out.base[i] = Self.smmChannels(
                            arriving[i], from: from, fromA: fromA, ta: ta, tb: tb, frame: frame, p: p,
                            amplitude: amplitude)
                    }
                }
            }
            for (i, mu) in arriving.enumerated() {
                diag.arriving += 1
                let diffracted = found[i].diffracted, pTotal = found[i].total
                diag.dropped += found[i].dropped; diag.droppedChannels += found[i].droppedChannels
                let edge = s.binWidth.map { Double(side.bin[mu]) * $0 } ?? 0
                diag.droppedByBin[edge, default: 0] += found[i].dropped
                diag.placedByBin[edge, default: 0] += found[i].total
                var scale = 1.0
                switch p.bornLimit {
                case .cap: if pTotal > 1 { scale = 1 / pTotal; diag.capped += 1 }
                case .exponential:
                    if pTotal > 0 { scale = -expm1(-pTotal) / pTotal }
                    if pTotal > 1 { diag.capped += 1 }
                }
                if pTotal > p.bornWarning { diag.stretched += 1 }
                diag.maxP = max(diag.maxP, pTotal)
                let pd = min(pTotal * scale, 1)
                diag.totalP += pd
                if fromA { diag.diffractionA[mu] = pd } else { diag.diffractionB[mu] = pd }
                let w = side.w[mu]
                for d in diffracted {
                    let block: WritableKeyPath<FluxPlan, [FluxPlan.Entry]> = d.block ? (fromA ? \.ab : \.ba) : (fromA ? \.aa : \.bb)
                    asm.plan.add(block, row: d.row, col: mu, flux: w * d.p * scale)
                }
                // The undiffracted fraction follows the AMM: Snell transmission, the rest specular (completion).
                for (nu, t) in snellTargets(
                    mu, from: from, to: other, rhoFrom: fromA ? s.massDensityA : s.massDensityB,
                    rhoTo: fromA ? s.massDensityB : s.massDensityA, p: s)
                {
                    asm.plan.add(fromA ? \.ab : \.ba, row: nu, col: mu, flux: w * (1 - pd) * t)
                }
            }
        }
        return (asm, diag)
    }

    /// The open channels of one arriving mode and the discrete states that receive them.
    static func smmChannels(
        _ mu: Int, from: WavevectorTable, fromA: Bool, ta: WavevectorTable, tb: WavevectorTable,
        frame: InPlaneFrame, p: StrainMismatchParameters, amplitude: ChannelAmplitude?
    ) -> ModeDiffraction {
        let side = from.side, s = p.specular
        let g1 = p.firstReciprocal, amp = p.amplitude
        var result = ModeDiffraction()
        let omega = side.modes.omega[mu], bin = side.bin[mu]
        let vz = abs(side.vn[mu])
        let qx = from.qx[mu], qy = from.qy[mu], qn = from.qn[mu]
        let qpar = (qx * qx + qy * qy).squareRoot()
        // Final-state shells: (table, into B?, branch group) for every branch of both sides in this bin.
        var shells = [(WavevectorTable, Bool, [Int], Double, Int)]()
        for (t, intoB) in [(ta, false), (tb, true)] {
            // By branch, not in the dictionary's order: Swift seeds its hashing per process, and the order of the
            // shells is the order in which near final states' shares are summed (same bits in every run).
            for grp in t.outgoing.keys.sorted(by: { $0.branch < $1.branch }) where grp.bin == bin {
                shells.append((t, intoB, t.outgoing[grp]!, t.groupSpeed[grp]!, Int(grp.branch)))
            }
        }
        let kmax = shells.map { omega / $0.3 }.max() ?? 0
        var diffracted = [(block: Bool, row: Int, p: Double)]() // block: true = transmission
        var pTotal = 0.0
        var n = 1
        while Double(n) * g1 < qpar + kmax {
            if let m = p.maxOrder, n > m { break }
            let g = Double(n) * g1
            for (dx, dy) in [(g, 0.0), (-g, 0), (0, g), (0, -g)] {
                let fx = qx + dx, fy = qy + dy
                let qp = (fx * fx + fy * fy).squareRoot()
                for (t, intoB, list, speed, branch) in shells {
                    let prob: Double
                    if let amplitude {
                        let k = omega / speed
                        guard qp < k else { continue }
                        let qzf = (intoB ? 1.0 : -1.0) * (k * k - qp * qp).squareRoot()
                        let vzFinal = speed * abs(qzf) / k
                        // The array behind this order: shifts along e1 come from the lines ⟂ e1 (Burgers ∥ e1).
                        let along = dx != 0 ? frame.e1 : frame.e2, gSigned = dx != 0 ? dx : dy
                        let qz = qzf - qn
                        let c = SMMChannel(
                            mu: mu, fromA: fromA, omega: omega,
                            qIncident: qx * frame.e1 + qy * frame.e2 + qn * frame.n,
                            qFinal: fx * frame.e1 + fy * frame.e2 + qzf * frame.n, branch: branch, intoB: intoB,
                            epsA: MisfitStrain.tensor(
                                G: gSigned, Q: qz, burgers: p.burgers, spacing: p.spacing, poisson: p.poisson,
                                sideB: false, burgersDirection: along, normal: frame.n),
                            epsB: MisfitStrain.tensor(
                                G: gSigned, Q: qz, burgers: p.burgers, spacing: p.spacing, poisson: p.poisson,
                                sideB: true, burgersDirection: along, normal: frame.n))
                        let a = amplitude(c)
                        prob = (a.re * a.re + a.im * a.im) / (vz * vzFinal)
                    } else {
                        prob = StrainMismatch.channelProbability(
                            omega: omega, qn: qn, vz: vz, G: g, qparFinal: qp, speed: speed,
                            intoB: intoB, gammaA: p.gruneisenA, gammaB: p.gruneisenB, amplitude: amp)
                    }
                    guard prob > 0 else { continue }
                    let near = t.interpolate(
                        x: fx, y: fy, among: list, neighbours: s.neighbours,
                        maxDistance: s.matchTolerance * omega / speed)
                    if near.isEmpty { result.dropped += prob; result.droppedChannels += 1; continue }
                    pTotal += prob
                    let transmitted = intoB == fromA
                    for (nu, wgt) in near { diffracted.append((transmitted, nu, prob * wgt)) }
                }
            }
            n += 1
        }
        result.diffracted = diffracted
        result.total = pTotal
        return result
    }
}

/// One open diffraction channel as the vertex sees it: incident mode, exact target, and the two half-space strains.
struct SMMChannel: Sendable {
    var mu: Int, fromA: Bool, omega: Double
    var qIncident: Vector3, qFinal: Vector3
    var branch: Int, intoB: Bool
    var epsA: (re: [Double], im: [Double]), epsB: (re: [Double], im: [Double])
}

/// The golden-rule amplitude a (rad/s · m) of a channel: P = |a|²/(|v_z||v′_z|).
typealias ChannelAmplitude = @Sendable (SMMChannel) -> (re: Double, im: Double)

/// What one arriving mode sends where (block: true = transmission), before the exactification.
struct ModeDiffraction: Sendable {
    var diffracted: [(block: Bool, row: Int, p: Double)] = []
    var total = 0.0, dropped = 0.0
    var droppedChannels = 0
}

extension StrainMismatchParameters {
    func validate() throws {
        try specular.validate()
        guard spacing > 0, burgers > 0, poisson > -1, poisson < 0.5 else {
            throw InterfaceKernelError.invalidParameter("need D > 0, b > 0 and -1 < nu < 0.5 (got D = \(spacing) m, b = \(burgers) m, nu = \(poisson))")
        }
        guard gruneisenA >= 0, gruneisenB >= 0 else { throw InterfaceKernelError.invalidParameter("Grüneisen parameters must be non-negative") }
    }
}
