import Foundation
import Model
import Ingest
import XCTest
@testable import Solve
import Config

/// The transient solve (docs/transient.md) against exact discrete identities and exact solutions.
final class TransientTests: XCTestCase {
    final class Keep: TransientSink {
        var parts: [[[Double]]] = [], steps: [TransientStep] = [], states: [TransientState] = []
        func store(_ s: TransientStep) throws { parts.append(s.parts); steps.append(s) }
        func checkpoint(_ state: TransientState) throws { states.append(state) }
    }

    final class KeepEvents: EventSink {
        var events: [[Double]] = [], remainder: [Double] = []
        func store(event m: Int, psi: [Double], trace: [Double], balance: EventBalance) throws { events.append(psi) }
        func storeRemainder(psi: [Double], trace: [Double], residuals: [Double], sweeps: Int) throws { remainder = psi }
    }

    static let gray = GrayMedium.make(polar: 4, azimuthal: 4, speed: 1, meanFreePath: 1, heatCapacity: 1)

    /// A cube with `kind` on every side, or on xmin, ymin, zmin only when `open` puts black walls on the others.
    func cube(walls kind: WallKind, open: Bool = false, cells: Int = 2, side: Double = 1, shift: Double) throws -> Transport {
        let mesh = BoxMesh.make(cells: (cells, cells, cells), lengths: Vector3(side, side, side))
        var walls: [Int32: WallKind] = [:]
        for tag: Int32 in 1...6 { walls[tag] = open && tag % 2 == 0 ? .black(temperature: 0) : kind }
        return try Transport(mesh: SweepMesh(mesh: mesh), material: Self.gray, walls: walls, timeShift: shift)
    }

    /// A smooth thermal source, (∂n̄/∂T/τ)·exp(−|r − c|²/w²), as modes × nodes.
    func source(_ t: Transport) -> [Double] {
        let m = t.modes, mesh = t.mesh.mesh
        var g = [Double](repeating: 0, count: t.volumeSize)
        for mu in 0..<t.modeCount {
            for n in 0..<t.nodeCount {
                let x = mesh.nodes[3 * n] - 0.3, y = mesh.nodes[3 * n + 1] - 0.5, z = mesh.nodes[3 * n + 2] - 0.6
                g[mu * t.nodeCount + n] = m.dndT[mu] / m.tau[mu] * exp(-(x * x + y * y + z * z) / 0.1)
            }
        }
        return g
    }

    func relativeDifference(_ a: [Double], _ b: [Double]) -> Double {
        var d = 0.0, s = 0.0
        for i in a.indices { d += (a[i] - b[i]) * (a[i] - b[i]); s += b[i] * b[i] }
        return (d / max(s, 1e-300)).squareRoot()
    }

    /// The steady source taken as an initial population: the time integral of each event-labelled part equals the
    /// steady ψ^(m) of that source, and the last part the steady remainder. For backward Euler Δt Σ_n ψ_m^n obeys the
    /// steady event equations exactly whatever Δt; for BDF2 (started by backward Euler) so does
    /// Δt (Σ_{n≥1} ψ_m^n + ψ_m^1/2). Diffuse walls re-emit (a wall pass counts as an event), black walls let the
    /// energy out so that the integral ends.
    func testTimeIntegralOfEachEventPartIsTheSteadyEvent() throws {
        for (kind, scheme) in [(WallKind.black(temperature: 0), TimeScheme.backwardEuler), (.diffuse, .bdf2), (.diffuse, .backwardEuler)] {
            let open = kind == .diffuse
            let steady = try cube(walls: kind, open: open, shift: 0)
            let g0 = source(steady)
            var o = EventOptions()
            o.maxEvents = 3; o.tolerance = 0; o.preconditioner = .none; o.krylovTolerance = 1e-13
            let reference = KeepEvents()
            _ = try EventSolver(transport: steady, options: o).run(source: g0, inflow: [Double](repeating: 0, count: steady.boundarySize), sink: reference)

            var t = TransientOptions(timeStep: 0.4, steps: 400)
            t.scheme = scheme; t.events = 3; t.krylovTolerance = 1e-13
            let solver = try TransientSolver(options: t) { TransportSystem(try self.cube(walls: kind, open: open, shift: $0)) }
            let keep = Keep()
            let summary = try solver.run(initial: [g0], sink: keep)
            let left = summary.energy.last! / summary.energy[0]
            XCTAssertLessThan(left, 1e-12, "the population has left the cube (\(kind))")
            for m in 0...3 {
                var integral = [Double](repeating: 0, count: steady.volumeSize)
                for (n, p) in keep.parts.enumerated() {
                    let w = scheme == .bdf2 && n == 0 ? 1.5 : 1.0
                    for i in integral.indices { integral[i] += w * t.timeStep * p[m][i] }
                }
                let expected = m < 3 ? reference.events[m] : reference.remainder
                let d = relativeDifference(integral, expected)
                print("transient \(scheme) \(kind): ∫ψ_\(m) dt vs steady ψ^(\(m)): \(d)")
                XCTAssertLessThan(d, 1e-9, "part \(m), \(kind), \(scheme)")
            }
        }
    }

