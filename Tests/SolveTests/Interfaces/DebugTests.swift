import XCTest
import Model
@testable import Solve
final class KernelDebugTests: XCTestCase {
    func testDebug() throws {
        let c1 = 8435.0, c2 = 4913.0
        let a = KernelTestMedia.gray(speed: c1, polar: 32, azimuthal: 32, heatCapacity: 1e6), b = KernelTestMedia.gray(speed: c2, polar: 32, azimuthal: 32, heatCapacity: 1e6 * pow(c1 / c2, 3))
        let k = try InterfaceKernel.acousticMismatch(modesA: a, modesB: b, normal: KernelTestMedia.z, parameters: .init(binWidth: nil))
        print(k.warnings)
        let t = KernelTestMedia.transmission(k.transmitAB, columns: a.count)
        let tb = KernelTestMedia.transmission(k.transmitBA, columns: b.count)
        for mu in stride(from: 0, to: a.count, by: 32) {
            let cos1 = a.vz[mu] / c1, s2 = (1 - cos1 * cos1).squareRoot() * c2 / c1
            let ex = acousticTransmissivity(z1: 2329 * c1, z2: 5323 * c2, cos1: abs(cos1), cos2: (1 - s2 * s2).squareRoot())
            print(String(format: "cos %.4f t %.4f %.4f exact %.4f   B: cos %.4f tBA %.4f", cos1, t[mu], t[mu + 16], ex, b.vz[mu] / c2, tb[mu]))
        }
    }
}
