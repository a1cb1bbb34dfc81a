import Foundation
import COpenBLAS

/// Restarted GMRES (modified Gram–Schmidt, Givens rotations) for `A x = b` with A applied matrix-free.
/// Returns x and the relative residual after every iteration (the history goes into the run file).
/// `dot` is the inner product; an MPI solve passes one over distributed vectors (TransportSystem.dot).
public func gmres(
    rhs b: [Double], restart: Int = 30, tolerance: Double, maxIterations: Int,
    dot inner: (([Double], [Double]) -> Double)? = nil,
    apply: ([Double]) -> [Double]
) -> (x: [Double], residuals: [Double]) {
    let dot = inner ?? { Solve.dot($0, $1) }
    func norm2(_ a: [Double]) -> Double { dot(a, a).squareRoot() }
    let n = b.count
    var x = [Double](repeating: 0, count: n)
    let bnorm = norm2(b)
    var history: [Double] = []
    if bnorm == 0 { return (x, [0]) }
    var iterations = 0
    outer: while iterations < maxIterations {
        let ax = apply(x)
        var r = (0..<n).map { b[$0] - ax[$0] }
        var beta = norm2(r)
        if history.isEmpty { history.append(beta / bnorm) }
        if beta / bnorm <= tolerance { break }
        var v: [[Double]] = [r.map { $0 / beta }]
        var h = [[Double]](repeating: [Double](repeating: 0, count: restart), count: restart + 1)
        var cs = [Double](repeating: 0, count: restart), sn = cs
        var g = [Double](repeating: 0, count: restart + 1)
        g[0] = beta
        var k = 0
        while k < restart && iterations < maxIterations {
            var w = apply(v[k])
            for j in 0...k {
                let hjk = dot(w, v[j])
                h[j][k] = hjk
                axpy(-hjk, v[j], &w)
            }
            h[k + 1][k] = norm2(w)
            for j in 0..<k {
                let t = cs[j] * h[j][k] + sn[j] * h[j + 1][k]
                h[j + 1][k] = -sn[j] * h[j][k] + cs[j] * h[j + 1][k]
                h[j][k] = t
            }
            let d = (h[k][k] * h[k][k] + h[k + 1][k] * h[k + 1][k]).squareRoot()
            cs[k] = d == 0 ? 1 : h[k][k] / d
            sn[k] = d == 0 ? 0 : h[k + 1][k] / d
            h[k][k] = d; let hk1 = h[k + 1][k]; h[k + 1][k] = 0
            g[k + 1] = -sn[k] * g[k]; g[k] = cs[k] * g[k]
            iterations += 1
            history.append(abs(g[k + 1]) / bnorm)
            let converged = abs(g[k + 1]) / bnorm <= tolerance
            if hk1 != 0 && !converged { divide(&w, by: hk1); v.append(w) }
            k += 1
            if converged || hk1 == 0 { break }
        }
        // Back substitution and update.
        var y = [Double](repeating: 0, count: k)
        for i in stride(from: k - 1, through: 0, by: -1) {
            var s = g[i]
            for j in (i + 1)..<k { s -= h[i][j] * y[j] }
            y[i] = s / h[i][i]
        }
        for j in 0..<k { axpy(y[j], v[j], &x) }
        beta = abs(g[k])
        if history.last! <= tolerance { break outer }
        r = []
    }
    return (x, history)
}

/// Krylov vectors run to millions of entries (modes × boundary corners): the level-1 work goes through BLAS.
@inline(__always) func dot(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    return a.withUnsafeBufferPointer { p in
        b.withUnsafeBufferPointer { q in
            cblas_ddot(Int32(a.count), p.baseAddress, 1, q.baseAddress, 1)
        }
    }
}

/// y += a·x, in blocks on all cores (each entry on its own, so the result does not depend on the threads).
func axpy(_ a: Double, _ x: [Double], _ y: inout [Double]) {
    precondition(x.count == y.count)
    x.withUnsafeBufferPointer { p in
        y.withUnsafeMutableBufferPointer { q in
            let src = SharedPointer(base: UnsafeMutablePointer(mutating: p.baseAddress!)), dst = SharedPointer(base: q.baseAddress!)
            parallelChunks(x.count, chunk: 1 << 16) { r in for i in r { dst.base[i] += a * src.base[i] } }
        }
    }
}

/// x /= a in place, in blocks on all cores.
func divide(_ x: inout [Double], by a: Double) {
    x.withUnsafeMutableBufferPointer { q in
        let dst = SharedPointer(base: q.baseAddress!)
        parallelChunks(q.count, chunk: 1 << 16) { r in for i in r { dst.base[i] /= a } }
    }
}

@inline(__always) func norm2(_ a: [Double]) -> Double { dot(a, a).squareRoot() }
