import Foundation
import XCTest
@testable import Ingest

final class CrystalHeaderReaderTests: XCTestCase {
    func testSiliconHeader() throws {
        let c = try PhononFixtures.crystal("si")
        XCTAssertEqual(c.atomCount, 2)
        XCTAssertEqual(c.speciesNames, ["Si"])
        assertRelative(c.speciesMassAmu[0], 28.0855, 1e-6, "mass")
        assertRelative(c.cellVolume, 4.004675863600764e-29, 1e-9, "Ω")
        assertRelative(c.density, 2329.1308232402635, 1e-6, "ρ")
        let a = c.lattice, b = c.reciprocal
        for i in 0..<3 {
            for j in 0..<3 {
                XCTAssertEqual(CrystalSymmetry.dot(a[i], b[j]), i == j ? 1 : 0, accuracy: 1e-12)
            }
        }
    }

    func testGermaniumHeaderAndPointGroup() throws {
        let c = try PhononFixtures.crystal("ge")
        assertRelative(c.cellVolume, 4.5177281203485134e-29, 1e-9, "Ω")
        // Diamond: the 48 operations of O_h map the two-atom basis onto itself (with a translation).
        XCTAssertEqual(CrystalSymmetry.rotations(c).count, 48)
    }

    func testIbrav2MatchesExplicitFcc() throws {
        let dir = try PhononFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = try PhononFixtures.write(
            """
                  1        2        2      10.2630077329869653  0 0 0 0 0
                  1       'Si'   28.0855
                  1        1       0.0  0.0  0.0
                  2        1       0.25 0.25 0.25
             F   FFF
            """, named: "crystal.ibrav2.txt", in: dir)
        let c = try CrystalHeaderReader.read(p)
        assertRelative(c.cellVolume, try PhononFixtures.crystal("si").cellVolume, 1e-12, "Ω")
        assertRelative(c.speciesMassAmu[0], 28.0855, 1e-12, "mass given in amu")
    }
}
