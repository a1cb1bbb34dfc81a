import Model
@testable import Solve
import Config

/// Shared set-ups for the gray-medium validation problems of docs/physics.md §9.
enum GraySetup {
    /// A slab of optical thickness τ0 along z between black walls (ΔT = 1 at zmin, 0 at zmax),
    /// one cell wide with specular side walls, which makes it laterally infinite.
    static func slab(
        tau0: Double, layers: Int, polar: Int = 16, azimuthal: Int = 8,
        sides: WallKind = .specular
    ) throws -> Transport {
        let lambda = 1.0, speed = 1.0
        let mat = GrayMedium.make(polar: polar, azimuthal: azimuthal, speed: speed, meanFreePath: lambda, heatCapacity: 1)
        let L = tau0 * lambda
        let mesh = BoxMesh.make(cells: (1, 1, layers), lengths: Vector3(L, L, L))
        var walls: [Int32: WallKind] = [5: .black(temperature: 1), 6: .black(temperature: 0)]
        for tag: Int32 in 1...4 {
            if case .periodic = sides { walls[tag] = .periodic(partner: tag % 2 == 1 ? tag + 1 : tag - 1) } else { walls[tag] = sides }
        }
        return try Transport(mesh: SweepMesh(mesh: mesh), material: mat, walls: walls)
    }

    /// Mean z-flux over the nodes, in units of (Cv/4)ΔT: the nondimensional Ψ of docs/physics.md §9.1.
    static func psiFlux(_ t: Transport, _ psi: [Double]) -> Double {
        let nn = t.nodeCount
        var q = 0.0
        for n in 0..<nn {
            let col = (0..<t.modeCount).map { psi[$0 * nn + n] }
            q += col.withUnsafeBufferPointer { t.modes.heatFlux(psi: $0).z }
        }
        q /= Double(nn)
        let c = t.modes.volumetricHeatCapacity, v = t.modes.speed(0)
        return q / (c * v / 4)
    }

    static func initialState(_ t: Transport) -> ([Double], [Double]) {
        var inflow = [Double](repeating: 0, count: t.boundarySize)
        t.walls.thermalEmission(mesh: t.mesh, modes: t.modes, into: &inflow)
        return ([Double](repeating: 0, count: t.volumeSize), inflow)
    }
}
