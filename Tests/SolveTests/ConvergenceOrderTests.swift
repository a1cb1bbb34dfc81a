import XCTest
import Foundation
import Model
@testable import Solve
import Config

/// Manufactured solution ψ_μ(r) = ∂n̄/∂T·T(r) with smooth T: the source G0 = ∂n̄/∂T v·∇T and wall inflow
/// ∂n̄/∂T·T(r_wall) make it exact for the full gray BTE (relaxation to T leaves it unchanged), so mesh refinement
/// must show the L2 error of nodal ψ falling at second order, ballistic and diffusive alike.
final class ConvergenceOrderTests: XCTestCase {
    func temperature(_ r: Vector3) -> Double { sin(2 * r.x + 0.5) * cos(1.5 * r.y) + 0.5 * r.z * r.z }
    func gradient(_ r: Vector3) -> Vector3 {
        Vector3(2 * cos(2 * r.x + 0.5) * cos(1.5 * r.y), -1.5 * sin(2 * r.x + 0.5) * sin(1.5 * r.y), r.z)
    }

    func l2Error(cells: Int, meanFreePath: Double) throws -> Double {
        let mat = GrayMedium.make(polar: 4, azimuthal: 4, speed: 1, meanFreePath: meanFreePath, heatCapacity: 1)
        let mesh = BoxMesh.make(cells: (cells, cells, cells), lengths: Vector3(1, 1, 1))
        var walls: [Int32: WallKind] = [:]
        for tag: Int32 in 1...6 { walls[tag] = .black(temperature: nil) }
        let sm = SweepMesh(mesh: mesh)
        let t = try Transport(mesh: sm, material: mat, walls: walls)
        let nn = t.nodeCount, nm = t.modeCount, bs = 3 * t.boundaryFaceCount
        var g0 = [Double](repeating: 0, count: nm * nn)
        for mu in 0..<nm { for n in 0..<nn { g0[mu * nn + n] = mat.modes.dndT[mu] * mat.modes.velocity(mu).dot(gradient(mesh.node(n))) } }
        var b0 = [Double](repeating: 0, count: nm * bs)
        for mu in 0..<nm { for k in 0..<bs { b0[mu * bs + k] = mat.modes.dndT[mu] * temperature(mesh.node(Int(sm.boundaryNode[k]))) } }
        var opt = EventOptions()
        opt.maxEvents = 3
        opt.krylovTolerance = 1e-11
        let s = try EventSolver(transport: t, options: opt).run(source: g0, inflow: b0, sink: nil)
        var err = 0.0, norm = 0.0
        for mu in 0..<nm {
            for n in 0..<nn {
                let exact = mat.modes.dndT[mu] * temperature(mesh.node(n))
                let w = sm.geometry.nodeVolume[n] * mat.modes.volumeWeight[mu]
                err += w * pow(s.accumulated[mu * nn + n] - exact, 2); norm += w * exact * exact
            }
        }
        return (err / norm).squareRoot()
    }

    func testSecondOrderBallisticAndDiffusive() throws {
        for mfp in [10.0, 0.02] {
            let e = try [4, 8, 16].map { try l2Error(cells: $0, meanFreePath: mfp) }
            let orders = [log2(e[0] / e[1]), log2(e[1] / e[2])]
            print("MFP \(mfp): errors \(e), orders \(orders)")
            XCTAssertGreaterThan(orders[1], 1.8, "mean free path \(mfp): observed order \(orders)")
        }
    }
}
