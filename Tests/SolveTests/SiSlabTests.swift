import XCTest
import Foundation
import Model
import Store
import Ingest
@testable import Solve
import Config

/// With the Si sample data (RTA, 8×8×8): a slab between black walls 20 times thicker than the κ-weighted mean free
/// path conducts, in its interior, with the bulk κ_zz of the same data (within 2%): the walls only add a slip at
/// each side. Its broad mean-free-path spectrum makes the temperature mode diffusive for most of the heat, which
/// plain GMRES barely reduces; the diffusion preconditioner is what makes the problem solvable.
final class SiSlabTests: XCTestCase {
    nonisolated(unsafe) static var material: Material?

    static func siMaterial() throws -> Material {
        if let m = Self.material { return m }
        let out = NSTemporaryDirectory() + "si888-slab-\(getpid()).h5"
        defer { try? FileManager.default.removeItem(atPath: out) }
        _ = try PhononIngest.ingestPhono3py(
            kappa: BulkKappaTests.data + "/kappa-m888.hdf5",
            crystal: BulkKappaTests.data + "/crystal.si.txt", output: out)
        let (mat, _) = try MaterialFile.read(path: out)
        Self.material = mat
        return mat
    }

    /// Λ_κ = Σ κ_μ Λ_μ / Σ κ_μ along z.
    static func kappaWeightedMFP(_ m: ModeSet) -> Double {
        var num = 0.0, den = 0.0
        for mu in 0..<m.count where m.tau[mu].isFinite {
            let k = m.volumeWeight[mu] * m.heatCapacity(mu) * m.tau[mu] * m.vz[mu] * m.vz[mu]
            num += k * m.meanFreePath(mu); den += k
        }
        return num / den
    }

    static func slab(_ mat: Material, layers: Int) throws -> (Transport, Double) {
        let L = 20 * Self.kappaWeightedMFP(mat.modes)
        let h = L / Double(layers)
        let mesh = BoxMesh.make(cells: (1, 1, layers), lengths: Vector3(h, h, L))
        var walls: [Int32: WallKind] = [5: .black(temperature: 1), 6: .black(temperature: 0)]
        for tag: Int32 in 1...4 { walls[tag] = .periodic(partner: tag % 2 == 1 ? tag + 1 : tag - 1) }
        return (try Transport(mesh: SweepMesh(mesh: mesh), material: mat, walls: walls), L)
    }

    static func solve(_ t: Transport, _ pre: KrylovPreconditioner, maxSweeps: Int) throws -> SolveSummary {
        var opt = EventOptions()
        opt.maxEvents = 3
        opt.krylovTolerance = 1e-8
        opt.maxSweeps = maxSweeps
        opt.preconditioner = pre
        let (g0, b0) = GraySetup.initialState(t)
        return try EventSolver(transport: t, options: opt).run(source: g0, inflow: b0, sink: nil)
    }

    /// κ from the interior: mean q_z over −dT/dz fitted on the central half of the slab.
    static func interiorKappa(_ t: Transport, _ psi: [Double], length L: Double) -> (kappa: Double, flux: Double) {
        let nn = t.nodeCount, m = t.modes
        var zs = [Double](), ts = [Double](), q = 0.0
        for n in 0..<nn {
            let col = (0..<t.modeCount).map { psi[$0 * nn + n] }
            let z = t.mesh.mesh.node(n).z
            q += col.withUnsafeBufferPointer { m.heatFlux(psi: $0).z } / Double(nn)
            guard z > 0.25 * L && z < 0.75 * L else { continue }
            zs.append(z); ts.append(col.withUnsafeBufferPointer { m.temperature(psi: $0) })
        }
        let zm = zs.reduce(0, +) / Double(zs.count), tm = ts.reduce(0, +) / Double(ts.count)
        var sxy = 0.0, sxx = 0.0
        for i in zs.indices { sxy += (zs[i] - zm) * (ts[i] - tm); sxx += (zs[i] - zm) * (zs[i] - zm) }
        return (-q / (sxy / sxx), q)
    }

    func testThickSlabCarriesTheBulkConductivity() throws {
        let mat = try Self.siMaterial()
        let (t, L) = try Self.slab(mat, layers: 32)
        let kzz = mat.modes.kappaRTA()[8]
        let s = try Self.solve(t, .diffusion, maxSweeps: 150)
        let (k, q) = Self.interiorKappa(t, s.accumulated, length: L)
        print(
            String(
                format: "Si slab L = %.2f µm (20 Λ_κ): interior κ %.2f vs κ_zz %.2f W/m/K, κ_eff %.2f, sweeps %d, residual %.1e",
                L * 1e6, k, kzz, q * L, s.sweeps, s.krylovResiduals.last ?? -1))
        XCTAssertTrue(s.converged, "GMRES residual \(s.krylovResiduals.last ?? -1) after \(s.sweeps) sweeps")
        XCTAssertEqual(k, kzz, accuracy: 0.02 * kzz)
        // The walls add a slip resistance: the whole slab conducts less than the bulk, but not by much at 20 Λ_κ.
        XCTAssertLessThan(q * L, kzz)
        XCTAssertGreaterThan(q * L, 0.7 * kzz)
    }
}