    /// A spatially uniform population with a non-thermal part symmetric under every mirror, in a cube with specular
    /// walls: the energy stays constant to round-off in every step, and the non-thermal part decays as e^{−t/τ}:
    /// exactly (1 + Δt/τ)^{−n} under backward Euler, and with the error of BDF2 falling fourfold per halving of Δt.
    func testUniformRelaxationEnergyAndOrder() throws {
        let tau = 1.0
        func run(_ scheme: TimeScheme, dt: Double, until end: Double) throws -> (amplitude: [Double], energy: [Double]) {
            var t = TransientOptions(timeStep: dt, steps: Int((end / dt).rounded()))
            t.scheme = scheme; t.krylovTolerance = 1e-14
            let solver = try TransientSolver(options: t) { TransportSystem(try self.cube(walls: .specular, cells: 1, shift: $0)) }
            let tr = solver.system.regions[0], m = tr.modes
            var psi = [Double](repeating: 0, count: tr.volumeSize)
            let p2 = (0..<tr.modeCount).map { mu -> Double in
                let d = m.velocity(mu).x / m.speed(mu)
                return 0.5 * (3 * d * d - 1)
            }
            for mu in 0..<tr.modeCount { for n in 0..<tr.nodeCount { psi[mu * tr.nodeCount + n] = m.dndT[mu] * (1 + 0.5 * p2[mu]) } }
            let keep = Keep()
            let s = try solver.run(initial: [psi], sink: keep)
            func amplitude(_ x: [Double]) -> Double {
                var num = 0.0, den = 0.0
                for mu in 0..<tr.modeCount {
                    num += m.volumeWeight[mu] * p2[mu] * x[mu * tr.nodeCount]; den += m.volumeWeight[mu] * p2[mu] * p2[mu] * m.dndT[mu]
                }
                return num / den
            }
            return (keep.parts.map { amplitude($0[0]) }, s.energy)
        }
        let be = try run(.backwardEuler, dt: 0.25, until: 2)
        for (n, a) in be.amplitude.enumerated() {
            XCTAssertEqual(a, 0.5 * pow(1 + 0.25 / tau, -Double(n + 1)), accuracy: 1e-12, "backward Euler step \(n + 1)")
        }
        for e in be.energy { XCTAssertEqual(e, be.energy[0], accuracy: 1e-12 * abs(be.energy[0]), "energy conserved") }
        var errors: [Double] = []
        for dt in [0.1, 0.05, 0.025] {
            let r = try run(.bdf2, dt: dt, until: 1)
            errors.append(abs(r.amplitude.last! - 0.5 * exp(-1 / tau)))
            for e in r.energy { XCTAssertEqual(e, r.energy[0], accuracy: 1e-12 * abs(r.energy[0]), "BDF2 energy conserved") }
        }
        let orders = zip(errors, errors.dropFirst()).map { log2($0 / $1) }
        print("transient BDF2 uniform relaxation: errors \(errors), orders \(orders)")
        for o in orders { XCTAssertEqual(o, 2, accuracy: 0.15, "BDF2 is second order") }
    }

