import Foundation
import Model
import Store
import XCTest
@testable import Ingest

/// fc2/fc3 of the SW sample data (tools/make_force_constants.py) against phono3py's own numbers from the same files:
/// the frequencies of kappa-m888.hdf5 and the mode Grüneisen parameters of phono3py's Gruneisen class at the same
/// q-points (gruneisen-m888.hdf5). Neither reference shares code with the Swift side.
final class ForceConstantTests: XCTestCase {
    func constants(_ m: String, fc3: Bool = true) throws -> ForceConstants {
        try ForceConstantsReader.read(
            fc2: PhononFixtures.data(m, "fc2.hdf5"), fc3: fc3 ? PhononFixtures.data(m, "fc3.hdf5") : nil,
            structure: PhononFixtures.data(m, "phono3py_disp.yaml"))
    }

    func reference(_ m: String) throws -> (q: [Vector3], f: [Double], gamma: [Double], tensor: [Double]) {
        let h = try HDF5Input(PhononFixtures.data(m, "gruneisen-m888.hdf5"))
        let (q, _) = try h.doubles("qpoint", shape: [nil, 3])
        let (f, _) = try h.doubles("frequency", shape: [nil, 6])
        let (g, _) = try h.doubles("gruneisen", shape: [nil, 6])
        let (t, _) = try h.doubles("gruneisen_tensor", shape: [nil, 6, 3, 3])
        return (stride(from: 0, to: q.count, by: 3).map { Vector3(q[$0], q[$0 + 1], q[$0 + 2]) }, f, g, t)
    }

    func testHermitianEigenOnARandomMatrix() {
        var rng = SystemRandomNumberGenerator()
        let n = 6
        var re = [Double](repeating: 0, count: n * n), im = re
        for i in 0..<n {
            for j in i..<n {
                let a = Double.random(in: -1...1, using: &rng), b = i == j ? 0 : Double.random(in: -1...1, using: &rng)
                re[i * n + j] = a; re[j * n + i] = a; im[i * n + j] = b; im[j * n + i] = -b
            }
        }
        let e = HermitianEigen(re: re, im: im, size: n)
        for a in 0..<n {
            for b in 0..<n {
                let v = e.element(re, im, a, b)
                XCTAssertEqual(v.re, a == b ? e.values[a] : 0, accuracy: 1e-12)
                XCTAssertEqual(v.im, 0, accuracy: 1e-12)
                // Orthonormal columns.
                var sr = 0.0, si = 0.0
                for i in 0..<n {
                    sr += e.re[i * n + a] * e.re[i * n + b] + e.im[i * n + a] * e.im[i * n + b]
                    si += e.re[i * n + a] * e.im[i * n + b] - e.im[i * n + a] * e.re[i * n + b]
                }
                XCTAssertEqual(sr, a == b ? 1 : 0, accuracy: 1e-12); XCTAssertEqual(si, 0, accuracy: 1e-12)
            }
        }
        XCTAssertEqual(e.values, e.values.sorted())
    }

    /// fc2 → frequencies at every q-point of the 8³ mesh equal phono3py's: ω² to 1e-9 THz² (measured 8e-13).
    func testFrequenciesMatchPhono3py() throws {
        for m in ["si", "ge"] {
            let fc = try constants(m, fc3: false)
            XCTAssertEqual(fc.primitiveCount, 2); XCTAssertEqual(fc.supercellCount, 64)
            let r = try reference(m)
            var worst = 0.0
            for (iq, q) in r.q.enumerated() {
                let f = fc.phonons(reduced: q).frequencies
                // On ω² (THz²): at Γ the acoustic eigenvalues are round-off around 0, whose square roots are not.
                for s in 0..<6 { worst = max(worst, abs(f[s] * abs(f[s]) - r.f[iq * 6 + s] * abs(r.f[iq * 6 + s]))) }
            }
            print("\(m): max ω² difference \(worst) THz²")
            XCTAssertLessThan(worst, 1e-9, "\(m): largest ω² difference \(worst) THz²")
        }
    }

