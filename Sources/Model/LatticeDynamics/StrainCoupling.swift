/// How a static strain changes the dynamical matrix, from the cubic force constants: the phonon–strain coupling
/// behind the mode Grüneisen tensors and the Strain Mismatch Model's matrix elements (docs/smm.md §7).
///
/// A homogeneous strain ε moves atom (l, κ) by ε·r(l, κ) plus an internal relaxation u_κ = X_κ : ε (the ions settle
/// in the strained cell: Kleinman's internal strain in diamond under shear). To first order the harmonic force
/// constants change by δΦ_{αβ}(0κ, l'κ') = Σ_{l''κ''γ} Φ_{αβγ}(0κ, l'κ', l''κ'') u_γ(l''κ''), so
/// ∂D/∂ε_{kl}(q) = Σ_{l'} ∂Φ/∂ε_{kl}(0κ, l'κ') e^{iq·(r_{l'κ'} − r_{0κ})} / √(m_κ m_κ') and
/// δ(ω²) = e† (∂D/∂ε : ε) e, i.e. the Grüneisen tensor γ_{kl} = −e† ∂D/∂ε_{kl} e / (2ω²).
/// This is phono3py's construction (phono3py.phonon3.gruneisen), written independently and tested against it.
public struct StrainCoupling: Sendable {
    public let forceConstants: ForceConstants
    /// ∂Φ_{ij}(p, s)/∂ε_{kl}, index ((p·ns + s)·9 + 3i + j)·9 + 3k + l, eV/Å².
    let dPhi: [Double]
    /// (p, s) pairs whose ∂Φ is not all zero: short-ranged potentials leave most of the supercell out.
    let pairs: [(p: Int, s: Int)]
    /// Internal relaxation X[κ, i, k, l]: the displacement of primitive atom κ along i per unit ε_{kl}, Å.
    public let internalStrain: [Double]

    public init(_ fc: ForceConstants, ionRelaxation: Bool = true) throws {
        guard let fc3 = fc.fc3 else { throw ForceConstantsError(message: "the strain coupling needs fc3; only fc2 was given") }
        forceConstants = fc
        let np = fc.primitiveCount, ns = fc.supercellCount
        var r = [Vector3](repeating: .zero, count: np * ns)
        for p in 0..<np { for s in 0..<ns { r[p * ns + s] = fc.meanImage(p, s) } }
        var x = [Double](repeating: 0, count: np * 27)
        if ionRelaxation {
            // Pseudo-inverse of the Γ-point dynamical matrix over its optical modes, mass-weighted back to forces.
            let d = fc.dynamicalMatrix(reduced: .zero)
            let e = HermitianEigen(re: d.re, im: [Double](repeating: 0, count: d.re.count), size: 3 * np)
            let n = 3 * np, m = fc.primitiveMasses
            var g = [Double](repeating: 0, count: n * n)
            for a in 0..<n {
                for b in 0..<n {
                    var sum = 0.0
                    for s in 3..<n where e.values[s] != 0 { sum += e.re[a * n + s] * e.re[b * n + s] / e.values[s] }
                    g[a * n + b] = sum / (m[a / 3] * m[b / 3]).squareRoot()
                }
            }
            // Force on atom ν along l per unit ε_{jk}: −Σ_N Φ_{lj}(ν, N) R_k(ν, N).
            var force = [Double](repeating: 0, count: np * 27)
            for nu in 0..<np {
                for nn in 0..<ns {
                    let rk = r[nu * ns + nn]
                    for l in 0..<3 {
                        for j in 0..<3 {
                            let f = fc.fc2[(nu * ns + nn) * 9 + l * 3 + j]
                            force[nu * 27 + l * 9 + j * 3 + 0] += f * rk.x
                            force[nu * 27 + l * 9 + j * 3 + 1] += f * rk.y
                            force[nu * 27 + l * 9 + j * 3 + 2] += f * rk.z
                        }
                    }
                }
            }
            for mu in 0..<np {
                for i in 0..<3 {
                    for jk in 0..<9 {
                        var sum = 0.0
                        for nu in 0..<np { for l in 0..<3 { sum += g[(3 * mu + i) * n + 3 * nu + l] * force[nu * 27 + l * 9 + jk] } }
                        x[mu * 27 + i * 9 + jk] = -sum
                    }
                }
            }
        }
        internalStrain = x
        var dphi = [Double](repeating: 0, count: np * ns * 81)
        for nu in 0..<np {
            for pi in 0..<ns {
                for mm in 0..<ns {
                    let rl = r[nu * ns + mm], xm = fc.s2p[mm]
                    let base = ((nu * ns + pi) * ns + mm) * 27
                    for ij in 0..<9 {
                        let f0 = fc3[base + ij * 3], f1 = fc3[base + ij * 3 + 1], f2 = fc3[base + ij * 3 + 2]
                        if f0 == 0 && f1 == 0 && f2 == 0 { continue }
                        let out = (nu * ns + pi) * 9 * 9 + ij * 9
                        let fk = [f0, f1, f2]
                        for k in 0..<3 {
                            dphi[out + k * 3 + 0] += fk[k] * rl.x
                            dphi[out + k * 3 + 1] += fk[k] * rl.y
                            dphi[out + k * 3 + 2] += fk[k] * rl.z
                        }
                        for kl in 0..<9 {
                            dphi[out + kl] += f0 * x[xm * 27 + 0 * 9 + kl] + f1 * x[xm * 27 + 1 * 9 + kl] + f2 * x[xm * 27 + 2 * 9 + kl]
                        }
                    }
                }
            }
        }
        dPhi = dphi
        pairs = (0..<(np * ns)).filter { k in (0..<81).contains { dphi[k * 81 + $0] != 0 } }.map { ($0 / ns, $0 % ns) }
    }

