import XCTest
import Model
import Config
@testable import Solve

/// A gray porous film's periodic cell (square pore, porosity 0.25, diffuse pore walls, periodic in x, y and z,
/// driven by a mean gradient along x): the effective conductivity with the flux averaged over the whole cell, pore
/// included. No closed form exists; what must hold is checked: the gradient drive's energy balance closes, no net
/// flux crosses the gradient beyond the discretisation error, κ_eff lies below the parallel (Wiener) bound (1 − φ)κ_bulk, and it falls as the mean
/// free path grows against the cell (more of the heat meets the pore walls).
final class PorousCellConductivityTests: XCTestCase {
    func effective(knudsen kn: Double, cells n: Int = 8, pore p: Int = 4) throws -> (kappa: Double, qy: Double, closure: Double, sweeps: Int) {
        let L = 1.0
        let mat = GrayMedium.make(polar: 8, azimuthal: 8, speed: 1, meanFreePath: kn * L, heatCapacity: 1)
        let mesh = BoxMesh.porousCell(cells: n, poreCells: p, layers: 1, lengths: Vector3(L, L, L / Double(n)))
        let walls: [Int32: WallKind] = [
            1: .periodic(partner: 2), 2: .periodic(partner: 1), 3: .periodic(partner: 4), 4: .periodic(partner: 3),
            5: .periodic(partner: 6), 6: .periodic(partner: 5), BoxMesh.poreTag.tag: .diffuse
        ]
        let t = try Transport(mesh: SweepMesh(mesh: mesh), material: mat, walls: walls)
        var g0 = [Double]()
        VolumeSource(profile: .uniform(power: 1), spectrum: .temperatureGradient(Vector3(-1, 0, 0)))
            .fill(modes: t.modes, mesh: mesh, into: &g0)
        var opt = EventOptions()
        opt.maxEvents = 10
        opt.krylovTolerance = 1e-9
        opt.maxSweeps = 800
        let s = try EventSolver(transport: t, options: opt)
            .run(source: g0, inflow: [Double](repeating: 0, count: t.boundarySize), sink: nil)
        XCTAssertTrue(s.converged, "GMRES \(s.krylovResiduals.last ?? -1) after \(s.sweeps) sweeps")
        let nn = t.nodeCount
        var q = Vector3.zero
        for node in 0..<nn {
            let col = (0..<t.modeCount).map { s.accumulated[$0 * nn + node] }
            q = q + t.mesh.geometry.nodeVolume[node] * col.withUnsafeBufferPointer { t.modes.heatFlux(psi: $0) }
        }
        let cell = L * L * (L / Double(n))
        let bulk = mat.modes.kappaRTA()[0]
        return (q.x / cell / bulk, q.y / cell / bulk, s.balances.map { abs($0.closure) }.max() ?? .nan, s.sweeps)
    }

    func testEffectiveConductivityBoundsAndTrend() throws {
        let thick = try effective(knudsen: 0.25), thin = try effective(knudsen: 2)
        for r in [thick, thin] {
            XCTAssertLessThan(r.closure, 1e-10, "energy balance of the gradient drive")
            // The cell is symmetric, its Kuhn tetrahedra are not: what crosses the gradient is discretisation error
            // (0.2% at Λ/L = 0.25, 0.6% at 2 on this mesh).
            XCTAssertLessThan(abs(r.qy), 0.01 * r.kappa, "no net flux across the gradient")
            XCTAssertGreaterThan(r.kappa, 0.02)
            XCTAssertLessThan(r.kappa, 0.75, "below the parallel bound (1 − φ)κ_bulk")
        }
        XCTAssertLessThan(thin.kappa, 0.8 * thick.kappa, "a longer mean free path meets the pore walls more")
        print(
            String(
                format: "porous cell φ = 0.25, 8×8 cells, 64 directions: κ_eff/κ_bulk = %.4f (Λ/L = 0.25, %d sweeps), %.4f (Λ/L = 2, %d sweeps)",
                thick.kappa, thick.sweeps, thin.kappa, thin.sweeps))
    }
}
