import XCTest
import Foundation
import Model
@testable import Solve
import Config

/// The two face identities that walls and interfaces share: face pairing across a translation, and the consistent
/// face mass and its inverse.
final class FaceIdentityTests: XCTestCase {
    /// Periodic walls of a box pair every face with the translated one; checked against a brute-force search over
    /// every pair of faces, and the corners land on the translated corners.
    func testPairingMatchesBruteForceOnABox() throws {
        let mesh = try SweepMesh(mesh: BoxMesh.make(cells: (3, 4, 2), lengths: Vector3(1.5, 2, 0.7), origin: Vector3(0.1, -0.3, 2)))
        let faces = mesh.mesh.boundaryFaces
        let xmin = faces.indices.filter { faces[$0].tag == 1 }, xmax = faces.indices.filter { faces[$0].tag == 2 }
        let shift = Vector3(1.5, 0, 0), tol = 1e-9
        let found = FacePairing.match(xmin, in: mesh, shift: shift, to: xmax, in: mesh, tolerance: tol)
        XCTAssertEqual(found.count, xmin.count)
        func corners(_ f: Int) -> [Vector3] { (0..<3).map { mesh.mesh.node(Int(mesh.boundaryNode[3 * f + $0])) } }
        for (f, m) in zip(xmin, found) {
            let m = try XCTUnwrap(m, "face \(f) has a partner")
            let brute = xmax.filter { g in corners(f).allSatisfy { p in corners(g).contains { ($0 - (p + shift)).norm < tol } } }
            XCTAssertEqual(brute, [m.face])
            for k in 0..<3 { XCTAssertLessThan((corners(m.face)[m.corner[k]] - (corners(f)[k] + shift)).norm, tol) }
        }
        // A shift that is not the box's period finds nothing.
        XCTAssertTrue(FacePairing.match(xmin, in: mesh, shift: Vector3(1.4, 0, 0), to: xmax, in: mesh, tolerance: tol).allSatisfy { $0 == nil })
    }

    /// Centroids on a hash-cell boundary still pair: the neighbouring cells are searched.
    func testPairingSurvivesRoundOffAcrossHashCells() throws {
        let mesh = try SweepMesh(mesh: BoxMesh.make(cells: (2, 2, 2), lengths: Vector3(1, 1, 1)))
        let faces = mesh.mesh.boundaryFaces
        let zmin = faces.indices.filter { faces[$0].tag == 5 }, zmax = faces.indices.filter { faces[$0].tag == 6 }
        // With a grid of 1/3, centroid coordinates k/6 sit on half-cells, where a shift of 1e-12 flips the rounding.
        let found = FacePairing.match(zmin, in: mesh, shift: Vector3(-1e-12, 1e-12, 1), to: zmax, in: mesh, tolerance: 1.0 / 3)
        XCTAssertTrue(found.allSatisfy { $0 != nil })
    }

    /// Energy per corner is ψ integrated against the corner's hat function (checked by a 6-point quadrature, exact for
    /// quadratics), and the inverse returns the corner values.
    func testFaceMassIsTheHatFunctionIntegralAndInverts() {
        let psi = (0.3, -1.7, 2.9), w = 4.2
        let e = FaceMass.energies(psi, weight: w)
        // Barycentric 6-point rule (degree 4): weights per unit area.
        let a = 0.445948490915965, b = 0.091576213509771
        let pts: [(Double, Double, Double, Double)] = [
            (a, a, 1 - 2 * a, 0.223381589678011), (a, 1 - 2 * a, a, 0.223381589678011), (1 - 2 * a, a, a, 0.223381589678011),
            (b, b, 1 - 2 * b, 0.109951743655322), (b, 1 - 2 * b, b, 0.109951743655322), (1 - 2 * b, b, b, 0.109951743655322)
        ]
        var exact = [0.0, 0.0, 0.0]
        for (l0, l1, l2, q) in pts {
            let value = l0 * psi.0 + l1 * psi.1 + l2 * psi.2
            exact[0] += q * w * l0 * value; exact[1] += q * w * l1 * value; exact[2] += q * w * l2 * value
        }
        XCTAssertEqual(e.0, exact[0], accuracy: 1e-12); XCTAssertEqual(e.1, exact[1], accuracy: 1e-12); XCTAssertEqual(e.2, exact[2], accuracy: 1e-12)
        let back = FaceMass.values(energies: e, weight: w)
        XCTAssertEqual(back.0, psi.0, accuracy: 1e-13); XCTAssertEqual(back.1, psi.1, accuracy: 1e-13); XCTAssertEqual(back.2, psi.2, accuracy: 1e-13)
    }

    /// Periodic walls whose meshes do not match face for face are refused with the wall named, never paired wrongly.
    func testMismatchedPeriodicWallsAreRefused() throws {
        let mat = GrayMedium.make(polar: 2, azimuthal: 4, speed: 1, meanFreePath: 1, heatCapacity: 1)
        let mesh = try SweepMesh(mesh: BoxMesh.make(cells: (2, 3, 1), lengths: Vector3(1, 1, 1)))
        var walls: [Int32: WallKind] = [1: .periodic(partner: 3), 3: .periodic(partner: 1)]
        for tag: Int32 in [2, 4, 5, 6] { walls[tag] = .diffuse }
        XCTAssertThrowsError(try Transport(mesh: mesh, material: mat, walls: walls)) { e in
            XCTAssertTrue("\(e)".contains("no translated partner"), "\(e)")
        }
        walls = [1: .periodic(partner: 2), 2: .periodic(partner: 1), 3: .periodic(partner: 4), 4: .periodic(partner: 3)]
        walls[5] = .diffuse; walls[6] = .diffuse
        let t = try Transport(mesh: mesh, material: mat, walls: walls)
        XCTAssertEqual(t.walls.partner.compactMap { $0 }.count, 2 * (3 * 2 + 2 * 2), "every x and y face paired")
    }
}
