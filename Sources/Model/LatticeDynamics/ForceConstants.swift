import Foundation

/// Harmonic (fc2) and cubic (fc3) force constants of a crystal on a supercell, in phonopy's compact layout, with the
/// structure they belong to. Units as phonopy writes them: Å, amu, eV/Å², eV/Å³.
///
/// The dynamical matrix follows phonopy's convention (docs/smm.md §7): the phase of the pair (primitive atom p,
/// supercell atom s) is averaged over the shortest supercell images of the vector r_s − r_p, so that frequencies at any
/// q equal phonopy's and phono3py's for the same files.
public struct ForceConstants: Sendable, Equatable {
    public static func == (a: ForceConstants, b: ForceConstants) -> Bool {
        a.primitiveLattice == b.primitiveLattice && a.supercellLattice == b.supercellLattice && a.positions == b.positions
            && a.masses == b.masses && a.p2s == b.p2s && a.fc2 == b.fc2 && a.fc3 == b.fc3
    }

    public let primitiveLattice: [Vector3]
    public let supercellLattice: [Vector3]
    /// Supercell atoms, Cartesian Å, and their masses (amu).
    public let positions: [Vector3]
    public let masses: [Double]
    /// Primitive atom p is supercell atom `p2s[p]`; supercell atom s is a lattice translate of primitive atom `s2p[s]`.
    public let p2s: [Int]
    public let s2p: [Int]
    /// (primitive atom, supercell atom, α, β), eV/Å².
    public let fc2: [Double]
    /// (primitive atom, supercell atom, supercell atom, α, β, γ), eV/Å³; nil when only harmonic data were given.
    public let fc3: [Double]?
    /// Shortest images of r_s − r_{p2s[p]} (Cartesian Å) for pair index p·ns + s.
    public let images: [[Vector3]]
    /// (p, s) pairs with a non-zero fc2 block.
    let harmonicPairs: [(p: Int, s: Int)]

    public var primitiveCount: Int { p2s.count }
    public var supercellCount: Int { positions.count }
    public var branchCount: Int { 3 * p2s.count }
    public var primitiveMasses: [Double] { p2s.map { masses[$0] } }
    /// Primitive cell volume, Å³.
    public var cellVolume: Double { abs(primitiveLattice[0].dot(primitiveLattice[1].cross(primitiveLattice[2]))) }

    /// √(eV Å⁻² amu⁻¹) / 2π in THz with phonopy's own eV and amu (1.60217733e-19 J, 1.6605402e-27 kg), not
    /// CODATA 2018's: phonopy's frequencies, and so the mode files made from the same fc2, carry this factor
    /// (15.6333023; CODATA 2018 gives 15.6333042, 1.2e-7 apart, which shows as a 2e-6 THz disagreement).
    public static let terahertzPerRootEigenvalue: Double = (1.60217733e-19 / 1.6605402e-27).squareRoot() / 1e-10 / (2 * Double.pi) / 1e12

