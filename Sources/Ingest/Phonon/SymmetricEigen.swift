// LAPACK from the OpenBLAS that Model already links. Declared here because the COpenBLAS shim exposes only cblas,
// and Ingest does not depend on COpenBLAS in the main package. Trailing Ints are gfortran's hidden string lengths.
@_silgen_name("dsyevd_")
private func lapackDsyevd(
    _ jobz: UnsafePointer<CChar>, _ uplo: UnsafePointer<CChar>, _ n: UnsafePointer<Int32>,
    _ a: UnsafeMutablePointer<Double>, _ lda: UnsafePointer<Int32>, _ w: UnsafeMutablePointer<Double>,
    _ work: UnsafeMutablePointer<Double>, _ lwork: UnsafePointer<Int32>,
    _ iwork: UnsafeMutablePointer<Int32>, _ liwork: UnsafePointer<Int32>,
    _ info: UnsafeMutablePointer<Int32>, _ jobzLength: Int, _ uploLength: Int)

/// Eigenvalues (ascending) and, optionally, eigenvectors of a real symmetric matrix.
public struct SymmetricEigen: Sendable {
    public var values: [Double]
    /// Column-major: eigenvector k is `vectors[k*n ..< (k+1)*n]`. Empty when not requested.
    public var vectors: [Double]

    public init(symmetric matrix: [Double], size n: Int, vectors wantVectors: Bool) throws {
        precondition(matrix.count == n * n)
        if n == 0 { values = []; vectors = []; return }
        var a = matrix
        var w = [Double](repeating: 0, count: n)
        var info: Int32 = 0
        var nn = Int32(n), lda = Int32(n)
        var jobz: CChar = wantVectors ? 0x56 : 0x4E // "V" / "N"
        var uplo: CChar = 0x55 // "U"
        var lwork: Int32 = -1, liwork: Int32 = -1
        var wq = 0.0, iwq: Int32 = 0
        lapackDsyevd(&jobz, &uplo, &nn, &a, &lda, &w, &wq, &lwork, &iwq, &liwork, &info, 1, 1)
        lwork = Int32(wq.rounded(.up)); liwork = max(iwq, 1)
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        lapackDsyevd(&jobz, &uplo, &nn, &a, &lda, &w, &work, &lwork, &iwork, &liwork, &info, 1, 1)
        guard info == 0 else {
            throw PhononIngestError(.invalidValue, file: "(matrix)", "symmetric eigensolver (dsyevd) failed, info = \(info)")
        }
        values = w
        vectors = wantVectors ? a : []
    }
}
