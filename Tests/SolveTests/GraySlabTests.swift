import XCTest
import Model
@testable import Solve

/// Gray slab between black walls against the exact Heaslet–Warming Ψ(τ0) (physics.md §5a), tolerance 1%.
final class GraySlabTests: XCTestCase {
    func testSlabFluxMatchesExactTable() throws {
        let table: [(Double, Double)] = [(0.1, 0.91570), (1.0, 0.55341), (10, 0.11674)]
        for (tau0, exact) in table {
            let t = try GraySetup.slab(tau0: tau0, layers: 40)
            var opt = EventOptions()
            opt.maxEvents = 30
            opt.tolerance = 1e-9
            let solver = EventSolver(transport: t, options: opt)
            let (g0, b0) = GraySetup.initialState(t)
            let s = try solver.run(source: g0, inflow: b0, sink: nil)
            let psi = GraySetup.psiFlux(t, s.accumulated)
            print("tau0 \(tau0): Psi \(psi) exact \(exact) events \(s.events) sweeps \(s.sweeps) krylov \(s.krylovResiduals.last ?? -1)")
            XCTAssertEqual(psi, exact, accuracy: 0.01 * exact, "τ0 = \(tau0)")
            for b in s.balances { XCTAssertLessThan(abs(b.closure), 1e-10, "event \(b.event) balance") }
        }
    }
}
