import Foundation
import XCTest
@testable import Solve

/// The Krylov inner product's kernel: its summation order is the documented one (four lanes by i mod 4, added
/// pairwise, then the tail), so a chunk's partial is the same bits wherever the chunk starts in memory, and it is
/// as accurate as a dot product in that order can be.
final class OrderedDotTests: XCTestCase {
    func reference(_ a: [Double], _ b: [Double]) -> Double {
        var lanes = [0.0, 0.0, 0.0, 0.0]
        let body = a.count / 4 * 4
        for i in 0..<body { lanes[i % 4] += a[i] * b[i] }
        var s = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3])
        for i in body..<a.count { s += a[i] * b[i] }
        return s
    }

    func testOrderIsTheDocumentedOneAndIndependentOfWhereTheChunkStarts() {
        var rng = SystemRandomNumberGenerator()
        for n in Array(0...13) + [1000, 100_003] {
            let a = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) * pow(10, Double.random(in: -8...8, using: &rng)) }
            let b = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
            let d = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in orderedDot(pa.baseAddress!, pb.baseAddress!, n) } }
            XCTAssertEqual(d.bitPattern, reference(a, b).bitPattern, "n = \(n)")
            // The same entries placed after 1…3 others (another alignment, another offset in a system vector).
            for shift in 1...3 {
                let pad = [Double](repeating: 7, count: shift)
                let sa = pad + a, sb = pad + b
                let e = sa.withUnsafeBufferPointer { pa in
                    sb.withUnsafeBufferPointer { pb in
                        orderedDot(pa.baseAddress! + shift, pb.baseAddress! + shift, n)
                    }
                }
                XCTAssertEqual(e.bitPattern, d.bitPattern, "n = \(n), shift = \(shift)")
            }
            // Accuracy: within the recursive-summation bound n·ε·Σ|a_i b_i| of a compensated (Neumaier) sum.
            var s = 0.0, c = 0.0, mag = 0.0
            for i in 0..<n {
                let x = a[i] * b[i], t = s + x
                c += abs(s) >= abs(x) ? (s - t) + x : (x - t) + s
                s = t; mag += abs(x)
            }
            XCTAssertLessThanOrEqual(abs(d - (s + c)), Double(max(n, 1)) * Double.ulpOfOne * mag, "n = \(n)")
        }
    }
}