    /// The coupling's diagonal under uniform strain: mode Grüneisen parameters equal phono3py's within 1e-10
    /// absolute on all 3072 modes of each material (the issue asks for 1%; the two are the same formula in
    /// different code, so round-off is the honest tolerance), and the full tensors of non-degenerate modes too.
    func testGruneisenMatchesPhono3py() throws {
        for m in ["si", "ge"] {
            let sc = try StrainCoupling(try constants(m))
            let r = try reference(m)
            var worstGamma = 0.0, worstTensor = 0.0, compared = 0
            for (iq, q) in r.q.enumerated() {
                let g = sc.gruneisen(reduced: q)
                let f = g.phonons.frequencies
                for s in 0..<6 {
                    worstGamma = max(worstGamma, abs(g.gamma[s] - r.gamma[iq * 6 + s]))
                    let single = (s == 0 || abs(f[s] - f[s - 1]) > 1e-3) && (s == 5 || abs(f[s + 1] - f[s]) > 1e-3)
                    if single {
                        compared += 1
                        for kl in 0..<9 { worstTensor = max(worstTensor, abs(g.tensor[s][kl] - r.tensor[(iq * 6 + s) * 9 + kl])) }
                    }
                }
            }
            print("\(m): max abs γ difference \(worstGamma), tensor \(worstTensor) over \(compared) modes")
            XCTAssertLessThan(worstGamma, 1e-10, "\(m): largest |γ − γ_phono3py| = \(worstGamma)")
            XCTAssertLessThan(worstTensor, 1e-10, "\(m): largest tensor difference \(worstTensor) over \(compared) modes")
            XCTAssertGreaterThan(compared, 1000)
        }
    }

    /// Polarisation selection: along Γ–X ([00ξ], C4v) a purely longitudinal strain ε_zz keeps the symmetry, so it
    /// cannot mix the longitudinal and transverse modes: e_T† ∂D/∂ε_zz e_L = 0 to round-off, while the diagonal
    /// (the L mode's own shift) is finite.
    func testLongitudinalStrainDoesNotMixPolarisations() throws {
        let fc = try constants("si")
        let sc = try StrainCoupling(fc)
        // [0 0 ξ] Cartesian in 2π/a: reduced coordinates on the fcc reciprocal basis (−1 1 1), (1 −1 1), (1 1 −1).
        let qz = 0.3
        let q = Vector3(qz / 2, qz / 2, 0)
        let c = fc.cartesian(reduced: q)
        XCTAssertEqual(c.x, 0, accuracy: 1e-12); XCTAssertEqual(c.y, 0, accuracy: 1e-12)
        let ph = fc.phonons(reduced: q)
        let dzz = sc.strainDerivative(reduced: q)[8]
        let n = 6
        // Displacement direction of each mode: the largest Cartesian weight summed over the two atoms.
        func axisWeight(_ s: Int, _ a: Int) -> Double {
            (0..<2).reduce(0) {
                $0 + ph.eigen.re[(3 * $1 + a) * n + s] * ph.eigen.re[(3 * $1 + a) * n + s]
                    + ph.eigen.im[(3 * $1 + a) * n + s] * ph.eigen.im[(3 * $1 + a) * n + s]
            }
        }
        let longitudinal = (0..<n).filter { axisWeight($0, 2) > 1 - 1e-9 }
        let transverse = (0..<n).filter { axisWeight($0, 2) < 1e-9 }
        XCTAssertEqual(longitudinal.count, 2); XCTAssertEqual(transverse.count, 4)
        var scale = 0.0
        for l in longitudinal { scale = max(scale, abs(ph.eigen.element(dzz.re, dzz.im, l, l).re)) }
        XCTAssertGreaterThan(scale, 1)
        for l in longitudinal {
            for t in transverse {
                let v = ph.eigen.element(dzz.re, dzz.im, t, l)
                XCTAssertLessThan((v.re * v.re + v.im * v.im).squareRoot(), 1e-12 * scale, "modes \(t) and \(l)")
            }
        }
        // A shear ε_xz does couple them (the selection is the symmetry's, not an accident of the data).
        let dxz = sc.strainDerivative(reduced: q)[2]
        var mixed = 0.0
        for l in longitudinal {
            for t in transverse {
                let v = dxz.re.indices.isEmpty ? (re: 0.0, im: 0.0) : ph.eigen.element(dxz.re, dxz.im, t, l)
                mixed = max(mixed, (v.re * v.re + v.im * v.im).squareRoot())
            }
        }
        XCTAssertGreaterThan(mixed, 1e-3 * scale)
    }

    func testMalformedInputsNameTheirFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let yaml = try String(contentsOfFile: PhononFixtures.data("si", "phono3py_disp.yaml"), encoding: .utf8)
        let broken = dir.appendingPathComponent("broken.yaml").path
        try yaml.replacingOccurrences(of: "coordinates: [  0.250000000000000,", with: "coordinates: [  0.25x,")
            .write(toFile: broken, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ForceConstantsReader.read(fc2: PhononFixtures.data("si", "fc2.hdf5"), fc3: nil, structure: broken)) {
            let s = String(describing: $0)
            XCTAssertTrue(s.contains("broken.yaml:36"), s)
        }
        // Ge's fc2 on Si's structure is accepted by shape but not by mass; Si's fc3 with Ge's fc2 by the supercell.
        let noSupercell = dir.appendingPathComponent("nosc.yaml").path
        try String(yaml[..<yaml.range(of: "supercell:")!.lowerBound]).write(toFile: noSupercell, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ForceConstantsReader.read(fc2: PhononFixtures.data("si", "fc2.hdf5"), fc3: nil, structure: noSupercell)) {
            XCTAssertTrue(String(describing: $0).contains("supercell"), String(describing: $0))
        }
        XCTAssertThrowsError(
            try ForceConstantsReader.read(
                fc2: PhononFixtures.data("si", "fc3.hdf5"), fc3: nil,
                structure: PhononFixtures.data("si", "phono3py_disp.yaml"))
        ) {
            XCTAssertTrue(String(describing: $0).contains("force_constants"), String(describing: $0))
        }
    }

    /// ingest phono3py --fc2 --fc3 --structure: the material file carries every mode's polarisation vector and γ_μ
    /// (equal to phono3py's), survives a read back unchanged, and force constants of another crystal are refused.
    func testIngestStoresEigenvectorsAndGruneisen() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fcingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("si.h5").path
        var o = PhononIngest.Options()
        o.forceConstants = ForceConstantFiles(
            fc2: PhononFixtures.data("si", "fc2.hdf5"), fc3: PhononFixtures.data("si", "fc3.hdf5"),
            structure: PhononFixtures.data("si", "phono3py_disp.yaml"))
        let s = try PhononIngest.ingestPhono3py(
            kappa: PhononFixtures.data("si", "kappa-m888.hdf5"),
            crystal: PhononFixtures.data("si", "crystal.si.txt"), output: out, options: o)
        XCTAssertLessThan(s.frequencyDeviation!, 1e-5)
        let (mat, _) = try MaterialFile.read(path: out)
        let h = try XCTUnwrap(mat.harmonics)
        let r = try reference("si")
        for mu in 0..<mat.modes.count { XCTAssertEqual(h.gruneisen![mu], r.gamma[mu], accuracy: 1e-10) }
        // Orthonormal polarisation vectors at every q-point.
        var worst = 0.0
        for iq in 0..<(mat.modes.count / 6) {
            for a in 0..<6 {
                for b in 0..<6 {
                    var re = 0.0, im = 0.0
                    for c in 0..<6 {
                        let ar = h.eigenvectors[((iq * 6 + a) * 6 + c) * 2], ai = h.eigenvectors[((iq * 6 + a) * 6 + c) * 2 + 1]
                        let br = h.eigenvectors[((iq * 6 + b) * 6 + c) * 2], bi = h.eigenvectors[((iq * 6 + b) * 6 + c) * 2 + 1]
                        re += ar * br + ai * bi; im += ar * bi - ai * br
                    }
                    worst = max(worst, abs(re - (a == b ? 1 : 0)), abs(im))
                }
            }
        }
        XCTAssertLessThan(worst, 1e-12)
        XCTAssertEqual(SchemaValidator.validate(path: out).issues.map { "\($0)" }, [])
        // Ge's force constants on Si's modes: the frequencies disagree and the error says so.
        o.forceConstants = ForceConstantFiles(
            fc2: PhononFixtures.data("ge", "fc2.hdf5"), fc3: nil,
            structure: PhononFixtures.data("ge", "phono3py_disp.yaml"))
        XCTAssertThrowsError(
            try PhononIngest.ingestPhono3py(
                kappa: PhononFixtures.data("si", "kappa-m888.hdf5"),
                crystal: PhononFixtures.data("si", "crystal.si.txt"),
                output: dir.appendingPathComponent("bad.h5").path, options: o)
        ) {
            let m = String(describing: $0)
            XCTAssertTrue(m.contains("ge/fc2.hdf5") && m.contains("do not describe these modes"), m)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad.h5").path))
    }

    /// Group velocities from fc2 (Hellmann–Feynman) equal phono3py's in kappa-m888.hdf5 (each non-degenerate mode;
    /// the sum over each degenerate set, which phono3py's symmetrisation leaves unchanged),
    /// and the harmonic mode set on the 8³ mesh is the kappa file's mode for mode (frequency, velocity, q order).
    func testGroupVelocitiesAndHarmonicModeSetMatchPhono3py() throws {
        for m in ["si", "ge"] {
            let fc = try constants(m)
            let h = try HDF5Input(PhononFixtures.data(m, "kappa-m888.hdf5"))
            let (gv, _) = try h.doubles("group_velocity", shape: [512, 6, 3])
            let (f, _) = try h.doubles("frequency", shape: [512, 6])
            let (modes, harmonics) = fc.harmonicModeSet(mesh: [8, 8, 8], temperature: 300)
            XCTAssertEqual(modes.count, 3072); XCTAssertEqual(harmonics.eigenvectors.count, 3072 * 6 * 2)
            func speed(_ mu: Int) -> Double { 100 * Vector3(gv[3 * mu], gv[3 * mu + 1], gv[3 * mu + 2]).norm }
            let vmax = (0..<3072).map(speed).max()!
            var worstV = 0.0, worstF = 0.0, worstSet = 0.0
            var start = 0
            while start < 3072 {
                // Degenerate sets (within one q-point): individual velocities are a gauge choice, their sum is not.
                var end = start + 1
                while end < 3072 && end % 6 != 0 && abs(f[end] - f[start]) < 1e-4 { end += 1 }
                var d = Vector3.zero
                for mu in start..<end where f[mu] > 1e-4 {
                    worstF = max(worstF, abs(modes.omega[mu] / (2 * Double.pi * 1e12) - f[mu]))
                    d = d + Vector3(modes.vx[mu] - 100 * gv[3 * mu], modes.vy[mu] - 100 * gv[3 * mu + 1], modes.vz[mu] - 100 * gv[3 * mu + 2])
                }
                if end - start == 1 { worstV = max(worstV, d.norm) } else { worstSet = max(worstSet, d.norm) }
                start = end
            }
            print("\(m): degenerate sets' summed velocities within \(worstSet) m/s")
            XCTAssertLessThan(worstSet, 1e-9 * vmax, m)
            print("\(m): group velocities within \(worstV) m/s (\(worstV / vmax) of the largest), frequencies within \(worstF) THz")
            XCTAssertLessThan(worstV, 1e-9 * vmax, m)
            XCTAssertLessThan(worstF, 1e-9, m)
        }
    }
}
