import XCTest
import Model
@testable import Solve
import Config

/// Gray slab between black walls against the exact Heaslet–Warming Ψ(τ0) (docs/physics.md §9.1), tolerance 1%.
final class GraySlabTests: XCTestCase {
    func testSlabFluxMatchesExactTable() throws {
        let table: [(Double, Double, Double)] = [(0.1, 0.91570, 0.5710), (1.0, 0.55341, 0.7582), (10, 0.11674, 0.9495)]
        for (tau0, exact, slip) in table {
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
            // Temperature slip: the medium's temperature at the hot wall, φ(0⁺) (mean over the wall's nodes).
            let nn = t.nodeCount
            var wall = 0.0, count = 0.0
            for n in 0..<nn where t.mesh.mesh.node(n).z == 0 {
                let col = (0..<t.modeCount).map { s.accumulated[$0 * nn + n] }
                wall += col.withUnsafeBufferPointer { t.modes.temperature(psi: $0) }; count += 1
            }
            print("tau0 \(tau0): slip φ(0+) \(wall / count) exact \(slip)")
            XCTAssertEqual(wall / count, slip, accuracy: 0.02 * slip, "temperature slip, τ0 = \(tau0)")
            for b in s.balances { XCTAssertLessThan(abs(b.closure), 1e-10, "event \(b.event) balance") }
        }
    }
}
