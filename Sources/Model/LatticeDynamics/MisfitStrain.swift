import Foundation

/// The full strain field of one array of misfit edge dislocations in Fourier space (docs/smm.md §7.3): lines along y,
/// Burgers vector b along x (in the interface plane), spacing D, interface z = 0, isotropic elasticity with Poisson
/// ratio ν, plane strain (ε_yy = ε_xy = ε_yz = 0).
///
/// From the stresses of one edge dislocation, σ_xx = −D₀z(3x² + z²)/r⁴, σ_zz = D₀z(x² − z²)/r⁴, σ_xz = D₀x(x² − z²)/r⁴
/// (D₀ = μb/2π(1 − ν)), and the transforms of z/r² and x/r², the coefficient of e^{iGx} (G = 2πn/D, σ_G = sgn G,
/// a = |G|, s = sgn z, k₀ = b/[4(1 − ν)D]) is
///   ε_xx = k₀[−2(1 − ν)s + a z] e^{−a|z|},  ε_zz = k₀[2νs − a z] e^{−a|z|},  ε_xz = −iσ_G k₀(1 − a|z|) e^{−a|z|},
/// whose trace is the dilatation −A₀ s e^{−a|z|} of docs/smm.md §1. Transformed along z on one half-space,
/// ∫ f(z) e^{−iQz} dz, with 1/(a ± iQ) and ±1/(a ± iQ)² from ∫ e^{−a|z|} and ∫ z e^{−a|z|}.
public enum MisfitStrain {
    public struct Component: Sendable, Equatable {
        public var re: Double, im: Double
        public init(_ re: Double, _ im: Double) { self.re = re; self.im = im }
        static func + (a: Component, b: Component) -> Component { Component(a.re + b.re, a.im + b.im) }
        static func * (s: Double, a: Component) -> Component { Component(s * a.re, s * a.im) }
        static func * (a: Component, b: Component) -> Component { Component(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re) }
        var timesMinusI: Component { Component(im, -re) }
    }

    /// The coefficient of e^{iGx} of the array's (ε_xx, ε_zz, ε_xz) at height z (dimensionless).
    public static func coefficient(G: Double, z: Double, burgers b: Double, spacing d: Double, poisson nu: Double)
        -> (xx: Component, zz: Component, xz: Component)
    {
        let a = abs(G), sg: Double = G >= 0 ? 1 : -1, s: Double = z >= 0 ? 1 : -1
        let k0 = b / (4 * (1 - nu) * d), e = exp(-a * abs(z))
        return (
            Component(k0 * (-2 * (1 - nu) * s + a * z) * e, 0), Component(k0 * (2 * nu * s - a * z) * e, 0),
            Component(0, -sg * k0 * (1 - a * abs(z)) * e)
        )
    }

    /// (ε_xx, ε_zz, ε_xz) of order G (signed, 1/m) transformed along z over side B (z > 0) or side A (z < 0), at the
    /// normal momentum transfer Q (1/m). Units: m (strain × length).
    public static func halfSpace(
        G: Double, Q: Double, burgers b: Double, spacing d: Double, poisson nu: Double,
        sideB: Bool
    ) -> (xx: Component, zz: Component, xz: Component) {
        let a = abs(G), sg: Double = G >= 0 ? 1 : -1
        let k0 = b / (4 * (1 - nu) * d)
        // 1/(a + iQ) and 1/(a + iQ)² (side B); 1/(a − iQ) and −1/(a − iQ)² (side A).
        let den = a * a + Q * Q
        let i0 = sideB ? Component(a / den, -Q / den) : Component(a / den, Q / den)
        var i1 = i0 * i0
        if !sideB { i1 = -1 * i1 }
        let s: Double = sideB ? 1 : -1
        let xx = k0 * ((-2 * (1 - nu) * s) * i0 + a * i1)
        let zz = k0 * ((2 * nu * s) * i0 + (-a) * i1)
        // (1 − a|z|): |z| = z on B, −z on A.
        let shear = sideB ? i0 + (-a) * i1 : i0 + a * i1
        let xz = (sg * k0) * shear.timesMinusI
        return (xx, zz, xz)
    }

    /// The same as a Cartesian tensor (row-major 3×3, re and im), x along `burgersDirection`, z along `normal`.
    public static func tensor(
        G: Double, Q: Double, burgers b: Double, spacing d: Double, poisson nu: Double, sideB: Bool,
        burgersDirection e: Vector3, normal n: Vector3
    ) -> (re: [Double], im: [Double]) {
        let c = halfSpace(G: G, Q: Q, burgers: b, spacing: d, poisson: nu, sideB: sideB)
        let ev = [e.x, e.y, e.z], nv = [n.x, n.y, n.z]
        var re = [Double](repeating: 0, count: 9), im = re
        for i in 0..<3 {
            for j in 0..<3 {
                let ee = ev[i] * ev[j], nn = nv[i] * nv[j], en = ev[i] * nv[j] + nv[i] * ev[j]
                re[3 * i + j] = c.xx.re * ee + c.zz.re * nn + c.xz.re * en
                im[3 * i + j] = c.xx.im * ee + c.zz.im * nn + c.xz.im * en
            }
        }
        return (re, im)
    }

    /// Real-space strain (ε_xx, ε_zz, ε_xz) of one edge dislocation at the origin (plane strain, isotropic): the
    /// closed form the Fourier coefficients above are derived from, kept for the tests.
    public static func singleDislocation(x: Double, z: Double, burgers b: Double, poisson nu: Double) -> (xx: Double, zz: Double, xz: Double) {
        let r2 = x * x + z * z, r4 = r2 * r2
        let d0 = b / (2 * Double.pi * (1 - nu)) // D₀/μ
        let sxx = -d0 * z * (3 * x * x + z * z) / r4, szz = d0 * z * (x * x - z * z) / r4, sxz = d0 * x * (x * x - z * z) / r4
        // ε = [(1 − ν)σ − νσ_other]/2μ in plane strain; σ here is σ/μ.
        return (((1 - nu) * sxx - nu * szz) / 2, ((1 - nu) * szz - nu * sxx) / 2, sxz / 2)
    }
}
