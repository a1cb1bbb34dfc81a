import Foundation

/// The synthetic isotropic gray medium of the validation problems: one speed, one mean free path, isotropic
/// elastic scattering, over a direction quadrature that is exact for polynomials in cos θ up to high degree.
public enum GrayMedium {
    /// Directions: Gauss–Legendre in μ = cos θ (`polar` nodes) × `azimuthal` equally spaced φ, offset by half a
    /// step so the set maps onto itself under reflection in x, y and z (specular walls need the mirror partner).
    public static func make(
        polar: Int, azimuthal: Int, speed: Double, meanFreePath: Double,
        heatCapacity: Double, temperature: Double = 300
    ) -> Material {
        precondition(polar > 0 && azimuthal > 0 && azimuthal % 2 == 0, "azimuthal count must be even")
        let (mu, wmu) = gaussLegendre(polar)
        let n = polar * azimuthal
        var vx = [Double](), vy = [Double](), vz = [Double](), weight = [Double]()
        for i in 0..<polar {
            let s = (1 - mu[i] * mu[i]).squareRoot()
            for k in 0..<azimuthal {
                let phi = 2 * Double.pi * (Double(k) + 0.5) / Double(azimuthal)
                vx.append(speed * s * cos(phi)); vy.append(speed * s * sin(phi)); vz.append(speed * mu[i])
                weight.append(wmu[i] / 2 / Double(azimuthal))
            }
        }
        // A notional frequency gives every mode the same quantum; ∂n̄/∂T is then chosen so Σ ρ C = heatCapacity
        // with ρ = direction weight per m³.
        let omega = 2 * Double.pi * 1e12
        let energy = Constants.hbar * omega
        let dndT = heatCapacity / energy
        let tau = meanFreePath / speed
        let modes = ModeSet(
            temperature: temperature, omega: .init(repeating: omega, count: n),
            vx: vx, vy: vy, vz: vz, tau: .init(repeating: tau, count: n),
            volumeWeight: weight, dndT: .init(repeating: dndT, count: n),
            qx: vx.map { $0 / speed }, qy: vy.map { $0 / speed }, qz: vz.map { $0 / speed })
        return Material(
            name: "gray", modes: modes, collision: .relaxationToTemperature,
            cellVolume: 1, qMesh: [n, 1, 1], branchCount: 1)
    }

    /// Gauss–Legendre nodes and weights on [−1, 1] by Newton iteration on P_n.
    public static func gaussLegendre(_ n: Int) -> ([Double], [Double]) {
        var x = [Double](repeating: 0, count: n), w = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var z = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var dp = 0.0
            for _ in 0..<100 {
                var p0 = 1.0, p1 = z
                if n == 1 { p1 = z; p0 = 1 }
                var pn = n == 0 ? 1.0 : z
                if n > 1 {
                    for k in 2...n {
                        let pk = (Double(2 * k - 1) * z * p1 - Double(k - 1) * p0) / Double(k)
                        p0 = p1; p1 = pk
                    }
                    pn = p1
                } else {
                    p0 = 1
                }
                dp = Double(n) * (z * pn - p0) / (z * z - 1)
                let dz = pn / dp
                z -= dz
                if abs(dz) < 1e-15 { break }
            }
            x[n - 1 - i] = z
            w[n - 1 - i] = 2 / ((1 - z * z) * dp * dp)
        }
        return (x, w)
    }
}
