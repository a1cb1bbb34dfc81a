import Model
import COpenBLAS

/// Local temperature and heat flux at nodes from ψ (modes × nodes), by BLAS matrix–vector products
/// (docs/physics.md §5: ΔT = Σρħωψ / ΣρC, q = Σρħω v ψ).
struct NodeObservables {
    let modes: ModeSet
    let nodeCount: Int
    let energyWeight: [Double] // ρħω / ΣρC
    let fluxWeight: [[Double]] // ρħω v_a

    init(modes: ModeSet, nodeCount: Int) {
        self.modes = modes; self.nodeCount = nodeCount
        let c = modes.volumetricHeatCapacity
        energyWeight = (0..<modes.count).map { modes.volumeWeight[$0] * modes.energy($0) / c }
        fluxWeight = [modes.vx, modes.vy, modes.vz].map { v in (0..<modes.count).map { modes.volumeWeight[$0] * modes.energy($0) * v[$0] } }
    }

    func project(_ psi: [Double], _ w: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: nodeCount)
        psi.withUnsafeBufferPointer { p in
            w.withUnsafeBufferPointer { ww in
                out.withUnsafeMutableBufferPointer { o in
                    cblas_dgemv(
                        CblasRowMajor, CblasTrans, Int32(modes.count), Int32(nodeCount), 1, p.baseAddress, Int32(nodeCount),
                        ww.baseAddress, 1, 0, o.baseAddress, 1)
                }
            }
        }
        return out
    }

    func temperature(_ psi: [Double]) -> [Double] { project(psi, energyWeight) }

    /// Emitted (directional) temperature along an axis: ΔT_± = Σ_{±v_a>0} ρħωψ / Σ_{±v_a>0} ρC (docs/physics.md §5.2).
    func emittedTemperature(_ psi: [Double], axis: Int, positive: Bool) -> [Double] {
        let v = [modes.vx, modes.vy, modes.vz][axis]
        var c = 0.0
        var w = [Double](repeating: 0, count: modes.count)
        for mu in 0..<modes.count where positive ? v[mu] > 0 : v[mu] < 0 {
            w[mu] = modes.volumeWeight[mu] * modes.energy(mu)
            c += modes.volumeWeight[mu] * modes.heatCapacity(mu)
        }
        return project(psi, w.map { c > 0 ? $0 / c : 0 })
    }

    /// Heat flux, nodes × 3.
    func heatFlux(_ psi: [Double]) -> [Double] {
        let q = fluxWeight.map { project(psi, $0) }
        var out = [Double](repeating: 0, count: 3 * nodeCount)
        for n in 0..<nodeCount { for a in 0..<3 { out[3 * n + a] = q[a][n] } }
        return out
    }
}
