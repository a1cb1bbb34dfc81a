import Foundation
import Model
import XCTest

/// The misfit array's strain in Fourier space against the real-space field of single dislocations summed over the
/// array and transformed numerically: an independent check of every sign and factor of docs/smm.md §7.3.
final class MisfitStrainTests: XCTestCase {
    let b = 0.384e-9, d = 9.57e-9, nu = 0.278

    func testCoefficientsEqualTheTransformOfTheSummedArray() {
        for z in [0.35 * d, -0.2 * d] {
            for n in [1, -2] {
                let g = 2 * Double.pi * Double(n) / d
                let points = 256, images = 20000
                var sxx = (0.0, 0.0), szz = (0.0, 0.0), sxz = (0.0, 0.0)
                for i in 0..<points {
                    let x = d * Double(i) / Double(points)
                    var e = (0.0, 0.0, 0.0)
                    for m in -images...images {
                        let f = MisfitStrain.singleDislocation(x: x - Double(m) * d, z: z, burgers: b, poisson: nu)
                        e.0 += f.xx; e.1 += f.zz; e.2 += f.xz
                    }
                    let c = cos(g * x) / Double(points), s = -sin(g * x) / Double(points)
                    sxx.0 += e.0 * c; sxx.1 += e.0 * s
                    szz.0 += e.1 * c; szz.1 += e.1 * s
                    sxz.0 += e.2 * c; sxz.1 += e.2 * s
                }
                let ref = MisfitStrain.coefficient(G: g, z: z, burgers: b, spacing: d, poisson: nu)
                let scale = b / (4 * (1 - nu) * d)
                for (num, exact, name) in [(sxx, ref.xx, "xx"), (szz, ref.zz, "zz"), (sxz, ref.xz, "xz")] {
                    XCTAssertEqual(num.0, exact.re, accuracy: 2e-4 * scale, "ε_\(name) re, z = \(z), n = \(n)")
                    XCTAssertEqual(num.1, exact.im, accuracy: 2e-4 * scale, "ε_\(name) im, z = \(z), n = \(n)")
                }
            }
        }
    }

    /// The half-space transforms are ∫ coefficient(z) e^{−iQz} dz over each side (numerical quadrature), and their
    /// traces are the dilatation's A₀/(G − iQ) (side A) and −A₀/(G + iQ) (side B) of docs/smm.md §1.
    func testHalfSpaceTransforms() {
        let g = 2 * Double.pi / d
        for q in [0.0, 0.7 * g, -2.3 * g] {
            for sideB in [true, false] {
                let h = MisfitStrain.halfSpace(G: -g, Q: q, burgers: b, spacing: d, poisson: nu, sideB: sideB)
                var acc = [(0.0, 0.0), (0.0, 0.0), (0.0, 0.0)]
                let steps = 200_000, zmax = 40 / g, dz = zmax / Double(steps)
                for i in 0..<steps {
                    let z = (sideB ? 1 : -1) * (Double(i) + 0.5) * dz
                    let c = MisfitStrain.coefficient(G: -g, z: z, burgers: b, spacing: d, poisson: nu)
                    let er = cos(q * z), ei = -sin(q * z)
                    for (k, v) in [c.xx, c.zz, c.xz].enumerated() {
                        acc[k].0 += (v.re * er - v.im * ei) * dz; acc[k].1 += (v.re * ei + v.im * er) * dz
                    }
                }
                let scale = b / (4 * (1 - nu) * d) / g
                for (k, v) in [h.xx, h.zz, h.xz].enumerated() {
                    XCTAssertEqual(acc[k].0, v.re, accuracy: 1e-6 * scale); XCTAssertEqual(acc[k].1, v.im, accuracy: 1e-6 * scale)
                }
                let a0 = b * (1 - 2 * nu) / (2 * d * (1 - nu))
                let den = g * g + q * q
                let trace = (h.xx.re + h.zz.re, h.xx.im + h.zz.im)
                let expect = sideB ? (-a0 * g / den, a0 * q / den) : (a0 * g / den, a0 * q / den)
                XCTAssertEqual(trace.0, expect.0, accuracy: 1e-12 * a0 / g); XCTAssertEqual(trace.1, expect.1, accuracy: 1e-12 * a0 / g)
            }
        }
    }
}
