import XCTest
import Foundation
import Model
import Ingest
@testable import Solve
import Config

/// Two identical gray media joined by a diffusely transmitting sheet of transmissivity t, both slabs 20 MFP thick
/// between black walls: the equivalent-equilibrium resistance obeys R·(Cv/4) = (1−t)/t + 0.0657 (docs/physics.md §7.6)
/// within 2%; the heat flux is the same through the whole stack.
final class InterfaceSheetTests: XCTestCase {
    /// Gray diffuse sheet: energy arriving in any mode is transmitted with fraction t, Lambertian in energy.
    static func graySheet(t: Double) -> (ModeSet, ModeSet, Vector3) throws -> InterfaceKernel {
        { a, b, n in
            func lambert(_ m: ModeSet, into sign: Double) -> [Double] {
                let w = (0..<m.count).map { mu -> Double in
                    let vn = m.velocity(mu).dot(n) * sign
                    return vn > 0 ? m.volumeWeight[mu] * m.heatCapacity(mu) * vn : 0
                }
                let s = w.reduce(0, +)
                return w.map { $0 / s }
            }
            func block(_ rows: [Double], _ cols: ModeSet, from sign: Double, _ f: Double) -> SparseMatrix {
                var trip: [(Int, Int, Double)] = []
                for j in 0..<cols.count where cols.velocity(j).dot(n) * sign > 0 {
                    for i in rows.indices where rows[i] > 0 { trip.append((i, j, f * rows[i])) }
                }
                return SparseMatrix(rows: rows.count, columns: cols.count, triplets: trip)
            }
            let intoB = lambert(b, into: 1), intoA = lambert(a, into: -1)
            return InterfaceKernel(
                name: "diffuse-sheet", description: "t = \(t)",
                transmitAB: block(intoB, a, from: 1, t), transmitBA: block(intoA, b, from: -1, t),
                reflectA: block(intoA, a, from: 1, 1 - t), reflectB: block(intoB, b, from: -1, 1 - t))
        }
    }

    /// 32 polar directions: the Milne-type jump at t = 1 (0.0657) is carried by grazing directions.
    func resistance(t: Double, cells: Int = 80, polar: Int = 32) throws -> (rc: Double, fluxSpread: Double, closure: Double) {
        let lambda = 1.0, half = 20.0
        let mat = GrayMedium.make(polar: polar, azimuthal: 4, speed: 1, meanFreePath: lambda, heatCapacity: 1)
        let mesh = try MeshGenerators.heterostructure(cells: (1, 1, cells), lengths: Vector3(1, 1, 2 * half), splitZ: half)
        let side: [Int32: WallKind] = [1: .specular, 2: .specular, 3: .specular, 4: .specular, 7: .black(temperature: nil)]
        var wallsA = side, wallsB = side
        wallsA[5] = .black(temperature: 1); wallsB[6] = .black(temperature: 0)
        let regions = try mesh.regionTags.enumerated().map { (i, r) in
            try Transport(mesh: SweepMesh(mesh: Submesh(of: mesh, region: r).mesh), material: mat, walls: i == 0 ? wallsA : wallsB)
        }
        let system = TransportSystem(regions: regions)
        system.interfaces = [try InterfaceCoupling(regions: regions, regionA: 0, regionB: 1, tag: 7, kernel: Self.graySheet(t: t))]
        var b0 = [Double](repeating: 0, count: system.boundarySize)
        for (r, tr) in regions.enumerated() {
            var part = [Double](repeating: 0, count: tr.boundarySize)
            tr.walls.thermalEmission(mesh: tr.mesh, modes: tr.modes, into: &part)
            system.boundaryLayout.place(part, into: &b0, r)
        }
        var opt = EventOptions()
        opt.maxEvents = 4
        opt.krylovTolerance = 1e-9
        opt.maxSweeps = 600
        opt.krylovRestart = 60
        let s = try EventSolver(system: system, options: opt).run(source: .init(repeating: 0, count: system.volumeSize), inflow: b0, sink: nil)
        XCTAssertTrue(s.converged, "GMRES: \(s.krylovResiduals.last ?? -1) after \(s.sweeps) sweeps")
        // Per region: node z, ΔT and q_z.
        var fits: [(Double, Double)] = [], layerFlux: [Int: (Double, Double)] = [:]
        for (r, tr) in regions.enumerated() {
            let psi = system.volumeLayout.part(of: s.accumulated, r)
            let nn = tr.nodeCount
            var zs: [Double] = [], ts: [Double] = []
            for n in 0..<nn {
                let col = (0..<tr.modeCount).map { psi[$0 * nn + n] }
                let z = tr.mesh.mesh.node(n).z
                col.withUnsafeBufferPointer { c in
                    let w = tr.mesh.geometry.nodeVolume[n], key = Int((z * 1000).rounded())
                    let f = layerFlux[key] ?? (0, 0)
                    layerFlux[key] = (f.0 + w * tr.modes.heatFlux(psi: c).z, f.1 + w)
                    let lo = r == 0 ? 5 * lambda : half + 5 * lambda, hi = r == 0 ? half - 5 * lambda : 2 * half - 5 * lambda
                    if z >= lo && z <= hi { zs.append(z); ts.append(tr.modes.temperature(psi: c)) }
                }
            }
            let mz = zs.reduce(0, +) / Double(zs.count), mt = ts.reduce(0, +) / Double(ts.count)
            let slope = zip(zs, ts).reduce(0) { $0 + ($1.0 - mz) * ($1.1 - mt) } / zs.reduce(0) { $0 + ($1 - mz) * ($1 - mz) }
            fits.append((slope, mt - slope * mz))
        }
        // Cross-section means of q_z, layer by layer of nodes.
        let fluxes = layerFlux.values.map { $0.0 / $0.1 }
        let q = fluxes.reduce(0, +) / Double(fluxes.count)
        let spread = (fluxes.max()! - fluxes.min()!) / abs(q)
        let dT = (fits[0].0 * half + fits[0].1) - (fits[1].0 * half + fits[1].1)
        // Bulk check: Fourier with k = CvΛ/3 in the fitted interiors.
        XCTAssertEqual(-fits[0].0 / 3, q, accuracy: 0.01 * q)
        return (dT / q * (1.0 / 4), spread, s.balances.map { abs($0.closure) }.max()!)
    }

    func testDiffuseSheetResistance() throws {
        for t in [1.0, 0.5, 0.25] {
            let (rc, spread, closure) = try resistance(t: t)
            let exact = (1 - t) / t + 0.0657
            print("sheet t = \(t): R·Cv/4 = \(rc), exact \(exact), flux spread \(spread)")
            XCTAssertEqual(rc, exact, accuracy: 0.02 * exact, "t = \(t)")
            XCTAssertLessThan(spread, 0.01, "heat flux must be the same through the stack")
            XCTAssertLessThan(closure, 1e-12)
        }
    }
}
