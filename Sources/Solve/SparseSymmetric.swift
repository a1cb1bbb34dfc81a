import Foundation

/// A symmetric positive-definite sparse matrix (CSR, both triangles stored) and its Jacobi-preconditioned
/// conjugate-gradient solve: the diffusion problems of the preconditioner are small next to one sweep.
struct SparseSymmetric {
    let size: Int
    let rowStart: [Int]
    let column: [Int32]
    let value: [Double]

    struct Builder {
        let size: Int
        private var entries: [Int: Double] = [:]
        init(size: Int) { self.size = size }
        mutating func add(_ i: Int, _ j: Int, _ v: Double) { entries[i * size + j, default: 0] += v }

        func build() -> SparseSymmetric {
            let keys = entries.keys.sorted()
            var start = [Int](repeating: 0, count: size + 1)
            var col = [Int32](), val = [Double]()
            col.reserveCapacity(keys.count); val.reserveCapacity(keys.count)
            for key in keys {
                start[key / size + 1] += 1
                col.append(Int32(key % size)); val.append(entries[key]!)
            }
            for i in 0..<size { start[i + 1] += start[i] }
            return SparseSymmetric(size: size, rowStart: start, column: col, value: val)
        }
    }

    func multiply(_ x: [Double], into y: inout [Double]) {
        for i in 0..<size {
            var s = 0.0
            for k in rowStart[i]..<rowStart[i + 1] { s += value[k] * x[Int(column[k])] }
            y[i] = s
        }
    }

    var diagonal: [Double] {
        (0..<size).map { i in
            var d = 0.0
            for k in rowStart[i]..<rowStart[i + 1] where Int(column[k]) == i { d += value[k] }
            return d
        }
    }

    /// Returns x and the number of iterations; stops at ‖r‖ ≤ tolerance·‖b‖.
    func solve(_ b: [Double], tolerance: Double, maxIterations: Int) -> (x: [Double], iterations: Int) {
        let n = size
        var x = [Double](repeating: 0, count: n)
        let bnorm = norm2(b)
        if bnorm == 0 { return (x, 0) }
        let inv = diagonal.map { $0 > 0 ? 1 / $0 : 1 }
        var r = b
        var z = (0..<n).map { inv[$0] * r[$0] }
        var p = z
        var rz = dot(r, z)
        var ap = [Double](repeating: 0, count: n)
        var it = 0
        while it < maxIterations {
            multiply(p, into: &ap)
            let pap = dot(p, ap)
            guard pap > 0 else { break }
            let alpha = rz / pap
            for i in 0..<n { x[i] += alpha * p[i]; r[i] -= alpha * ap[i] }
            it += 1
            if norm2(r) <= tolerance * bnorm { break }
            for i in 0..<n { z[i] = inv[i] * r[i] }
            let rz2 = dot(r, z)
            let beta = rz2 / rz
            rz = rz2
            for i in 0..<n { p[i] = z[i] + beta * p[i] }
        }
        return (x, it)
    }
}
