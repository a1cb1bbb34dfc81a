/// The harmonic part of a mode set on any Γ-centred q-mesh, straight from fc2: frequencies, group velocities,
/// wavevectors and volume weights — everything an interface kernel uses — with no lifetimes (τ = ∞). Built for
/// studying how interface conductances move with the q-mesh without a phono3py run per mesh (docs/smm.md §7.7).
extension ForceConstants {
    /// Mesh N₁×N₂×N₃, q = (i/N₁, j/N₂, k/N₃) reduced with the first index fastest (phono3py's order), folded to
    /// (−½, ½]; modes with f below `cutoff` THz (the Γ acoustic modes) are inert (no velocity, ∂n̄/∂T = 0).
    public func harmonicModeSet(mesh: [Int], temperature: Double, cutoff: Double = 1e-4) -> (modes: ModeSet, harmonics: ModeHarmonics) {
        precondition(mesh.count == 3 && mesh.allSatisfy { $0 > 0 })
        let nb = branchCount, nq = mesh.reduce(1, *)
        let volume = cellVolume * 1e-30
        var omega = [Double](), vx = [Double](), vy = [Double](), vz = [Double](), rho = [Double](), dndT = [Double]()
        var qx = [Double](), qy = [Double](), qz = [Double](), branch = [Int32](), qIndex = [Int32]()
        var vectors = [Double]()
        func fold(_ i: Int, _ n: Int) -> Double { let x = Double(i) / Double(n); return x > 0.5 ? x - 1 : x }
        var iq = 0
        for k in 0..<mesh[2] {
            for j in 0..<mesh[1] {
                for i in 0..<mesh[0] {
                    let q = Vector3(fold(i, mesh[0]), fold(j, mesh[1]), fold(k, mesh[2]))
                    let ph = phonons(reduced: q)
                    let v = groupVelocities(ph)
                    let f = ph.frequencies
                    let qc = 1e10 * cartesian(reduced: q)
                    for s in 0..<nb {
                        let live = f[s] > cutoff
                        let w = 2 * Double.pi * 1e12 * f[s]
                        omega.append(w)
                        vx.append(live ? v[s].x : 0); vy.append(live ? v[s].y : 0); vz.append(live ? v[s].z : 0)
                        rho.append(1 / (Double(nq) * volume))
                        dndT.append(live ? BoseEinstein.dOccupationdT(omega: w, temperature: temperature) : 0)
                        qx.append(qc.x); qy.append(qc.y); qz.append(qc.z)
                        branch.append(Int32(s)); qIndex.append(Int32(iq))
                        for c in 0..<nb { vectors.append(ph.eigen.re[c * nb + s]); vectors.append(ph.eigen.im[c * nb + s]) }
                    }
                    iq += 1
                }
            }
        }
        let modes = ModeSet(
            temperature: temperature, omega: omega, vx: vx, vy: vy, vz: vz,
            tau: [Double](repeating: .infinity, count: omega.count), volumeWeight: rho, dndT: dndT,
            qx: qx, qy: qy, qz: qz, branch: branch, qIndex: qIndex)
        return (
            modes,
            ModeHarmonics(
                forceConstants: self, eigenvectors: vectors, gruneisen: nil, gruneisenTensor: nil,
                largestFrequencyDeviation: 0)
        )
    }
}
