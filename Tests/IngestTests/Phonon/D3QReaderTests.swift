import Foundation
import Model
import XCTest
@testable import Ingest

final class D3QReaderTests: XCTestCase {
    func testParsesSiliconGrid() throws {
        let c = try PhononFixtures.crystal("si")
        let t = try D3QReader.read(PhononFixtures.d3qFiles("si", mesh: "8x8x8"), crystal: c)
        XCTAssertEqual(t.qCount, 512)
        XCTAssertEqual(t.branchCount, 6)
        XCTAssertEqual(t.qMesh, [8, 8, 8])
        XCTAssertEqual(t.modes.temperature, 300)
        XCTAssertEqual(t.excluded.indices.filter { t.excluded[$0] }, [0, 1, 2])
        XCTAssertEqual(t.exclusionCounts[.zeroLinewidth] ?? 0 + (t.exclusionCounts[.nonPositiveFrequency] ?? 0), 3)
        // Σ volumeWeight = 1/Ω.
        assertRelative(t.modes.volumeWeight.reduce(0, +) / 6, 1 / c.cellVolume, 1e-10, "Σ w/Ω")
        // q-point 2 is (−1/8, 1/8, 1/8)·2π/alat.
        assertRelative(t.modes.qx[6], -0.125 * c.wavevectorUnit, 1e-12, "qx")
    }

    func testUnitConversionsAgreeWithPhono3py() throws {
        // Same modes, d3q text (cm⁻¹, Ry units) against phono3py HDF5 (THz, THz·Å).
        let c = try PhononFixtures.crystal("si")
        let d = try D3QReader.read(PhononFixtures.d3qFiles("si", mesh: "4x4x4"), crystal: c).modes
        let p = try Phono3pyReader.read(PhononFixtures.data("si", "kappa-m444.hdf5"), crystal: c).modes
        for mu in [4, 100, 383] {
            assertRelative(d.omega[mu], p.omega[mu], 1e-8, "ω")
            assertRelative(d.tau[mu], p.tau[mu], 1e-8, "τ from HWHM in cm⁻¹ vs THz")
            assertRelative(d.qx[mu] + 1e-3, p.qx[mu] + 1e-3, 1e-8, "qx")
            for (a, b) in [(d.vx[mu], p.vx[mu]), (d.vy[mu], p.vy[mu]), (d.vz[mu], p.vz[mu])] where abs(b) > 1 {
                assertRelative(a, b, 1e-6, "v")
            }
        }
    }

    func testConversionFactors() {
        // 1 Ry velocity unit = bohr·Ry/ħ = 1.0938e6 m/s (d3q prints it 2π too small).
        assertRelative(PhononUnits.rydbergVelocity, 1.093845e6, 1e-6, "Ry velocity")
        // τ[ps] = 2.6544/γ[cm⁻¹] and τ = 1/(4πγ[THz]) for the same γ.
        assertRelative(PhononUnits.lifetime(hwhmInverseCm: 1) * 1e12, 2.6544, 1e-4, "τ(1 cm⁻¹)")
        assertRelative(PhononUnits.lifetime(hwhmTerahertz: 0.0299792458), PhononUnits.lifetime(hwhmInverseCm: 1), 1e-12, "τ THz vs cm⁻¹")
    }

    func testRTAKappaMatchesPhono3py8x8x8() throws {
        for material in ["si", "ge"] {
            let c = try PhononFixtures.crystal(material)
            let t = try D3QReader.read(PhononFixtures.d3qFiles(material, mesh: "8x8x8"), crystal: c)
            let k = KappaCalculator.rta(t.modes)
            let ref = try PhononFixtures.phono3pyKappaDiagonal(PhononFixtures.data(material, "kappa-m888.hdf5"))
            print("κ_RTA \(material) 8³ from d3q text: \([k[0], k[4], k[8]]) vs phono3py \(ref)")
            for i in 0..<3 { assertRelative(k[4 * i], ref[i], 0.01, "\(material) κ_RTA[\(i)\(i)]") }
            assertRelative(k[0], ref[0], 1e-5, "\(material) κ_RTA,xx (tight)")
        }
    }

    func testD3LwListFormGivesSameLifetimes() throws {
        // Rewrite the 4³ linewidths in d3_lw.x's layout (index overflowing to ****, weight, q, f12.6 frequencies,
        // total/isotope/Casimir HWHM groups) and read the grid through it.
        let c = try PhononFixtures.crystal("si")
        let files = PhononFixtures.d3qFiles("si", mesh: "4x4x4")
        func rows(_ p: String) throws -> [[String]] {
            try PhononFixtures.text(p).split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
                .map { $0.split(separator: " ").map(String.init) }
        }
        let q = try rows(files.q), f = try rows(files.frequencies), g = try rows(files.linewidth)
        var text = " # calculation of linewidth (gamma_n)\n#      1     T= 300.0    sigma=   0.0\n"
        for i in q.indices {
            let idx = i < 9 ? String(format: "%4d", i + 1) : "****"
            let freqs = f[i].map { String(format: "%12.6f", Double($0)!) }.joined()
            let lw = g[i].map { String(format: "%27.15E", Double($0)!) }.joined()
            let zeros = String(repeating: String(format: "%27.15E", 0.0), count: 12)
            text +=
                "\(idx)\(String(format: "%12.6f", Double(q[i][3])!))  " + q[i][0..<3].map { String(format: "%12.6f", Double($0)!) }.joined()
                + "  \(freqs)      \(lw)      \(zeros)\n"
        }
        let dir = try PhononFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lwPath = try PhononFixtures.write(text, named: "lw_imag_T300_s0.out", in: dir)
        var alt = files
        alt.linewidth = lwPath
        let a = try D3QReader.read(alt, crystal: c).modes, b = try D3QReader.read(files, crystal: c).modes
        for mu in 3..<a.count { assertRelative(a.tau[mu], b.tau[mu], 1e-10, "τ") }
    }

    func testFortranNumberForms() {
        func v(_ s: String, lenient: Bool = true) -> FortranNumber.Result { FortranNumber.parse(Array(s.utf8)[...], lenient: lenient) }
        XCTAssertEqual(v("6.004625343752541E-002"), .value(6.004625343752541e-2))
        XCTAssertEqual(v("1.0D-02"), .value(0.01))
        XCTAssertEqual(v("0.1234567890-100"), .value(0.1234567890e-100))
        XCTAssertEqual(v("0.1234567890-100", lenient: false), .invalid)
        XCTAssertEqual(v("****"), .overflowField)
        XCTAssertEqual(v("NaN"), .nonFinite)
        XCTAssertEqual(v("1e999"), .nonFinite)
        XCTAssertEqual(v("1.2.3"), .invalid)
    }
}
