import Foundation
import Model
import Config

extension VolumeSource {
    /// Fills G0 (modes × nodes).
    public func fill(modes: ModeSet, mesh: TetMesh, into g: inout [Double]) {
        let nn = mesh.nodeCount, nm = modes.count
        var w = [Double](repeating: 0, count: nm)
        var norm = 0.0
        switch spectrum {
        case .thermal:
            for mu in 0..<nm where modes.tau[mu].isFinite && modes.tau[mu] > 0 { w[mu] = modes.dndT[mu] / modes.tau[mu] }
        case .equilibrium:
            for mu in 0..<nm where modes.tau[mu].isFinite && modes.tau[mu] > 0 { w[mu] = modes.dndT[mu] }
        case .modes(let list):
            for mu in list where mu >= 0 && mu < nm { w[mu] = 1 }
        case .temperatureGradient(let grad):
            for mu in 0..<nm { w[mu] = -modes.dndT[mu] * modes.velocity(mu).dot(grad) }
        }
        for mu in 0..<nm { norm += modes.volumeWeight[mu] * modes.energy(mu) * w[mu] }
        if case .temperatureGradient = spectrum { norm = 1 } // already an absolute drive, in 1/s per unit Q
        let q = (0..<nn).map { value(at: mesh.node($0)) }
        if g.count != nm * nn { g = .init(repeating: 0, count: nm * nn) }
        for mu in 0..<nm {
            let f = norm != 0 ? w[mu] / norm : 0
            for n in 0..<nn { g[mu * nn + n] = f * q[n] }
        }
    }
}
