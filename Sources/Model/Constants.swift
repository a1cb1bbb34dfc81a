/// Physical constants (CODATA 2018, exact where SI defines them) and unit factors used across stages.
public enum Constants {
    public static let hbar = 1.054571817e-34 // J s
    public static let kB = 1.380649e-23 // J / K
    public static let amu = 1.66053906660e-27 // kg
    public static let bohr = 0.529177210903e-10 // m
    public static let angstrom = 1e-10 // m
    public static let speedOfLight = 299_792_458.0 // m / s
    /// 1 cm⁻¹ expressed as an angular frequency (rad/s).
    public static let inverseCmToRadPerSecond = 2 * Double.pi * 100 * speedOfLight
    /// 1 THz (cyclic) expressed as an angular frequency (rad/s).
    public static let terahertzToRadPerSecond = 2 * Double.pi * 1e12
    /// Velocity of d3q's Rydberg atomic units, in m/s (2π·ryvel_si; d3q prints the factor without 2π).
    public static let rydbergVelocity = 1.0938e6
    /// Rydberg mass unit per atomic mass unit (d3q writes masses as amu × 911.444).
    public static let rydbergMassPerAmu = 911.444243
}
