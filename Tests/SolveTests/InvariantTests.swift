import XCTest
import Model
@testable import Solve
import Config

/// Run-time invariants (issue: reliability): a violation stops the run with a message naming what broke and
/// where, or, when the policy says warn, is reported and the run goes on.
final class InvariantTests: XCTestCase {
    func solver(_ t: Transport, counting: EventCounting = .bulkAndBoundary, events: Int = 6) -> EventSolver {
        var opt = EventOptions()
        opt.maxEvents = events
        opt.counting = counting
        opt.accelerate = false
        return EventSolver(transport: t, options: opt)
    }

    func violation(_ body: () throws -> Void) -> String? {
        do { try body() } catch let v as InvariantViolation { return v.description } catch { XCTFail("unexpected \(error)") }
        return nil
    }

    func testNaNIsNamedByModeAndNode() throws {
        let t = try GraySetup.slab(tau0: 1, layers: 6)
        var (g0, b0) = GraySetup.initialState(t)
        g0[7 * t.nodeCount + 3] = .nan
        let msg = violation { _ = try solver(t).run(source: g0, inflow: b0, sink: nil) }
        XCTAssertNotNil(msg)
        XCTAssertTrue(msg?.contains("ψ of event 0 is nan at mode 7 (q-point") ?? false, msg ?? "")
        XCTAssertTrue(msg?.contains("node ") ?? false, msg ?? "")
    }

    /// A collision operator that keeps only 90% of what it scatters: stops at event 1, or warns at every event.
    func testEnergyLosingCollisionsStopOrWarn() throws {
        let gray = GrayMedium.make(polar: 8, azimuthal: 4, speed: 1, meanFreePath: 1, heatCapacity: 1)
        let n = gray.modes.count, tau = gray.modes.tau[0]
        var mat = gray
        let w = gray.modes.volumeWeight, total = w.reduce(0, +)
        var m = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { m[i * n + j] = 0.9 * w[j] / total / tau } }
        mat.collision = .dense(DenseMatrix(rows: n, columns: n, values: m))
        let t = try Transport(
            mesh: SweepMesh(mesh: BoxMesh.make(cells: (1, 1, 6), lengths: Vector3(1, 1, 1))), material: mat,
            walls: [1: .specular, 2: .specular, 3: .specular, 4: .specular, 5: .black(temperature: 1), 6: .black(temperature: 0)])
        let (g0, b0) = GraySetup.initialState(t)
        let s = solver(t)
        let msg = violation { _ = try s.run(source: g0, inflow: b0, sink: nil) }
        XCTAssertTrue(msg?.hasPrefix("collisions do not conserve energy: event 0 scattered") ?? false, msg ?? "no violation")
        XCTAssertTrue(msg?.contains("relative error -0.1 ") ?? false, msg ?? "")

        s.invariants.action = .warn
        var seen: [String] = []
        s.warn = { seen.append($0) }
        let summary = try s.run(source: g0, inflow: b0, sink: nil)
        XCTAssertEqual(summary.events, 6)
        XCTAssertEqual(summary.warnings.count, 5)
        XCTAssertEqual(summary.warnings, seen)

        // The conserving operator of the same medium passes every check.
        let conserving = try GraySetup.slab(tau0: 1, layers: 6)
        let (g1, b1) = GraySetup.initialState(conserving)
        XCTAssertTrue(try solver(conserving).run(source: g1, inflow: b1, sink: nil).warnings.isEmpty)
    }

    /// A cold wall 1000 K below a 300 K crystal is outside the linear regime: absolute temperature would be negative.
    func testNegativeAbsoluteTemperature() throws {
        let mat = GrayMedium.make(polar: 8, azimuthal: 4, speed: 1, meanFreePath: 1, heatCapacity: 1)
        let mesh = BoxMesh.make(cells: (1, 1, 6), lengths: Vector3(1, 1, 1))
        var walls: [Int32: WallKind] = [5: .black(temperature: -1000), 6: .black(temperature: 0)]
        for tag: Int32 in 1...4 { walls[tag] = .specular }
        let t = try Transport(mesh: SweepMesh(mesh: mesh), material: mat, walls: walls)
        let (g0, b0) = GraySetup.initialState(t)
        let msg = violation { _ = try solver(t).run(source: g0, inflow: b0, sink: nil) }
        XCTAssertTrue(msg?.hasPrefix("absolute temperature negative after event 0") ?? false, msg ?? "no violation")
    }

    /// τM with an eigenvalue −3 off the energy mode (energy still conserved): the plain series diverges and,
    /// although the only drive is a hot wall, ΔT turns negative; damping (docs/physics.md §4.2) cures it.
    func testDivergingSeriesIsCaught() throws {
        let gray = GrayMedium.make(polar: 8, azimuthal: 4, speed: 1, meanFreePath: 0.2, heatCapacity: 1)
        let n = gray.modes.count, tau = gray.modes.tau[0]
        var m = [Double](repeating: 0, count: n * n)
        let w = gray.modes.volumeWeight, total = w.reduce(0, +)
        for i in 0..<n { for j in 0..<n { m[i * n + j] = (4 * w[j] / total - (i == j ? 3 : 0)) / tau } }
        var mat = gray
        mat.collision = .dense(DenseMatrix(rows: n, columns: n, values: m))
        let mesh = BoxMesh.make(cells: (1, 1, 8), lengths: Vector3(1, 1, 1))
        var walls: [Int32: WallKind] = [5: .black(temperature: 1), 6: .black(temperature: 0)]
        for tag: Int32 in 1...4 { walls[tag] = .specular }
        let t = try Transport(mesh: SweepMesh(mesh: mesh), material: mat, walls: walls)
        let (g0, b0) = GraySetup.initialState(t)
        let s = solver(t, events: 30)
        s.invariants.drivesNonnegative = true
        let msg = violation { _ = try s.run(source: g0, inflow: b0, sink: nil) }
        XCTAssertTrue(msg?.hasPrefix("ΔT falls to") ?? false, msg ?? "no violation")
        XCTAssertTrue(msg?.contains("diverging") ?? false)

        s.options.damping = 0.4
        XCTAssertNoThrow(try s.run(source: g0, inflow: b0, sink: nil))
    }
}