    public init(
        primitiveLattice: [Vector3], supercellLattice: [Vector3], positions: [Vector3], masses: [Double],
        p2s: [Int], fc2: [Double], fc3: [Double]?
    ) throws {
        let ns = positions.count, np = p2s.count
        func bad(_ s: String) -> ForceConstantsError { ForceConstantsError(message: s) }
        guard primitiveLattice.count == 3, supercellLattice.count == 3 else { throw bad("lattices need three vectors each") }
        guard masses.count == ns, ns > 0 else { throw bad("\(masses.count) masses for \(ns) supercell atoms") }
        guard np > 0, p2s.allSatisfy({ (0..<ns).contains($0) }) else { throw bad("p2s_map \(p2s) does not index the \(ns) supercell atoms") }
        guard fc2.count == np * ns * 9 else {
            throw bad("fc2 has \(fc2.count) values, expected \(np) × \(ns) × 3 × 3 = \(np * ns * 9) (compact layout)")
        }
        if let fc3, fc3.count != np * ns * ns * 27 {
            throw bad("fc3 has \(fc3.count) values, expected \(np) × \(ns) × \(ns) × 27 = \(np * ns * ns * 27) (compact layout)")
        }
        let volP = abs(primitiveLattice[0].dot(primitiveLattice[1].cross(primitiveLattice[2])))
        let volS = abs(supercellLattice[0].dot(supercellLattice[1].cross(supercellLattice[2])))
        guard volP > 0, abs(volS / volP - Double(ns / np)) < 1e-6 * volS / volP, ns % np == 0 else {
            throw bad("supercell volume \(volS) Å³ with \(ns) atoms is not \(ns / max(np, 1)) primitive cells of \(volP) Å³ with \(np) atoms")
        }
        let invP = Self.reciprocal(primitiveLattice), invS = Self.reciprocal(supercellLattice)
        var s2p = [Int](repeating: -1, count: ns)
        for s in 0..<ns {
            for p in 0..<np {
                let d = Self.coordinates(positions[s] - positions[p2s[p]], invP)
                if [d.x, d.y, d.z].allSatisfy({ abs($0 - $0.rounded()) < 1e-5 }) { s2p[s] = p; break }
            }
            guard s2p[s] >= 0 else { throw bad("supercell atom \(s) is not a lattice translate of any primitive atom") }
            guard abs(masses[s] - masses[p2s[s2p[s]]]) < 1e-8 * masses[s] else {
                throw bad("supercell atom \(s) has mass \(masses[s]) amu, its primitive image \(masses[p2s[s2p[s]]]) amu")
            }
        }
        var images = [[Vector3]]()
        images.reserveCapacity(np * ns)
        for p in 0..<np {
            for s in 0..<ns {
                var d = Self.coordinates(positions[s] - positions[p2s[p]], invS)
                d = Vector3(d.x - d.x.rounded(), d.y - d.y.rounded(), d.z - d.z.rounded())
                var found: [Vector3] = [], best = Double.infinity
                for i in -2...2 {
                    for j in -2...2 {
                        for k in -2...2 {
                            let f = Vector3(d.x + Double(i), d.y + Double(j), d.z + Double(k))
                            let r = f.x * supercellLattice[0] + f.y * supercellLattice[1] + f.z * supercellLattice[2]
                            let l = r.norm
                            if l < best - 1e-5 { best = l; found = [r] } else if abs(l - best) <= 1e-5 { found.append(r) }
                        }
                    }
                }
                images.append(found)
            }
        }
        self.primitiveLattice = primitiveLattice; self.supercellLattice = supercellLattice
        self.positions = positions; self.masses = masses; self.p2s = p2s; self.s2p = s2p
        self.fc2 = fc2; self.fc3 = fc3; self.images = images
        harmonicPairs = (0..<(np * ns)).filter { k in (0..<9).contains { fc2[k * 9 + $0] != 0 } }.map { ($0 / ns, $0 % ns) }
    }

    /// q in the primitive reciprocal basis (without 2π) from a Cartesian wavevector in 1/m.
    public func reducedWavevector(cartesianPerMetre q: Vector3) -> Vector3 {
        let qA = 1e-10 * q // 1/Å
        return (1 / (2 * Double.pi)) * Vector3(primitiveLattice[0].dot(qA), primitiveLattice[1].dot(qA), primitiveLattice[2].dot(qA))
    }

    /// Cartesian wavevector (1/Å, with 2π) of a reduced q.
    public func cartesian(reduced q: Vector3) -> Vector3 {
        let b = Self.reciprocal(primitiveLattice)
        return (2 * Double.pi) * (q.x * b[0] + q.y * b[1] + q.z * b[2])
    }

    /// (1/multiplicity) Σ_images e^{i q·r} of pair (p, s), q Cartesian 1/Å.
    func phase(_ p: Int, _ s: Int, _ qc: Vector3) -> (re: Double, im: Double) {
        let imgs = images[p * supercellCount + s]
        var c = 0.0, sn = 0.0
        for r in imgs { let a = qc.dot(r); c += cos(a); sn += sin(a) }
        let inv = 1 / Double(imgs.count)
        return (c * inv, sn * inv)
    }

    /// Mean image vector of pair (p, s), Cartesian Å: phono3py's R for the strain derivative.
    func meanImage(_ p: Int, _ s: Int) -> Vector3 {
        let imgs = images[p * supercellCount + s]
        return (1 / Double(imgs.count)) * imgs.reduce(Vector3.zero, +)
    }

    /// Reciprocal vectors b_i (a_i·b_j = δ_ij, no 2π) of lattice rows a_i.
    public static func reciprocal(_ l: [Vector3]) -> [Vector3] {
        let det = l[0].dot(l[1].cross(l[2]))
        return [(1 / det) * l[1].cross(l[2]), (1 / det) * l[2].cross(l[0]), (1 / det) * l[0].cross(l[1])]
    }

    /// Coordinates of r on lattice rows whose reciprocal vectors are `b`.
    public static func coordinates(_ r: Vector3, _ b: [Vector3]) -> Vector3 { Vector3(r.dot(b[0]), r.dot(b[1]), r.dot(b[2])) }
}

public struct ForceConstantsError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