    /// Σ_kl ε_kl ∂D/∂ε_kl(q) for a complex strain ε (row-major 3×3), row-major (3np)², eV Å⁻² amu⁻¹: the one
    /// matrix a diffraction channel needs, without forming the nine derivatives.
    public func contractedDerivative(reduced q: Vector3, strainRe er: [Double], strainIm ei: [Double]) -> (re: [Double], im: [Double]) {
        let fc = forceConstants, ns = fc.supercellCount, n = fc.branchCount
        let qc = fc.cartesian(reduced: q), m = fc.primitiveMasses
        var re = [Double](repeating: 0, count: n * n), im = re
        dPhi.withUnsafeBufferPointer { d in
            for (nu, s) in pairs {
                let pp = fc.s2p[s]
                let (c, sn) = fc.phase(nu, s, qc)
                let w = 1 / (m[nu] * m[pp]).squareRoot()
                let base = (nu * ns + s) * 81
                for i in 0..<3 {
                    for j in 0..<3 {
                        var tr = 0.0, ti = 0.0
                        let b = base + (i * 3 + j) * 9
                        for kl in 0..<9 { tr += d[b + kl] * er[kl]; ti += d[b + kl] * ei[kl] }
                        let idx = (3 * nu + i) * n + 3 * pp + j
                        re[idx] += w * (c * tr - sn * ti); im[idx] += w * (c * ti + sn * tr)
                    }
                }
            }
        }
        return (re, im)
    }

