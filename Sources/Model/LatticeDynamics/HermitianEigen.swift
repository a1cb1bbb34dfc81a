/// Eigenvalues (ascending) and orthonormal eigenvectors of a small complex Hermitian matrix, by cyclic Jacobi
/// rotations. Dynamical matrices are 3·(atoms per cell) wide, so an exact, dependency-free method is enough and its
/// result does not depend on a LAPACK build; sweeps stop when the off-diagonal norm is below 1e-15 of the matrix's.
public struct HermitianEigen: Sendable {
    public let size: Int
    public var values: [Double]
    /// Column k is eigenvector k: component i at `re[i * size + k]`, `im[i * size + k]`.
    public var re: [Double]
    public var im: [Double]

    /// `re`/`im` row-major n×n; only the Hermitian part is used.
    public init(re aRe: [Double], im aIm: [Double], size n: Int) {
        precondition(aRe.count == n * n && aIm.count == n * n)
        size = n
        var ar = aRe, ai = aIm
        for i in 0..<n {
            ai[i * n + i] = 0
            for j in (i + 1)..<max(i + 1, n) {
                let r = 0.5 * (ar[i * n + j] + ar[j * n + i]), m = 0.5 * (ai[i * n + j] - ai[j * n + i])
                ar[i * n + j] = r; ar[j * n + i] = r; ai[i * n + j] = m; ai[j * n + i] = -m
            }
        }
        var vr = [Double](repeating: 0, count: n * n), vi = vr
        for i in 0..<n { vr[i * n + i] = 1 }
        let scale = max(ar.reduce(0) { $0 + $1 * $1 } + ai.reduce(0) { $0 + $1 * $1 }, .leastNormalMagnitude).squareRoot()
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<n { for j in 0..<n where j != i { off += ar[i * n + j] * ar[i * n + j] + ai[i * n + j] * ai[i * n + j] } }
            if off.squareRoot() <= 1e-15 * scale { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) {
                    let br = ar[p * n + q], bi = ai[p * n + q]
                    let b = (br * br + bi * bi).squareRoot()
                    if b <= 1e-300 { continue }
                    // U = diag(1, e^{-iφ})·R(θ) turns the 2×2 block real, then zeroes it (b = |b| e^{iφ}).
                    let cph = br / b, sph = bi / b
                    let tau = (ar[q * n + q] - ar[p * n + p]) / (2 * b)
                    let t = (tau >= 0 ? 1.0 : -1.0) / (abs(tau) + (1 + tau * tau).squareRoot())
                    let c = 1 / (1 + t * t).squareRoot(), s = t * c
                    // Columns: A ← A·U, V ← V·U with U_pp = c, U_pq = s, U_qp = −s e^{−iφ}, U_qq = c e^{−iφ}.
                    for k in 0..<n {
                        let xpr = ar[k * n + p], xpi = ai[k * n + p], xqr = ar[k * n + q], xqi = ai[k * n + q]
                        // x_q · e^{−iφ}
                        let yr = xqr * cph + xqi * sph, yi = xqi * cph - xqr * sph
                        ar[k * n + p] = c * xpr - s * yr; ai[k * n + p] = c * xpi - s * yi
                        ar[k * n + q] = s * xpr + c * yr; ai[k * n + q] = s * xpi + c * yi
                        let wpr = vr[k * n + p], wpi = vi[k * n + p], wqr = vr[k * n + q], wqi = vi[k * n + q]
                        let zr = wqr * cph + wqi * sph, zi = wqi * cph - wqr * sph
                        vr[k * n + p] = c * wpr - s * zr; vi[k * n + p] = c * wpi - s * zi
                        vr[k * n + q] = s * wpr + c * zr; vi[k * n + q] = s * wpi + c * zi
                    }
                    // Rows: A ← U†·A, rows p, q: U†_pp = c, U†_pq = −s e^{iφ}, U†_qp = s, U†_qq = c e^{iφ}.
                    for k in 0..<n {
                        let xpr = ar[p * n + k], xpi = ai[p * n + k], xqr = ar[q * n + k], xqi = ai[q * n + k]
                        let yr = xqr * cph - xqi * sph, yi = xqi * cph + xqr * sph // x_q · e^{iφ}
                        ar[p * n + k] = c * xpr - s * yr; ai[p * n + k] = c * xpi - s * yi
                        ar[q * n + k] = s * xpr + c * yr; ai[q * n + k] = s * xpi + c * yi
                    }
                    ar[p * n + q] = 0; ai[p * n + q] = 0; ar[q * n + p] = 0; ai[q * n + p] = 0
                    ai[p * n + p] = 0; ai[q * n + q] = 0
                }
            }
        }
        let order = (0..<n).sorted { ar[$0 * n + $0] < ar[$1 * n + $1] }
        values = order.map { ar[$0 * n + $0] }
        re = [Double](repeating: 0, count: n * n); im = re
        for (k, col) in order.enumerated() {
            for i in 0..<n { re[i * n + k] = vr[i * n + col]; im[i * n + k] = vi[i * n + col] }
        }
    }

    /// ⟨v_a| H |v_b⟩ for eigenvector columns a, b and a Hermitian (or any) matrix H given row-major.
    public func element(_ hr: [Double], _ hi: [Double], _ a: Int, _ b: Int) -> (re: Double, im: Double) {
        let n = size
        var sr = 0.0, si = 0.0
        for i in 0..<n {
            // (H v_b)_i
            var tr = 0.0, ti = 0.0
            for j in 0..<n {
                let h1 = hr[i * n + j], h2 = hi[i * n + j], v1 = re[j * n + b], v2 = im[j * n + b]
                tr += h1 * v1 - h2 * v2; ti += h1 * v2 + h2 * v1
            }
            let ur = re[i * n + a], ui = -im[i * n + a]
            sr += ur * tr - ui * ti; si += ur * ti + ui * tr
        }
        return (sr, si)
    }
}
