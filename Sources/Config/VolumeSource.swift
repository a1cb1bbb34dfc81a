import Foundation
import Model

/// Volumetric heating Q(r) (W m⁻³) and the modes it feeds (docs/physics.md §6):
/// G0_μ(r) = Q(r) w_μ / Σ_ν ρ_ν ħω_ν w_ν, so that Σ_μ ρħω G0 = Q.
public struct VolumeSource: Sendable, Equatable, Codable {
    public enum Profile: Sendable, Equatable, Codable {
        case uniform(power: Double)
        /// Q0 exp(−|r−c|²/2s²)
        case gaussian(peak: Double, center: Vector3, width: Double)
        /// Q0 cos(2π x_axis/period): a transient thermal grating's pump (axis 0, 1, 2 = x, y, z).
        case grating(amplitude: Double, period: Double, axis: Int)
    }
    public enum Spectrum: Sendable, Equatable, Codable {
        /// w_μ = (∂n̄/∂T)_μ/τ_μ: what the lattice heated by ΔT emits.
        case thermal
        /// w_μ = (∂n̄/∂T)_μ: the population of a lattice at a raised temperature; as a transient impulse it sets an
        /// initial temperature field.
        case equilibrium
        /// Equal w on the listed modes only (e.g. hot optical phonons).
        case modes([Int])
        /// w_μ = −(∂n̄/∂T)_μ v_μ·∇T: the drive of a uniform temperature gradient (K/m), which injects no net energy.
        case temperatureGradient(Vector3)
    }
    public var profile: Profile
    public var spectrum: Spectrum
    public init(profile: Profile, spectrum: Spectrum = .thermal) { self.profile = profile; self.spectrum = spectrum }

    public func value(at r: Vector3) -> Double {
        switch profile {
        case .uniform(let q): return q
        case .gaussian(let q0, let c, let s):
            let d = r - c
            return q0 * exp(-d.dot(d) / (2 * s * s))
        case .grating(let q0, let period, let axis):
            let x = axis == 0 ? r.x : axis == 1 ? r.y : r.z
            return q0 * cos(2 * Double.pi * x / period)
        }
    }
}
