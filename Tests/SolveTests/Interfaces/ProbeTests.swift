import XCTest
import Model
final class KernelProbeTests: XCTestCase {
    func testProbe() throws {
        for mat in ["si", "ge"] {
            let m = try KernelSampleData.modes(mat)
            var plus = [Int: Double](), minus = [Int: Double](), signed = [Int: Double]()
            for mu in 0..<m.count {
                let vn = m.vz[mu]
                let w = m.volumeWeight[mu] * m.heatCapacity(mu) * abs(vn)
                let b = Int((m.omega[mu] / (2 * Double.pi * 1e12) / 0.2).rounded(.down))
                signed[b, default: 0] += m.volumeWeight[mu] * m.heatCapacity(mu) * vn
                if vn > 0 { plus[b, default: 0] += w } else if vn < 0 { minus[b, default: 0] += w }
            }
            for (b, p) in plus.sorted(by: { $0.key < $1.key }) where abs(p - (minus[b] ?? 0)) > 1e-6 * p {
                print(mat, b, p, minus[b] ?? 0, signed[b]!)
            }
            // time-reversal pairs
            var key = [String: Int]()
            for iq in 0..<(m.count / 6) { let mu = iq * 6; key[String(format: "%.6e %.6e %.6e", m.qx[mu], m.qy[mu], m.qz[mu])] = iq }
            var worstF = 0.0, worstV = 0.0, missing = 0
            for iq in 0..<(m.count / 6) {
                let mu = iq * 6
                // -q folded: try -q + G over small set
                var found: Int? = nil
                for g in [[0.0,0,0]] { let k = String(format: "%.6e %.6e %.6e", -m.qx[mu] + g[0], -m.qy[mu]+g[1], -m.qz[mu]+g[2]); found = key[k] }
                guard let jq = found else { missing += 1; continue }
                for s in 0..<6 {
                    worstF = max(worstF, abs(m.omega[iq*6+s] - m.omega[jq*6+s]) / m.omega.max()!)
                    worstV = max(worstV, abs(m.vz[iq*6+s] + m.vz[jq*6+s]))
                }
            }
            print(mat, "missing -q", missing, "worstF", worstF, "worst vz+vz'", worstV)
        }
    }
}
