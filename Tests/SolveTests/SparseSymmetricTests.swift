import XCTest
@testable import Solve

/// The conjugate-gradient solve behind the diffusion preconditioner, against an exact answer.
final class SparseSymmetricTests: XCTestCase {
    /// −u'' = 1 on (0, 1), u(0) = u(1) = 0, by linear elements on n cells: the nodal values are exact,
    /// u(x) = x(1 − x)/2, whatever n.
    func testOneDimensionalPoissonIsNodallyExact() {
        let n = 64, h = 1.0 / Double(n)
        var b = SparseSymmetric.Builder(size: n - 1)
        for i in 0..<(n - 1) {
            b.add(i, i, 2 / h)
            if i > 0 { b.add(i, i - 1, -1 / h) }
            if i < n - 2 { b.add(i, i + 1, -1 / h) }
        }
        let m = b.build()
        let (u, iterations) = m.solve([Double](repeating: h, count: n - 1), tolerance: 1e-12, maxIterations: 1000)
        for i in 0..<(n - 1) {
            let x = Double(i + 1) * h
            XCTAssertEqual(u[i], x * (1 - x) / 2, accuracy: 1e-10)
        }
        XCTAssertLessThanOrEqual(iterations, n) // CG in exact arithmetic needs at most n − 1
        var y = [Double](repeating: 0, count: n - 1)
        m.multiply(u, into: &y)
        XCTAssertEqual(y.map { abs($0 - h) }.max()!, 0, accuracy: 1e-11)
    }
}
