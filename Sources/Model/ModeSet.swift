import Foundation

/// The phonon modes of one material at one temperature, laid out structure-of-arrays for the per-mode loops.
///
/// Mode sums per unit volume are `Σ_μ volumeWeight[μ] · (…)`, where `volumeWeight = w_q/Ω` (q-point weight over
/// primitive-cell volume, m⁻³), which is `1/(N_q Ω)` on a plain grid. ψ is the dimensionless occupation deviation
/// n − n̄, so ΔT = Σ ρ ħω ψ / Σ ρ C and q = Σ ρ ħω v ψ (docs/physics.md §5).
public struct ModeSet: Sendable, Equatable {
    public var temperature: Double // K
    public var omega: [Double] // rad/s
    public var vx: [Double], vy: [Double], vz: [Double] // m/s
    public var tau: [Double] // s (RTA lifetime; .infinity for a mode that never scatters)
    public var volumeWeight: [Double] // m⁻³
    /// ∂n̄/∂T (1/K). Kept explicitly so synthetic gray media can set heat capacities freely.
    public var dndT: [Double]
    /// Cartesian wavevector (1/m), when known; used by specular partners and interface kernels.
    public var qx: [Double], qy: [Double], qz: [Double]
    public var branch: [Int32]
    public var qIndex: [Int32]

    public var count: Int { omega.count }

    public init(
        temperature: Double, omega: [Double], vx: [Double], vy: [Double], vz: [Double], tau: [Double],
        volumeWeight: [Double], dndT: [Double]? = nil, qx: [Double]? = nil, qy: [Double]? = nil,
        qz: [Double]? = nil, branch: [Int32]? = nil, qIndex: [Int32]? = nil
    ) {
        let n = omega.count
        precondition(
            [vx.count, vy.count, vz.count, tau.count, volumeWeight.count].allSatisfy { $0 == n },
            "ModeSet arrays must all have one entry per mode")
        self.temperature = temperature
        self.omega = omega
        self.vx = vx; self.vy = vy; self.vz = vz
        self.tau = tau
        self.volumeWeight = volumeWeight
        self.dndT = dndT ?? omega.map { BoseEinstein.dOccupationdT(omega: $0, temperature: temperature) }
        self.qx = qx ?? [Double](repeating: 0, count: n)
        self.qy = qy ?? [Double](repeating: 0, count: n)
        self.qz = qz ?? [Double](repeating: 0, count: n)
        self.branch = branch ?? [Int32](repeating: 0, count: n)
        self.qIndex = qIndex ?? (0..<n).map { Int32($0) }
    }

    @inlinable public func velocity(_ mu: Int) -> Vector3 { Vector3(vx[mu], vy[mu], vz[mu]) }
    @inlinable public func energy(_ mu: Int) -> Double { Constants.hbar * omega[mu] }
    @inlinable public func heatCapacity(_ mu: Int) -> Double { energy(mu) * dndT[mu] }
    @inlinable public func speed(_ mu: Int) -> Double { velocity(mu).norm }
    @inlinable public func meanFreePath(_ mu: Int) -> Double { speed(mu) * tau[mu] }

    /// Volumetric heat capacity Σ ρ C (J m⁻³ K⁻¹).
    public var volumetricHeatCapacity: Double {
        (0..<count).reduce(0) { $0 + volumeWeight[$1] * heatCapacity($1) }
    }

    /// Energy weight ρ_μ ħω_μ that turns ψ into energy density (J m⁻³ per unit ψ).
    public var energyWeights: [Double] { (0..<count).map { volumeWeight[$0] * energy($0) } }

    /// RTA thermal conductivity tensor κ_ab = Σ ρ C v_a v_b τ (W m⁻¹ K⁻¹), row-major 3×3.
    public func kappaRTA() -> [Double] {
        var k = [Double](repeating: 0, count: 9)
        for mu in 0..<count where tau[mu].isFinite {
            let v = [vx[mu], vy[mu], vz[mu]]
            let c = volumeWeight[mu] * heatCapacity(mu) * tau[mu]
            for a in 0..<3 { for b in 0..<3 { k[3 * a + b] += c * v[a] * v[b] } }
        }
        return k
    }

    /// Local temperature rise (equivalent-equilibrium definition) from a ψ vector over modes.
    public func temperature(psi: UnsafeBufferPointer<Double>) -> Double {
        var num = 0.0, den = 0.0
        for mu in 0..<count {
            num += volumeWeight[mu] * energy(mu) * psi[mu]
            den += volumeWeight[mu] * heatCapacity(mu)
        }
        return num / den
    }

    /// Heat flux vector (W m⁻²) from a ψ vector over modes.
    public func heatFlux(psi: UnsafeBufferPointer<Double>) -> Vector3 {
        var q = Vector3.zero
        for mu in 0..<count {
            let w = volumeWeight[mu] * energy(mu) * psi[mu]
            q = q + w * velocity(mu)
        }
        return q
    }
}
