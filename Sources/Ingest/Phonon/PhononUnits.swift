import Foundation
import Model

/// Unit factors of the d3q and phono3py outputs (data-schema/d3q-text.md, docs/input-formats.md §1).
public enum PhononUnits {
    /// Rydberg atomic velocity bohr·Ry/ħ (m/s); d3q prints this factor 2π too small as "ryvel_si".
    public static let rydbergVelocity = CrystalStructure.bohr / 4.8377687e-17
    /// cm⁻¹ (ω/2πc) → rad/s.
    public static let inverseCm = Constants.inverseCmToRadPerSecond
    /// THz (ordinary frequency) → rad/s.
    public static let terahertz = Constants.terahertzToRadPerSecond
    /// THz·Å → m/s.
    public static let terahertzAngstrom = 100.0
    public static let electronVolt = 1.602176634e-19

    /// τ (s) from a HWHM linewidth γ in cm⁻¹: τ = 1/(2 γ_angular).
    public static func lifetime(hwhmInverseCm g: Double) -> Double { 1 / (2 * g * inverseCm) }
    /// τ (s) from phono3py's HWHM γ in THz: τ = 1/(4π γ).
    public static func lifetime(hwhmTerahertz g: Double) -> Double { 1 / (4 * Double.pi * g * 1e12) }
}