    /// Transient thermal grating: in a box periodic in every direction, an initial temperature ∝ cos(qx) relaxes
    /// under energy-conserving relaxation to the local temperature. The reference is the exact solution of the same
    /// angular quadrature, which Fourier-transforms in x to one ODE per direction,
    /// da_i/dt = −(1/τ + i q v μ_i) a_i + (1/τ) Σ_j w_j a_j, a_i(0) = 1, amplitude Re Σ_j w_j a_j(t),
    /// integrated here by RK4 to 1e-10; the solve must follow it within 1 % of the initial amplitude at every step
    /// for qΛ = 0.1 (diffusive), 1 and 10 (ballistic).
    func testTransientThermalGratingFollowsTheExactSolution() throws {
        let material = GrayMedium.make(polar: 8, azimuthal: 8, speed: 1, meanFreePath: 1, heatCapacity: 1)
        let m = material.modes
        let weights = m.volumeWeight.map { $0 / m.volumeWeight.reduce(0, +) }
        let cases: [(q: Double, cells: Int, dt: Double, end: Double)] = [(0.1, 16, 3, 300), (1, 16, 0.05, 6), (10, 32, 0.005, 1.5)]
        for c in cases {
            let length = 2 * Double.pi / c.q, width = length / Double(c.cells)
            let mesh = BoxMesh.make(cells: (c.cells, 1, 1), lengths: Vector3(length, width, width))
            let walls: [Int32: WallKind] = [
                1: .periodic(partner: 2), 2: .periodic(partner: 1), 3: .periodic(partner: 4),
                4: .periodic(partner: 3), 5: .periodic(partner: 6), 6: .periodic(partner: 5)
            ]
            var o = TransientOptions(timeStep: c.dt, steps: Int((c.end / c.dt).rounded()))
            o.scheme = .bdf2; o.krylovTolerance = 1e-10
            let sweepMesh = SweepMesh(mesh: mesh)
            let solver = try TransientSolver(options: o) {
                TransportSystem(try Transport(mesh: sweepMesh, material: material, walls: walls, timeShift: $0))
            }
            let tr = solver.system.regions[0], nn = tr.nodeCount
            var psi = [Double](repeating: 0, count: tr.volumeSize)
            for mu in 0..<tr.modeCount { for n in 0..<nn { psi[mu * nn + n] = m.dndT[mu] * cos(c.q * mesh.nodes[3 * n]) } }
            let keep = Keep()
            _ = try solver.run(initial: [psi], sink: keep)
            let volume = sweepMesh.geometry.nodeVolume
            func amplitude(_ x: [Double]) -> Double {
                var num = 0.0, den = 0.0
                for n in 0..<nn {
                    var t = 0.0
                    for mu in 0..<tr.modeCount { t += weights[mu] * x[mu * nn + n] / m.dndT[mu] }
                    let w = cos(c.q * mesh.nodes[3 * n])
                    num += volume[n] * t * w; den += volume[n] * w * w
                }
                return num / den
            }
            // Reference: RK4 on the Fourier amplitudes, 20 substeps per stored step.
            let mux = (0..<m.count).map { m.vx[$0] / m.speed($0) }
            var re = [Double](repeating: 1, count: m.count), im = [Double](repeating: 0, count: m.count)
            func rhs(_ re: [Double], _ im: [Double]) -> ([Double], [Double]) {
                var mr = 0.0, mi = 0.0
                for j in re.indices { mr += weights[j] * re[j]; mi += weights[j] * im[j] }
                var dr = re, di = im
                for j in re.indices {
                    let k = c.q * mux[j]
                    dr[j] = -re[j] + k * im[j] + mr
                    di[j] = -im[j] - k * re[j] + mi
                }
                return (dr, di)
            }
            let h = c.dt / 20
            var worst = 0.0, at = 0.0
            for (n, parts) in keep.parts.enumerated() {
                for _ in 0..<20 {
                    let (k1r, k1i) = rhs(re, im)
                    let (k2r, k2i) = rhs(zip(re, k1r).map { $0 + 0.5 * h * $1 }, zip(im, k1i).map { $0 + 0.5 * h * $1 })
                    let (k3r, k3i) = rhs(zip(re, k2r).map { $0 + 0.5 * h * $1 }, zip(im, k2i).map { $0 + 0.5 * h * $1 })
                    let (k4r, k4i) = rhs(zip(re, k3r).map { $0 + h * $1 }, zip(im, k3i).map { $0 + h * $1 })
                    for j in re.indices {
                        re[j] += h / 6 * (k1r[j] + 2 * k2r[j] + 2 * k3r[j] + k4r[j])
                        im[j] += h / 6 * (k1i[j] + 2 * k2i[j] + 2 * k3i[j] + k4i[j])
                    }
                }
                let exact = zip(weights, re).reduce(0) { $0 + $1.0 * $1.1 }
                let d = abs(amplitude(parts[0]) - exact)
                if d > worst { worst = d; at = Double(n + 1) * c.dt }
            }
            let final = amplitude(keep.parts.last![0])
            print("transient grating qΛ = \(c.q): worst |A − A_exact| = \(worst) (of A(0) = 1) at t = \(at) τ; A(end) = \(final)")
            XCTAssertLessThan(worst, 0.01, "qΛ = \(c.q)")
        }
    }

