import XCTest
import Foundation
import Model
import Ingest
@testable import Solve
import Config

/// Gray sphere with a black surface (docs/physics.md §9.3, §9.4): the ballistic profile of a uniform source and the
/// diffusive profile of a Gaussian source, within 2%.
final class SphereTests: XCTestCase {
    func sphere(meshSize: Double) throws -> TetMesh {
        guard MeshGenerators.gmshAvailable else { throw XCTSkip("gmsh not installed (make deps installs it)") }
        return try MeshGenerators.sphere(radius: 1, meshSize: meshSize, unit: "m").mesh
    }

    /// Volume-weighted mean ΔT over nodes in a thin shell around radius r.
    func shellMean(_ t: Transport, _ psi: [Double], r: Double, width: Double) -> Double {
        let nn = t.nodeCount
        var s = 0.0, w = 0.0
        for n in 0..<nn where abs(t.mesh.mesh.node(n).norm - r) < width {
            let col = (0..<t.modeCount).map { psi[$0 * nn + n] }
            s += t.mesh.geometry.nodeVolume[n] * col.withUnsafeBufferPointer { t.modes.temperature(psi: $0) }
            w += t.mesh.geometry.nodeVolume[n]
        }
        return s / w
    }

    func testBallisticUniformSource() throws {
        let mesh = try sphere(meshSize: 0.12)
        let v = 1.0, c = 1.0, q = 1.0
        let mat = GrayMedium.make(polar: 16, azimuthal: 16, speed: v, meanFreePath: 1e5, heatCapacity: c)
        let t = try Transport(mesh: SweepMesh(mesh: mesh), material: mat, walls: [1: .black(temperature: nil)])
        var g0 = [Double]()
        VolumeSource(profile: .uniform(power: q)).fill(modes: mat.modes, mesh: mesh, into: &g0)
        var opt = EventOptions()
        opt.maxEvents = 3
        opt.accelerate = false
        let s = try EventSolver(transport: t, options: opt).run(source: g0, inflow: .init(repeating: 0, count: t.boundarySize), sink: nil)
        let u0 = q * 1 / v / c // u(0) = QR/v, ΔT = u/C
        let exact: [(Double, Double)] = [(0.25, 0.978899), (0.5, 0.911980), (0.75, 0.783779)]
        for (x, ratio) in exact {
            let dt = shellMean(t, s.accumulated, r: x, width: 0.05)
            print("ballistic r \(x): \(dt / u0) exact \(ratio)")
            XCTAssertEqual(dt / u0, ratio, accuracy: 0.02 * ratio, "r/R = \(x)")
        }
    }

    func testDiffusiveGaussianSource() throws {
        let mesh = try sphere(meshSize: 0.08)
        let v = 1.0, c = 1.0, lambda = 0.02, sigma = 0.5, q0 = 1.0
        let k = c * v * lambda / 3
        let mat = GrayMedium.make(polar: 6, azimuthal: 6, speed: v, meanFreePath: lambda, heatCapacity: c)
        let t = try Transport(mesh: SweepMesh(mesh: mesh), material: mat, walls: [1: .black(temperature: nil)])
        var g0 = [Double]()
        VolumeSource(profile: .gaussian(peak: q0, center: .zero, width: sigma)).fill(modes: mat.modes, mesh: mesh, into: &g0)
        var opt = EventOptions()
        opt.maxEvents = 3
        opt.krylovTolerance = 1e-7
        opt.maxSweeps = 300
        let s = try EventSolver(transport: t, options: opt).run(source: g0, inflow: .init(repeating: 0, count: t.boundarySize), sink: nil)
        XCTAssertTrue(s.converged)
        let pd = t.volumePower(g0)
        let pe =
            4 * Double.pi * q0 * pow(sigma, 3)
            * ((Double.pi / 2).squareRoot() * erf(1 / (2.0.squareRoot() * sigma)) - (1 / sigma) * exp(-1 / (2 * sigma * sigma)))
        let vol = t.mesh.geometry.volume.reduce(0, +)
        print("power discrete \(pd) exact \(pe) ratio \(pd / pe) volume ratio \(vol / (4 * Double.pi / 3))")
        XCTAssertEqual(pd / pe, 1, accuracy: 0.01, "source power on the mesh")
        let re = 1 + 0.7104 * lambda
        func exact(_ r: Double) -> Double {
            let a = 2.0.squareRoot() * sigma
            let inner = r < 1e-9 ? 2 / (Double.pi.squareRoot() * a) : erf(r / a) / r
            return q0 * pow(sigma, 3) / k * (Double.pi / 2).squareRoot() * (inner - erf(re / a) / re)
        }
        for r in [0.1, 0.3, 0.5, 0.7] {
            let dt = shellMean(t, s.accumulated, r: r, width: 0.04)
            print("diffusive r \(r): \(dt) exact \(exact(r)) sweeps \(s.sweeps)")
            XCTAssertEqual(dt, exact(r), accuracy: 0.02 * exact(r), "r = \(r)")
        }
    }
}
