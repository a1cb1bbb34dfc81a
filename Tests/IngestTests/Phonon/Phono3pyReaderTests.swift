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

    /// Builds a k-star file from a full mesh (one representative per star, weight = star size) and checks that
    /// unfolding restores every mesh point's frequencies and linewidths, and a κ with the crystal's cubic symmetry:
    /// isotropic to 1e-6 with zero off-diagonal, as phono3py's own k-star κ.
    func testUnfoldsIrreducibleFile() throws {
        try checkUnfolding(mesh: 4, file: "kappa-m444.hdf5", reference: "full_matrix_mesh", rejectsWithoutUnfolding: true)
        try checkUnfolding(mesh: 8, file: "kappa-m888.hdf5", reference: "main_mesh", rejectsWithoutUnfolding: false)
    }

    /// phono3py's own k-star RTA files (Si 4³ and 8³, 300 K, from the same force constants): the unfolded κ is
    /// isotropic to 1e-6 and equals phono3py's k-star κ (a sum over the whole point group) to 1e-5 in every
    /// component; 1e-5 because the two programs' unit constants differ by 1.1e-6 (the full-mesh check above).
    func testUnfoldedKappaIsPhono3pysKStarKappa() throws {
        let c = try PhononFixtures.crystal("si")
        for file in ["kappa-m444-kstar.hdf5", "kappa-m888-kstar.hdf5"] {
            let path = PhononFixtures.data("si", file)
            let f = try HDF5File.open(path)
            let k6 = try f.readDataset("kappa", as: Double.self) // xx yy zz yz xz xy
            let weights = try f.readDataset("weight", as: Int64.self)
            try f.close()
            XCTAssertTrue(weights.contains { $0 > 1 }, "\(file) is a k-star file")
            let table = try Phono3pyReader.read(path, crystal: c)
            let k = KappaCalculator.rta(table.modes)
            print("κ_RTA \(file) unfolded: \([k[0], k[4], k[8]]), phono3py: \(Array(k6.prefix(3)))")
            let scale = k6[0]
            for (ours, theirs) in [(k[0], k6[0]), (k[4], k6[1]), (k[8], k6[2]), (k[5], k6[3]), (k[2], k6[4]), (k[1], k6[5])] {
                XCTAssertLessThan(abs(ours - theirs), 1e-5 * scale, "\(file): \(ours) vs phono3py \(theirs)")
            }
            for i in 1..<3 { XCTAssertLessThan(abs(k[4 * i] - k[0]), 1e-6 * scale, "\(file): κ[\(i)\(i)] vs κ[00]") }
        }
    }

    private func checkUnfolding(mesh m: Int, file: String, reference name: String, rejectsWithoutUnfolding: Bool) throws {
        let c = try PhononFixtures.crystal("si")
        let full = PhononFixtures.data("si", file)
        let f = try HDF5File.open(full)
        let freq = try f.readDataset("frequency", as: Double.self), gamma = try f.readDataset("gamma", as: Double.self)
        let gv = try f.readDataset("group_velocity", as: Double.self), q = try f.readDataset("qpoint", as: Double.self)
        try f.close()
        let nq = m * m * m
        let ops = CrystalSymmetry.rotations(c)
        var taken = Set<Int>(), reps: [Int] = [], weights: [Int] = []
        func address(_ r: [Double]) -> Int {
            let a = r.map { ((Int(($0 * Double(m)).rounded()) % m) + m) % m }
            return a[0] + m * (a[1] + m * a[2])
        }
        for iq in 0..<nq where !taken.contains(address(Array(q[(3 * iq)..<(3 * iq + 3)]))) {
            let qc = c.cartesian(reduced: Array(q[(3 * iq)..<(3 * iq + 3)]))
            var star = Set<Int>()
            for op in ops {
                for s in [1.0, -1.0] {
                    star.insert(address(c.reduced(cartesian: CrystalSymmetry.apply(op, qc).map { s * $0 })))
                }
            }
            taken.formUnion(star); reps.append(iq); weights.append(star.count)
        }
        XCTAssertEqual(weights.reduce(0, +), nq)
        let dir = try PhononFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ir = dir.appendingPathComponent("kappa-kstar.hdf5").path
        let out = try HDF5File.create(ir)
        func pick(_ v: [Double], _ w: Int) -> [Double] { reps.flatMap { v[($0 * w)..<(($0 + 1) * w)] } }
        try out.writeDataset("frequency", pick(freq, 6), shape: [reps.count, 6])
        try out.writeDataset("gamma", pick(gamma, 6), shape: [1, reps.count, 6])
        try out.writeDataset("group_velocity", pick(gv, 18), shape: [reps.count, 6, 3])
        try out.writeDataset("qpoint", pick(q, 3), shape: [reps.count, 3])
        try out.writeDataset("weight", weights.map(Int64.init), shape: [reps.count])
        try out.writeDataset("mesh", [Int64(m), Int64(m), Int64(m)], shape: [3])
        try out.writeDataset("temperature", [300.0], shape: [1])
        try out.close()

        let unfolded = try Phono3pyReader.read(ir, crystal: c)
        let reference = try Phono3pyReader.read(full, crystal: c)
        XCTAssertEqual(unfolded.modes.count, 6 * nq)
        // Same mesh order: frequencies and lifetimes agree mode by mode.
        for mu in 3..<(6 * nq) {
            assertRelative(unfolded.modes.omega[mu], reference.modes.omega[mu], 1e-6, "ω[\(mu)]")
        }
        let ku = KappaCalculator.rta(unfolded.modes), kr = KappaCalculator.rta(reference.modes)
        let traceU = (ku[0] + ku[4] + ku[8]) / 3, traceR = (kr[0] + kr[4] + kr[8]) / 3
        let kstar = try PhononFixtures.referenceKappa("si", name, "kappa_RTA_phono3py_kstar")
        print(
            "κ_RTA si \(m)³ unfolded: \([ku[0], ku[4], ku[8]]) off-diagonal \([ku[1], ku[2], ku[5]]); full mesh: \([kr[0], kr[4], kr[8]]); phono3py k-star \(kstar[0])"
        )
        // Cubic: the unfolded tensor is isotropic, whatever basis phonopy chose for degenerate bands.
        for i in 0..<3 { assertRelative(ku[4 * i], traceU, 1e-6, "κ[\(i)\(i)] vs tr κ/3 (\(m)³)") }
        for (i, j) in [(0, 1), (0, 2), (1, 2)] {
            XCTAssertLessThan(abs(ku[3 * i + j]), 1e-6 * traceU, "κ[\(i)\(j)] (\(m)³)")
        }
        assertRelative(traceU, traceR, 0.01, "tr κ/3 unfolded vs full (\(m)³)")
        assertRelative(traceU, kstar[0], 1e-5, "unfolded κ vs phono3py k-star (\(m)³)")

        guard rejectsWithoutUnfolding else { return }
        assertPhononError(.irreducibleMesh, file: ir, dataset: "weight", contains: ["--no-kappa-stars"]) {
            try Phono3pyReader.read(ir, crystal: c, options: .init(unfoldIrreducible: false))
        }
    }
}
