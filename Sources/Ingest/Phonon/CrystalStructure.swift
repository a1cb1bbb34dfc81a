import Foundation

/// The crystal a phonon calculation was done for, as d3q's force-constant header states it.
public struct CrystalStructure: Sendable, Equatable {
    /// QE's bohr (d3q and the sample data use it), so volumes match the producer to every digit.
    public static let bohr = 0.52917720859e-10
    public static let rydbergMassPerAmu = 911.444195

    public var alat: Double // bohr (celldm(1))
    public var lattice: [[Double]] // a1, a2, a3 (Cartesian, units of alat)
    public var speciesNames: [String]
    public var speciesMassAmu: [Double]
    public var atomSpecies: [Int] // 0-based species index per atom
    public var atomPositions: [[Double]] // Cartesian, units of alat

    public init(
        alat: Double, lattice: [[Double]], speciesNames: [String], speciesMassAmu: [Double],
        atomSpecies: [Int], atomPositions: [[Double]]
    ) {
        self.alat = alat; self.lattice = lattice
        self.speciesNames = speciesNames; self.speciesMassAmu = speciesMassAmu
        self.atomSpecies = atomSpecies; self.atomPositions = atomPositions
    }

    public var atomCount: Int { atomSpecies.count }
    public var branchCount: Int { 3 * atomCount }
    public var alatMeters: Double { alat * Self.bohr }

    /// Primitive-cell volume Ω (m³).
    public var cellVolume: Double { abs(Self.det(lattice)) * pow(alatMeters, 3) }

    /// Mass density (kg/m³).
    public var density: Double {
        atomSpecies.reduce(0) { $0 + speciesMassAmu[$1] } * 1.66053906660e-27 / cellVolume
    }

    /// Reciprocal vectors b_i in units of 2π/alat, with a_i · b_j = δ_ij.
    public var reciprocal: [[Double]] {
        let a = lattice, d = Self.det(a)
        func cross(_ u: [Double], _ v: [Double]) -> [Double] {
            [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]]
        }
        return [cross(a[1], a[2]), cross(a[2], a[0]), cross(a[0], a[1])].map { $0.map { $0 / d } }
    }

    /// Converts a wavevector in Cartesian units of 2π/alat to 1/m.
    public var wavevectorUnit: Double { 2 * Double.pi / alatMeters }

    /// Reduced coordinates (of the reciprocal basis) → Cartesian units of 2π/alat.
    public func cartesian(reduced q: [Double]) -> [Double] {
        let b = reciprocal
        return (0..<3).map { c in q[0] * b[0][c] + q[1] * b[1][c] + q[2] * b[2][c] }
    }

    /// Cartesian units of 2π/alat → reduced coordinates (q_i = q · a_i).
    public func reduced(cartesian q: [Double]) -> [Double] {
        lattice.map { a in a[0] * q[0] + a[1] * q[1] + a[2] * q[2] }
    }

    static func det(_ m: [[Double]]) -> Double {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    }
}
