import Foundation

/// Frequencies and eigenvectors at one wavevector, from fc2.
public struct HarmonicPhonons: Sendable {
    /// Reduced wavevector (primitive reciprocal basis, without 2π).
    public let q: Vector3
    /// Eigenvalues of the dynamical matrix, eV Å⁻² amu⁻¹, ascending.
    public var eigenvalues: [Double] { eigen.values }
    /// Frequencies (THz), negative for imaginary modes (phonopy's convention).
    public var frequencies: [Double] {
        eigen.values.map { ($0 < 0 ? -1 : 1) * abs($0).squareRoot() * ForceConstants.terahertzPerRootEigenvalue }
    }
    /// Columns are the polarisation vectors e_{κα}(q, s) in phonopy's phase convention (r_s − r_p in the phase).
    public var eigen: HermitianEigen
}

extension ForceConstants {
    /// D_{pα,p'β}(q) = Σ_{s ≡ p'} Φ_{αβ}(p, s) ⟨e^{iq·(r_s − r_p)}⟩_images / √(m_p m_p'), row-major, eV Å⁻² amu⁻¹.
    public func dynamicalMatrix(reduced q: Vector3) -> (re: [Double], im: [Double]) {
        let ns = supercellCount, n = branchCount
        let qc = cartesian(reduced: q)
        let m = primitiveMasses
        var re = [Double](repeating: 0, count: n * n), im = re
        for (p, s) in harmonicPairs {
            do {
                let pp = s2p[s]
                let (c, sn) = phase(p, s, qc)
                let w = 1 / (m[p] * m[pp]).squareRoot()
                for a in 0..<3 {
                    for b in 0..<3 {
                        let f = fc2[(p * ns + s) * 9 + a * 3 + b] * w
                        re[(3 * p + a) * n + 3 * pp + b] += f * c
                        im[(3 * p + a) * n + 3 * pp + b] += f * sn
                    }
                }
            }
        }
        return (re, im)
    }

    public func phonons(reduced q: Vector3) -> HarmonicPhonons {
        let d = dynamicalMatrix(reduced: q)
        return HarmonicPhonons(q: q, eigen: HermitianEigen(re: d.re, im: d.im, size: branchCount))
    }
}

extension ForceConstants {
    /// ∂D/∂q_a (a = x, y, z Cartesian, q in 1/Å), row-major, eV Å⁻¹ amu⁻¹.
    public func dynamicalMatrixGradient(reduced q: Vector3) -> [(re: [Double], im: [Double])] {
        let ns = supercellCount, n = branchCount
        let qc = cartesian(reduced: q)
        let m = primitiveMasses
        var out = [(re: [Double], im: [Double])](repeating: ([Double](repeating: 0, count: n * n), [Double](repeating: 0, count: n * n)), count: 3)
        for (p, s) in harmonicPairs {
            let pp = s2p[s]
            let imgs = images[p * ns + s]
            // (1/multiplicity) Σ_images i r_a e^{iq·r}
            var gr = [0.0, 0.0, 0.0], gi = [0.0, 0.0, 0.0]
            for r in imgs {
                let a = qc.dot(r), c = cos(a), sn = sin(a)
                for (k, x) in [r.x, r.y, r.z].enumerated() { gr[k] -= x * sn; gi[k] += x * c }
            }
            let w = 1 / ((m[p] * m[pp]).squareRoot() * Double(imgs.count))
            for a in 0..<3 {
                for b in 0..<3 {
                    let f = fc2[(p * ns + s) * 9 + a * 3 + b] * w
                    let idx = (3 * p + a) * n + 3 * pp + b
                    for k in 0..<3 { out[k].re[idx] += f * gr[k]; out[k].im[idx] += f * gi[k] }
                }
            }
        }
        return out
    }

    /// Group velocities (m/s) of the branches at q, v_s = e_s† ∂D/∂q e_s / 2ω_s (Hellmann–Feynman); the members of a
    /// degenerate set (|Δf| < `degeneracy` THz) share the set's mean velocity (phonopy instead rotates the set and
    /// averages over the little group of q: other individual velocities, the same sum). Zero for modes with ω ≤ 0.
    public func groupVelocities(_ ph: HarmonicPhonons, degeneracy: Double = 1e-4) -> [Vector3] {
        let n = branchCount, f = ph.frequencies
        let grad = dynamicalMatrixGradient(reduced: ph.q)
        let unit = 1e-10 * 2 * Double.pi * 1e12 * Self.terahertzPerRootEigenvalue // Å·√(eV Å⁻² amu⁻¹) → m/s
        var v = [Vector3](repeating: .zero, count: n)
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && abs(f[end] - f[start]) < degeneracy { end += 1 }
            // A degenerate set's velocities are a gauge choice one by one; their sum is not. Each member gets the
            // set's mean, which every symmetry of q preserves (so mirror and time-reverse partners exist exactly).
            var mean = [0.0, 0.0, 0.0]
            for a in 0..<3 {
                for i in start..<end { mean[a] += ph.eigen.element(grad[a].re, grad[a].im, i, i).re }
                mean[a] /= Double(end - start)
            }
            for s in start..<end {
                let lam = ph.eigen.values[s]
                guard lam > 0 else { continue }
                let w = 1 / (2 * lam.squareRoot())
                v[s] = (w * unit) * Vector3(mean[0], mean[1], mean[2])
            }
            start = end
        }
        return v
    }
}
