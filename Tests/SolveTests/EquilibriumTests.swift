import XCTest
import Model
@testable import Solve
import Config

/// Equilibrium preservation (docs/physics.md §9.6): with every temperature-carrying wall at one ΔT and no source,
/// ψ stays ∂n̄/∂T·ΔT everywhere and no heat flows, for every wall kind; every event's balance closes.
final class EquilibriumTests: XCTestCase {
    func testEveryWallKindPreservesEquilibrium() throws {
        let kinds: [(String, WallKind)] = [
            ("black", .black(temperature: 1)), ("diffuse", .diffuse),
            ("specular", .specular), ("partially specular", .partiallySpecular(p: 0.3)),
            ("rough", .rough(rms: 0.2)), ("periodic", .periodic(partner: 0))
        ]
        for (name, kind) in kinds {
            let mat = GrayMedium.make(polar: 6, azimuthal: 6, speed: 2, meanFreePath: 0.7, heatCapacity: 3)
            let mesh = BoxMesh.make(cells: (2, 2, 3), lengths: Vector3(1, 1.3, 1.6))
            var walls: [Int32: WallKind] = [5: .black(temperature: 1), 6: .black(temperature: 1)]
            for tag: Int32 in 1...4 {
                if case .periodic = kind { walls[tag] = .periodic(partner: tag % 2 == 1 ? tag + 1 : tag - 1) } else { walls[tag] = kind }
            }
            let t = try Transport(mesh: SweepMesh(mesh: mesh), material: mat, walls: walls)
            var opt = EventOptions()
            opt.maxEvents = 5
            opt.krylovTolerance = 1e-13
            let (g0, b0) = GraySetup.initialState(t)
            let s = try EventSolver(transport: t, options: opt).run(source: g0, inflow: b0, sink: nil)
            XCTAssertTrue(s.converged, name)
            let nn = t.nodeCount
            var maxFlux = 0.0, maxDT = 0.0
            for n in 0..<nn {
                let col = (0..<t.modeCount).map { s.accumulated[$0 * nn + n] }
                let q = col.withUnsafeBufferPointer { t.modes.heatFlux(psi: $0) }
                let dT = col.withUnsafeBufferPointer { t.modes.temperature(psi: $0) }
                maxFlux = max(maxFlux, q.norm); maxDT = max(maxDT, abs(dT - 1))
            }
            let scale = t.modes.volumetricHeatCapacity * 2 / 4
            XCTAssertLessThan(maxFlux / scale, 1e-10, "\(name): net flux in equilibrium")
            XCTAssertLessThan(maxDT, 1e-10, "\(name): temperature drifts from the wall temperature")
            for b in s.balances { XCTAssertLessThan(abs(b.closure), 1e-12, "\(name): event \(b.event) balance") }
        }
    }
}
