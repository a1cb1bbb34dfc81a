import Foundation
import Model
import Store
import XCTest
@testable import Ingest

final class Phono3pyReaderTests: XCTestCase {
    func testParsesFullMesh() throws {
        let c = try PhononFixtures.crystal("si")
        let t = try Phono3pyReader.read(PhononFixtures.data("si", "kappa-m888.hdf5"), crystal: c)
        XCTAssertEqual(t.modes.count, 3072)
        XCTAssertEqual(t.qMesh, [8, 8, 8])
        XCTAssertEqual(t.excludedCount, 3)
        XCTAssertTrue(t.warnings.allSatisfy { !$0.contains("heat_capacity") }, "\(t.warnings)")
    }

    func testRTAKappaMatchesPhono3py8x8x8() throws {
        for material in ["si", "ge"] {
            let c = try PhononFixtures.crystal(material)
            let path = PhononFixtures.data(material, "kappa-m888.hdf5")
            let k = KappaCalculator.rta(try Phono3pyReader.read(path, crystal: c).modes)
            let ref = try PhononFixtures.phono3pyKappaDiagonal(path)
            print("κ_RTA \(material) 8³ from kappa-m888.hdf5: \([k[0], k[4], k[8]]) vs phono3py \(ref)")
            for i in 0..<3 { assertRelative(k[4 * i], ref[i], 0.01, "\(material) κ_RTA[\(i)\(i)]") }
            assertRelative(k[0], ref[0], 1e-5, "\(material) κ_RTA,xx (tight)")
        }
    }

    /// Builds a k-star file from the full 4³ mesh (one representative per star, weight = star size) and checks that
    /// unfolding restores every mesh point's frequencies and linewidths and the RTA κ.
    func testUnfoldsIrreducibleFile() throws {
        let c = try PhononFixtures.crystal("si")
        let full = PhononFixtures.data("si", "kappa-m444.hdf5")
        let f = try HDF5File.open(full)
        let freq = try f.readDataset("frequency", as: Double.self), gamma = try f.readDataset("gamma", as: Double.self)
        let gv = try f.readDataset("group_velocity", as: Double.self), q = try f.readDataset("qpoint", as: Double.self)
        try f.close()
        let ops = CrystalSymmetry.rotations(c)
        var taken = Set<Int>(), reps: [Int] = [], weights: [Int] = []
        func address(_ r: [Double]) -> Int {
            let a = r.map { ((Int(($0 * 4).rounded()) % 4) + 4) % 4 }
            return a[0] + 4 * (a[1] + 4 * a[2])
        }
        for iq in 0..<64 where !taken.contains(address(Array(q[(3 * iq)..<(3 * iq + 3)]))) {
            let qc = c.cartesian(reduced: Array(q[(3 * iq)..<(3 * iq + 3)]))
            var star = Set<Int>()
            for op in ops { for s in [1.0, -1.0] {
                star.insert(address(c.reduced(cartesian: CrystalSymmetry.apply(op, qc).map { s * $0 })))
            } }
            taken.formUnion(star); reps.append(iq); weights.append(star.count)
        }
        XCTAssertEqual(weights.reduce(0, +), 64)
        let dir = try PhononFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ir = dir.appendingPathComponent("kappa-m444-kstar.hdf5").path
        let out = try HDF5File.create(ir)
        func pick(_ v: [Double], _ w: Int) -> [Double] { reps.flatMap { v[($0 * w)..<(($0 + 1) * w)] } }
        try out.writeDataset("frequency", pick(freq, 6), shape: [reps.count, 6])
        try out.writeDataset("gamma", pick(gamma, 6), shape: [1, reps.count, 6])
        try out.writeDataset("group_velocity", pick(gv, 18), shape: [reps.count, 6, 3])
        try out.writeDataset("qpoint", pick(q, 3), shape: [reps.count, 3])
        try out.writeDataset("weight", weights.map(Int64.init), shape: [reps.count])
        try out.writeDataset("mesh", [Int64(4), 4, 4], shape: [3])
        try out.writeDataset("temperature", [300.0], shape: [1])
        try out.close()

        let unfolded = try Phono3pyReader.read(ir, crystal: c)
        let reference = try Phono3pyReader.read(full, crystal: c)
        XCTAssertEqual(unfolded.modes.count, 384)
        // Same mesh order: frequencies and lifetimes agree mode by mode.
        for mu in 3..<384 {
            assertRelative(unfolded.modes.omega[mu], reference.modes.omega[mu], 1e-6, "ω[\(mu)]")
        }
        let ku = KappaCalculator.rta(unfolded.modes), kr = KappaCalculator.rta(reference.modes)
        // Rotated velocities of degenerate bands are basis dependent (phonopy takes diagonal elements of dD/dq in
        // its own degenerate basis), so the unfolded tensor is as anisotropic as the full-mesh one, not cubic.
        let traceU = (ku[0] + ku[4] + ku[8]) / 3, traceR = (kr[0] + kr[4] + kr[8]) / 3
        print("κ_RTA si 4³ unfolded: \([ku[0], ku[4], ku[8]]), full mesh: \([kr[0], kr[4], kr[8]])")
        assertRelative(traceU, traceR, 0.01, "tr κ/3 unfolded vs full")
        let kstar = try PhononFixtures.referenceKappa("si", "full_matrix_mesh", "kappa_RTA_phono3py_kstar")
        for i in 0..<3 { assertRelative(ku[4 * i], kstar[0], 0.03, "unfolded κ[\(i)\(i)] vs phono3py k-star") }

        assertPhononError(.irreducibleMesh, file: ir, dataset: "weight", contains: ["--no-kappa-stars"]) {
            try Phono3pyReader.read(ir, crystal: c, options: .init(unfoldIrreducible: false))
        }
    }
}
