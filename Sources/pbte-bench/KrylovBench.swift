import Foundation
import Model
import Config
import Solve

extension BenchRun {
    /// The cost of one GMRES sweep (drift + wall pass + scattering + Gram–Schmidt + bookkeeping) against one bare
    /// drift of the same system, on a problem whose remainder needs a full restart cycle: a gray slab between black
    /// walls at 1 K and 0 K, periodic in x and y (so every periodic pass is a Krylov sweep), Λ = L.
    func krylov() throws {
        let n = quick ? 6 : 10
        let (polar, az) = quick ? (8, 16) : (16, 32)
        let mesh = BoxMesh.make(cells: (n, n, 3 * n), lengths: Vector3(1, 1, 3))
        let mat = GrayMedium.make(polar: polar, azimuthal: az, speed: 1, meanFreePath: 3, heatCapacity: 1)
        let walls: [Int32: WallKind] = [
            1: .periodic(partner: 2), 2: .periodic(partner: 1), 3: .periodic(partner: 4),
            4: .periodic(partner: 3), 5: .black(temperature: 1), 6: .black(temperature: 0)
        ]
        let t = try Transport(mesh: SweepMesh(mesh: mesh), material: mat, walls: walls)
        let system = TransportSystem(t)
        var inflow = [Double](repeating: 0, count: t.boundarySize)
        t.walls.thermalEmission(mesh: t.mesh, modes: t.modes, into: &inflow)
        let zero = [Double](repeating: 0, count: t.volumeSize)
        var psi = [Double](), trace = [Double]()
        let drift = Clock.time(repeats: 3) { t.drift(source: zero, inflow: inflow, psi: &psi, trace: &trace) }
        var options = EventOptions()
        options.maxEvents = 0
        options.krylovTolerance = 1e-14 // never reached: every run does the same number of sweeps
        options.krylovRestart = 30
        options.maxSweeps = quick ? 30 : 60
        options.preconditioner = .none
        let solver = EventSolver(system: system, options: options)
        var sweeps = 0
        let solve = try Clock.time(repeats: quick ? 1 : 2) { sweeps = try solver.run(source: zero, inflow: inflow, sink: nil).sweeps }
        let work = Double(t.modeCount * mesh.tetCount)
        let perSweep = solve.best / Double(sweeps), ratio = perSweep / drift.best
        let label = "box \(mesh.tetCount) tets × \(t.modeCount) dirs, periodic x y, restart 30, \(sweeps) sweeps"
        table.add(
            "krylov", "GMRES time per sweep, \(label)", value: perSweep / work * 1e6, unit: "µs/(mode·tet)",
            display: String(format: "%.3f µs/(mode·tet) wall = %.2f× one drift (%.3f)", perSweep / work * 1e6, ratio, drift.best / work * 1e6),
            limit: "≤ 1.2× drift", ok: ratio <= 1.2, better: .lower, normalized: (ratio, "drifts of the same system"),
            spread: solve.spread + drift.spread)
    }
}
