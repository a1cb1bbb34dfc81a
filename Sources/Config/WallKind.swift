import Foundation

/// What a boundary does with the phonons that reach it (docs/physics.md §6).
public enum WallKind: Sendable, Equatable, Codable {
    /// Absorbs everything; with a temperature rise ΔT (K) it also emits the equilibrium flux of that temperature.
    case black(temperature: Double?)
    /// Re-emits the arriving energy Lambertian in energy (∝ C|v·n| into inward modes): equilibrium preserving.
    case diffuse
    case specular
    /// p·specular + (1−p)·diffuse with a fixed specularity p.
    case partiallySpecular(p: Double)
    /// Ziman–Soffer specularity p = exp(−4η²k²cos²θ) per mode, rms roughness η in metres.
    case rough(rms: Double)
    /// Leaves through this wall re-enter through the partner wall (a translation of it).
    case periodic(partner: Int32)
}