    /// ∂D/∂ε_{kl}(q) for the nine (k, l), each row-major (3np)², eV Å⁻² amu⁻¹.
    public func strainDerivative(reduced q: Vector3) -> [(re: [Double], im: [Double])] {
        let fc = forceConstants, np = fc.primitiveCount, ns = fc.supercellCount, n = 3 * np
        let qc = fc.cartesian(reduced: q), m = fc.primitiveMasses
        var out = [(re: [Double], im: [Double])](repeating: ([Double](repeating: 0, count: n * n), [Double](repeating: 0, count: n * n)), count: 9)
        for nu in 0..<np {
            for s in 0..<ns {
                let pp = fc.s2p[s]
                let (c, sn) = fc.phase(nu, s, qc)
                let w = 1 / (m[nu] * m[pp]).squareRoot()
                for i in 0..<3 {
                    for j in 0..<3 {
                        let row = 3 * nu + i, col = 3 * pp + j
                        for kl in 0..<9 {
                            let f = dPhi[((nu * ns + s) * 9 + i * 3 + j) * 9 + kl] * w
                            out[kl].re[row * n + col] += f * c
                            out[kl].im[row * n + col] += f * sn
                        }
                    }
                }
            }
        }
        return out
    }

    /// Mode Grüneisen tensors at q: γ_{kl}(s) = −Re e_s† ∂D/∂ε_{kl} e_s / (2ω_s²); γ = tr γ / 3. Within a degenerate
    /// set (|Δf| < `degeneracy` THz) the eigenvectors are first rotated to diagonalise the hydrostatic ∂D, the
    /// degenerate perturbation theory that makes γ independent of the eigensolver's gauge. At Γ the three acoustic
    /// modes get γ = 0, as in phono3py. Returns the rotated phonons too (their eigenvectors are the ones γ refers to).
    public func gruneisen(reduced q: Vector3, degeneracy: Double = 1e-4) -> (phonons: HarmonicPhonons, gamma: [Double], tensor: [[Double]]) {
        var ph = forceConstants.phonons(reduced: q)
        let n = forceConstants.branchCount
        let dd = strainDerivative(reduced: q)
        var hr = [Double](repeating: 0, count: n * n), hi = hr
        for k in 0..<3 { for i in 0..<(n * n) { hr[i] += dd[4 * k].re[i]; hi[i] += dd[4 * k].im[i] } }
        let f = ph.frequencies
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && abs(f[end] - f[start]) < degeneracy { end += 1 }
            if end - start > 1 { ph.eigen = Self.rotate(ph.eigen, block: start..<end, by: hr, hi) }
            start = end
        }
        let gamma0 = q.x == 0 && q.y == 0 && q.z == 0 || max(abs(q.x), abs(q.y), abs(q.z)) < 1e-5
        var tensor = [[Double]](repeating: [Double](repeating: 0, count: 9), count: n)
        for s in 0..<n {
            if gamma0 && s < 3 { continue }
            let w2 = ph.eigen.values[s]
            for kl in 0..<9 { tensor[s][kl] = -ph.eigen.element(dd[kl].re, dd[kl].im, s, s).re / (2 * w2) }
        }
        return (ph, tensor.map { ($0[0] + $0[4] + $0[8]) / 3 }, tensor)
    }

    /// Rotates eigenvector columns `block` so that H restricted to them is diagonal.
    static func rotate(_ e: HermitianEigen, block: Range<Int>, by hr: [Double], _ hi: [Double]) -> HermitianEigen {
        let k = block.count, n = e.size
        var pr = [Double](repeating: 0, count: k * k), pi = pr
        for (a, ca) in block.enumerated() {
            for (b, cb) in block.enumerated() {
                let v = e.element(hr, hi, ca, cb); pr[a * k + b] = v.re; pi[a * k + b] = v.im
            }
        }
        let u = HermitianEigen(re: pr, im: pi, size: k)
        var out = e
        for i in 0..<n {
            for (c, col) in block.enumerated() {
                var sr = 0.0, si = 0.0
                for (a, ca) in block.enumerated() {
                    let vr = e.re[i * n + ca], vi = e.im[i * n + ca], wr = u.re[a * k + c], wi = u.im[a * k + c]
                    sr += vr * wr - vi * wi; si += vr * wi + vi * wr
                }
                out.re[i * n + col] = sr; out.im[i * n + col] = si
            }
        }
        return out
    }
}
