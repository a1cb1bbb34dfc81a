import Model

/// Modes read from phonon files, with the modes the solver must never scatter flagged and the reasons counted.
///
/// Excluded modes get τ = ∞, zero velocity and ∂n̄/∂T = 0: they carry no heat, receive no source and never enter
/// a division, which is how the Γ acoustic modes (γ = 0) and imaginary modes are made inert.
public struct PhononModeTable: Sendable {
    public enum ExclusionReason: String, Sendable, CaseIterable, Hashable {
        case zeroLinewidth = "zero linewidth"
        case nonPositiveFrequency = "zero or imaginary (negative) frequency"
    }

    public var modes: ModeSet
    public var excluded: [Bool]
    public var exclusionCounts: [ExclusionReason: Int]
    public var qCount: Int
    public var branchCount: Int
    public var qMesh: [Int]
    public var warnings: [String]
    public var inputs: [String]
    /// For tables read from phono3py: each q-point's index on the Γ-centred mesh (x fastest, phono3py's GR grid)
    /// and, when the file lists them, phono3py's BZ grid indices, which name its per-grid-point collision files.
    public var meshIndex: [Int]?
    public var bzGridPoint: [Int]?

    public var excludedCount: Int { excluded.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// Assembles the table. `rate` is 1/τ (s⁻¹) from the linewidth, `weight` the volume weight (m⁻³); arrays are
    /// per mode μ = iq·nbranch + s, q per q-point (1/m, Cartesian).
    static func make(
        temperature: Double, branchCount nb: Int, omega: [Double], rate: [Double],
        vx: [Double], vy: [Double], vz: [Double], volumeWeight: [Double], q: [[Double]],
        qMesh: [Int], inputs: [String], warnings: [String] = []
    ) throws -> PhononModeTable {
        let n = omega.count
        var excluded = [Bool](repeating: false, count: n)
        var counts: [ExclusionReason: Int] = [:]
        var tau = [Double](repeating: .infinity, count: n)
        var vx = vx, vy = vy, vz = vz
        var dndT = [Double](repeating: 0, count: n)
        var gammaZeroMoving = 0
        let source = inputs.joined(separator: ", ")
        func absurd(_ mu: Int, _ what: String) -> PhononIngestError {
            PhononIngestError(
                .invalidValue, file: source,
                String(
                    format: "mode %d (q-point %d, branch %d, %.4g THz): %@",
                    mu, mu / nb, mu % nb, omega[mu] / (2 * Double.pi * 1e12), what))
        }
        for mu in 0..<n {
            guard omega[mu].isFinite else { throw absurd(mu, "frequency is \(omega[mu])") }
            guard !rate[mu].isNaN, rate[mu] >= 0 else {
                throw absurd(mu, "scattering rate 1/τ = \(rate[mu]) s-1 (a negative or NaN linewidth); lifetimes must be positive")
            }
            // Imaginary or zero frequencies are inert only at Γ (acoustic branches); elsewhere they mean the
            // harmonic data describe an unstable lattice, and excluding them would quietly change the physics.
            if !(omega[mu] > 0) && rate[mu] > 0 && mu >= nb {
                throw absurd(
                    mu, "zero or imaginary frequency in a mode with a finite lifetime (τ = \(1 / rate[mu]) s): an unstable lattice or mismatched files")
            }
            var reason: ExclusionReason? = nil
            if !(omega[mu] > 0) { reason = .nonPositiveFrequency } else if !(rate[mu] > 0) { reason = .zeroLinewidth }
            if let reason {
                excluded[mu] = true
                counts[reason, default: 0] += 1
                if reason == .zeroLinewidth && (vx[mu] != 0 || vy[mu] != 0 || vz[mu] != 0) && mu >= nb { gammaZeroMoving += 1 }
                vx[mu] = 0; vy[mu] = 0; vz[mu] = 0
            } else {
                tau[mu] = 1 / rate[mu]
                dndT[mu] = BoseEinstein.dOccupationdT(omega: omega[mu], temperature: temperature)
            }
        }
        var warnings = warnings
        if gammaZeroMoving > 0 {
            warnings.append("\(gammaZeroMoving) modes away from Γ have zero linewidth but nonzero velocity (excluded)")
        }
        for r in ExclusionReason.allCases { if let c = counts[r] { warnings.append("excluded \(c) modes: \(r.rawValue)") } }
        let nq = n / nb
        let modes = ModeSet(
            temperature: temperature, omega: omega, vx: vx, vy: vy, vz: vz, tau: tau,
            volumeWeight: volumeWeight, dndT: dndT,
            qx: (0..<n).map { q[$0 / nb][0] }, qy: (0..<n).map { q[$0 / nb][1] },
            qz: (0..<n).map { q[$0 / nb][2] },
            branch: (0..<n).map { Int32($0 % nb) }, qIndex: (0..<n).map { Int32($0 / nb) })
        if let p = ModePlausibility.problems(modes, limit: 1).first {
            throw PhononIngestError(.invalidValue, file: source, "implausible phonon data: \(p) (bounds: data-schema/README.md, \"Plausibility bounds\")")
        }
        if let w = ModePlausibility.kappaWarning(modes) { warnings.append(w) }
        return PhononModeTable(
            modes: modes, excluded: excluded, exclusionCounts: counts, qCount: nq, branchCount: nb,
            qMesh: qMesh, warnings: warnings, inputs: inputs)
    }
}

enum MeshInference {
    /// The Γ-centred (or uniformly shifted) mesh the reduced q-points lie on: per axis the smallest n ≤ 1000 with
    /// every (q_i − q_i⁰)·n an integer. Nil if the points are not on such a mesh.
    static func mesh(reduced: [[Double]]) -> [Int]? {
        guard let first = reduced.first else { return nil }
        var out: [Int] = []
        for axis in 0..<3 {
            var found: Int? = nil
            for n in 1...1000 {
                let ok = reduced.allSatisfy { r in
                    let x = (r[axis] - first[axis]) * Double(n)
                    return abs(x - x.rounded()) < 1e-6 * Double(n)
                }
                if ok { found = n; break }
            }
            guard let found else { return nil }
            out.append(found)
        }
        return out.reduce(1, *) == reduced.count ? out : nil
    }
}
