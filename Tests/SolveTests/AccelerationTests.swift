import XCTest
import Model
@testable import Solve
import Config

/// A thick slab (τ0 = 20) needs ~2000 plain events; five exact events plus GMRES reach Ψ(20) within 1% in at
/// most 100 sweeps (docs/physics.md §9.1, issue: solve).
final class AccelerationTests: XCTestCase {
    func testThickSlabConvergesInFewSweeps() throws {
        let t = try GraySetup.slab(tau0: 20, layers: 60)
        var opt = EventOptions()
        opt.maxEvents = 5
        opt.krylovTolerance = 1e-7
        opt.maxSweeps = 95
        let (g0, b0) = GraySetup.initialState(t)
        let s = try EventSolver(transport: t, options: opt).run(source: g0, inflow: b0, sink: nil)
        let psi = GraySetup.psiFlux(t, s.accumulated)
        XCTAssertEqual(psi, 0.06224, accuracy: 0.01 * 0.06224)
        XCTAssertLessThanOrEqual(s.sweeps, 100)
        XCTAssertTrue(s.converged, "GMRES residual \(s.krylovResiduals.last ?? -1)")
        print("tau0 20: Psi \(psi), sweeps \(s.sweeps)")
    }

    /// The diffusion preconditioner is what makes thick slabs cheap: without it the same slab needs several times
    /// the sweeps (measured: 75 plain, 22 preconditioned).
    func testDiffusionPreconditionerCutsTheSweeps() throws {
        let t = try GraySetup.slab(tau0: 20, layers: 60)
        var counts: [KrylovPreconditioner: Int] = [:]
        for pre in KrylovPreconditioner.allCases {
            var opt = EventOptions()
            opt.maxEvents = 5
            opt.krylovTolerance = 1e-7
            opt.maxSweeps = 300
            opt.preconditioner = pre
            let (g0, b0) = GraySetup.initialState(t)
            let s = try EventSolver(transport: t, options: opt).run(source: g0, inflow: b0, sink: nil)
            XCTAssertTrue(s.converged, "\(pre): GMRES residual \(s.krylovResiduals.last ?? -1)")
            XCTAssertEqual(GraySetup.psiFlux(t, s.accumulated), 0.06224, accuracy: 0.01 * 0.06224)
            counts[pre] = s.sweeps
        }
        print("tau0 20 sweeps: \(counts)")
        XCTAssertLessThan(2 * counts[.diffusion]!, counts[.none]!)
    }

    /// The exact events alone fall short: the remainder is what carries a thick slab to its steady state.
    func testPlainEventsAloneAreFarFromSteady() throws {
        let t = try GraySetup.slab(tau0: 20, layers: 60)
        var opt = EventOptions()
        opt.maxEvents = 5
        opt.accelerate = false
        let (g0, b0) = GraySetup.initialState(t)
        let s = try EventSolver(transport: t, options: opt).run(source: g0, inflow: b0, sink: nil)
        XCTAssertFalse(s.converged)
        XCTAssertGreaterThan(abs(GraySetup.psiFlux(t, s.accumulated) - 0.06224), 0.05 * 0.06224)
    }
}