    /// Purely ballistic sphere of radius R with a black surface and a uniform, isotropic initial population: the
    /// fraction of the energy still inside after a time t is the probability that a uniform point's chord in a
    /// uniform direction is longer than x = vt, 1 − 3x/(4R) + x³/(16R³) for x ≤ 2R (zero after). Within 1 %.
    func testBallisticSphereEmptiesAsTheChordLengthDistribution() throws {
        guard MeshGenerators.gmshAvailable else { throw XCTSkip("gmsh not installed (make deps installs it)") }
        let mesh = try MeshGenerators.sphere(radius: 1, meshSize: 0.15, unit: "m").mesh
        let material = GrayMedium.make(polar: 4, azimuthal: 4, speed: 1, meanFreePath: 1e9, heatCapacity: 1)
        var o = TransientOptions(timeStep: 0.02, steps: 110)
        o.scheme = .bdf2
        let sweepMesh = SweepMesh(mesh: mesh)
        let solver = try TransientSolver(options: o) {
            TransportSystem(try Transport(mesh: sweepMesh, material: material, walls: [1: .black(temperature: nil)], timeShift: $0))
        }
        let tr = solver.system.regions[0]
        var psi = [Double](repeating: 0, count: tr.volumeSize)
        for mu in 0..<tr.modeCount { for n in 0..<tr.nodeCount { psi[mu * tr.nodeCount + n] = material.modes.dndT[mu] } }
        let s = try solver.run(initial: [psi], sink: nil)
        var worst = 0.0, at = 0.0
        for (n, e) in s.energy.enumerated() {
            let x = min(Double(n) * o.timeStep, 2)
            let exact = 1 - 0.75 * x + x * x * x / 16
            let d = abs(e / s.energy[0] - exact)
            if d > worst { worst = d; at = Double(n) * o.timeStep }
        }
        print(
            "transient ballistic sphere (\(mesh.tetCount) tets): worst |E/E0 − exact| = \(worst) at t = \(at) R/v; E/E0 at 2R/v = \(s.energy[100] / s.energy[0])"
        )
        XCTAssertLessThan(worst, 0.01)
    }

    /// The stored net outflow closes each step's energy balance: with black walls, E^{n+1} − E^n = −Δt·P_out^{n+1}
    /// under backward Euler and 3E^{n+1} − 4E^n + E^{n−1} = −2Δt·P_out^{n+1} under BDF2, to round-off; with diffuse
    /// walls the net outflow is zero.
    func testStoredOutflowClosesTheEnergyBalance() throws {
        for scheme in [TimeScheme.backwardEuler, .bdf2] {
            var o = TransientOptions(timeStep: 0.3, steps: 12)
            o.scheme = scheme; o.events = 2; o.krylovTolerance = 1e-13
            let solver = try TransientSolver(options: o) { TransportSystem(try self.cube(walls: .diffuse, open: true, shift: $0)) }
            let keep = Keep()
            let s = try solver.run(initial: [source(solver.system.regions[0])], sink: keep)
            var worst = 0.0
            for n in 1...o.steps {
                let e = s.energy, out = keep.steps[n - 1].leaving
                let black = [2, 4, 6].reduce(0.0) { $0 + out[Int32($1)]! }
                let diffuse = [1, 3, 5].reduce(0.0) { $0 + abs(out[Int32($1)]!) }
                let lhs = scheme == .bdf2 && n > 1 ? 3 * e[n] - 4 * e[n - 1] + e[n - 2] : e[n] - e[n - 1]
                let rhs = (scheme == .bdf2 && n > 1 ? -2 : -1) * o.timeStep * black
                worst = max(worst, abs(lhs - rhs) / e[0], diffuse / black)
            }
            print("transient \(scheme): worst energy-balance error with the stored outflow \(worst)")
            XCTAssertLessThan(worst, 1e-10, "\(scheme)")
            XCTAssertGreaterThan(s.energy[0] - s.energy.last!, 0.1 * s.energy[0], "energy has left")
        }
    }

