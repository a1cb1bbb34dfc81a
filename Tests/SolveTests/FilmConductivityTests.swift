import XCTest
import Model
@testable import Solve
import Config

/// In-plane conductivity of a gray film driven by a uniform temperature gradient, against Fuchs–Sondheimer
/// (docs/physics.md §9.2) within 2%, and the bulk limit with periodic walls everywhere (exactly κ = CvΛ/3).
final class FilmConductivityTests: XCTestCase {
    /// The largest |closure| of the last run: a gradient drive injects no net power, so only a scale from the gross
    /// power moved keeps this at round-off (it read 0.38–0.43 on correct runs when scaled by the net power).
    var lastClosure = 0.0

    func filmKappa(delta: Double, walls wall: WallKind, periodicZ: Bool = false, polar: Int = 16) throws -> Double {
        let mat = GrayMedium.make(polar: polar, azimuthal: 8, speed: 1, meanFreePath: 1, heatCapacity: 1)
        let mesh = BoxMesh.make(cells: (1, 1, 24), lengths: Vector3(delta, delta, delta))
        var walls: [Int32: WallKind] = [
            1: .periodic(partner: 2), 2: .periodic(partner: 1),
            3: .periodic(partner: 4), 4: .periodic(partner: 3)
        ]
        walls[5] = periodicZ ? .periodic(partner: 6) : wall
        walls[6] = periodicZ ? .periodic(partner: 5) : wall
        let t = try Transport(mesh: SweepMesh(mesh: mesh), material: mat, walls: walls)
        var g0 = [Double]()
        VolumeSource(profile: .uniform(power: 1), spectrum: .temperatureGradient(Vector3(-1, 0, 0)))
            .fill(modes: t.modes, mesh: mesh, into: &g0)
        var opt = EventOptions()
        opt.maxEvents = 10
        opt.krylovTolerance = 1e-10
        let s = try EventSolver(transport: t, options: opt)
            .run(source: g0, inflow: [Double](repeating: 0, count: t.boundarySize), sink: nil)
        XCTAssertTrue(s.converged)
        lastClosure = s.balances.map { abs($0.closure) }.max() ?? .nan
        XCTAssertTrue(s.balances.allSatisfy { $0.gross > 0 }, "every event moves power")
        let nn = t.nodeCount
        var q = 0.0
        for n in 0..<nn {
            let col = (0..<t.modeCount).map { s.accumulated[$0 * nn + n] }
            q += col.withUnsafeBufferPointer { t.modes.heatFlux(psi: $0).x } * t.mesh.geometry.nodeVolume[n]
        }
        q /= t.mesh.geometry.nodeVolume.reduce(0, +)
        return q / (1.0 / 3.0)
    }

    func testBulkLimitIsExact() throws {
        let k = try filmKappa(delta: 1, walls: .diffuse, periodicZ: true)
        XCTAssertEqual(k, 1, accuracy: 1e-8)
        XCTAssertLessThan(lastClosure, 1e-10, "balance closure of an all-periodic gradient-driven cell")
    }

    /// Thin films are carried by grazing directions, so the polar quadrature grows as δ falls.
    func testFuchsSondheimer() throws {
        let cases: [(Double, Double, Int, Double)] = [
            (1, 0, 16, 0.683857), (1, 0.5, 16, 0.829109),
            (0.1, 0, 64, 0.209133), (0.1, 0.5, 64, 0.374789)
        ]
        for (delta, p, polar, exact) in cases {
            let wall: WallKind = p == 0 ? .diffuse : .partiallySpecular(p: p)
            let k = try filmKappa(delta: delta, walls: wall, polar: polar)
            XCTAssertEqual(k, exact, accuracy: 0.02 * exact, "δ = \(delta), p = \(p)")
            XCTAssertLessThan(lastClosure, 1e-10, "balance closure, δ = \(delta), p = \(p)")
            // Against the same quadrature's Fuchs–Sondheimer sum the sweep itself must be nearly exact.
            let (mu, w) = GrayMedium.gaussLegendre(polar)
            var discrete = 0.0
            for i in 0..<polar {
                let m = abs(mu[i]), e = exp(-delta / m)
                discrete += w[i] * 0.75 * (1 - mu[i] * mu[i]) * (1 - (1 - p) * (m / delta) * (1 - e) / (1 - p * e))
            }
            XCTAssertEqual(k, discrete, accuracy: 1e-4 * discrete, "δ = \(delta), p = \(p): discrete-ordinates FS")
        }
    }
}
