import Foundation

/// Bose–Einstein occupation and its temperature derivative, the weights that turn ψ into temperature and flux.
public enum BoseEinstein {
    /// n̄(ω, T) for angular frequency ω in rad/s.
    public static func occupation(omega: Double, temperature: Double) -> Double {
        let x = Constants.hbar * omega / (Constants.kB * temperature)
        return 1 / expm1(x)
    }

    /// ∂n̄/∂T = n̄(n̄+1) ħω/(k_B T²), in 1/K.
    public static func dOccupationdT(omega: Double, temperature: Double) -> Double {
        let x = Constants.hbar * omega / (Constants.kB * temperature)
        // n̄(n̄+1) = 1/(4 sinh²(x/2)) stays finite where e^x/(e^x−1)² would overflow.
        let s = sinh(x / 2)
        return x / (4 * s * s * temperature)
    }

    /// Mode heat capacity C = ħω ∂n̄/∂T in J/K.
    public static func heatCapacity(omega: Double, temperature: Double) -> Double {
        Constants.hbar * omega * dOccupationdT(omega: omega, temperature: temperature)
    }
}