    /// χ = Σ m ψ_m carried alongside: its time integral equals Σ_m m ψ^(m) of the steady event series (black cube,
    /// 40 events leave less than 1e-12 of the series), and its energy over ψ's starts at 0 and grows.
    func testEventMomentIntegratesToTheSteadyMeanEventCount() throws {
        let steady = try cube(walls: .black(temperature: 0), shift: 0)
        let g0 = source(steady)
        var e = EventOptions()
        e.maxEvents = 40; e.tolerance = 0; e.accelerate = false; e.preconditioner = .none
        let reference = KeepEvents()
        _ = try EventSolver(transport: steady, options: e).run(source: g0, inflow: [Double](repeating: 0, count: steady.boundarySize), sink: reference)
        var expected = [Double](repeating: 0, count: steady.volumeSize)
        for (m, p) in reference.events.enumerated() { for i in expected.indices { expected[i] += Double(m) * p[i] } }
        var o = TransientOptions(timeStep: 0.4, steps: 400)
        o.scheme = .backwardEuler; o.moment = true; o.krylovTolerance = 1e-13
        let solver = try TransientSolver(options: o) { TransportSystem(try self.cube(walls: .black(temperature: 0), shift: $0)) }
        let keep = Keep()
        _ = try solver.run(initial: [g0], sink: keep)
        var integral = [Double](repeating: 0, count: steady.volumeSize)
        for s in keep.steps { for i in integral.indices { integral[i] += o.timeStep * s.moment![i] } }
        let d = relativeDifference(integral, expected)
        print("transient: ∫χ dt vs Σ m ψ^(m): \(d)")
        XCTAssertLessThan(d, 1e-9)
        let mean = keep.steps.map { $0.energy[1] / $0.energy[0] }
        XCTAssertGreaterThan(mean[0], 0)
        XCTAssertGreaterThan(mean[20], mean[2], "events accumulate")
    }

    /// A run resumed from a checkpoint ends bit for bit where the uninterrupted run ends (BDF2, two event parts and χ).
    func testResumeFromACheckpointIsExact() throws {
        var o = TransientOptions(timeStep: 0.3, steps: 8)
        o.scheme = .bdf2; o.events = 2; o.moment = true; o.checkpointEvery = 3
        let make = { try TransientSolver(options: o) { TransportSystem(try self.cube(walls: .diffuse, open: true, shift: $0)) } }
        let whole = Keep()
        let g0 = source(try make().system.regions[0])
        _ = try make().run(initial: [g0], sink: whole)
        XCTAssertEqual(whole.states.map(\.step), [3, 6, 8])
        let resumed = Keep()
        let s = try make().run(initial: [], sink: resumed, resume: whole.states[0])
        XCTAssertEqual(resumed.steps.map(\.step), Array(4...8))
        XCTAssertEqual(resumed.steps.last!.parts, whole.steps.last!.parts)
        XCTAssertEqual(resumed.steps.last!.moment, whole.steps.last!.moment)
        XCTAssertEqual(s.energy.count, 9)
    }

    /// A constant source switched on at t = 0 settles to the steady solution of the same source.
    func testConstantSourceSettlesToTheSteadySolve() throws {
        let steady = try cube(walls: .diffuse, open: true, shift: 0)
        let g0 = source(steady)
        var e = EventOptions()
        e.maxEvents = 3; e.tolerance = 0; e.preconditioner = .none; e.krylovTolerance = 1e-13
        let reference = KeepEvents()
        let summary = try EventSolver(transport: steady, options: e).run(
            source: g0, inflow: [Double](repeating: 0, count: steady.boundarySize), sink: reference)
        var o = TransientOptions(timeStep: 0.5, steps: 120)
        o.krylovTolerance = 1e-13
        let solver = try TransientSolver(options: o) { TransportSystem(try self.cube(walls: .diffuse, open: true, shift: $0)) }
        let keep = Keep()
        _ = try solver.run(initial: [], source: { _ in g0 }, sink: keep)
        let d = relativeDifference(keep.parts.last![0], summary.accumulated)
        print("transient: constant source after 60 τ vs steady: \(d)")
        XCTAssertLessThan(d, 1e-8)
    }
}
