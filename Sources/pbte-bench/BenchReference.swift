import Foundation
import COpenBLAS

/// Wall time of a repeated measurement: the best of the repeats, and their spread (max − min)/min, which is what
/// `--compare` takes as the figure's own noise.
struct Timing {
    var best: Double
    var spread: Double
}

enum Clock {
    /// Seconds of wall time of `body`, best of `repeats` (each at least once), with the spread of the repeats.
    static func time(repeats: Int = 1, _ body: () throws -> Void) rethrows -> Timing {
        var all: [Double] = []
        for _ in 0..<max(1, repeats) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try body()
            all.append(Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9)
        }
        let best = all.min()!
        return Timing(best: best, spread: best > 0 ? (all.max()! - best) / best : 0)
    }

    static var blasThreads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(newValue)) }
    }
}

/// What this machine does, now, on work that is not the solver's: one-thread dgemm, a memory-bandwidth loop and a
/// raw sequential write. Every timed figure is also reported relative to one of them, so a change of machine or of
/// load moves the reference with the figure, while a regression in the code moves the figure alone.
struct Reference: Codable {
    /// One-thread OpenBLAS dgemm, 512³, GFLOP/s.
    var dgemmGflops: Double
    /// One-thread triad a = b + s·c over 3 × 8 Mi doubles (far beyond cache), GB/s counting 24 bytes per element.
    var triadGBps: Double
    /// Sequential write of 256 MiB with fsync to the scratch directory, MB/s.
    var writeMBps: Double

    /// Seconds per triad element: the unit in which memory-bound figures are normalised.
    var triadElementSeconds: Double { 24 / (triadGBps * 1e9) }

    static func measure(dir: String, quick: Bool) throws -> Reference {
        let threads = Clock.blasThreads
        Clock.blasThreads = 1
        defer { Clock.blasThreads = threads }
        let n = 512
        let g = dgemmSeconds(m: n, n: n, k: n, repeats: quick ? 3 : 5).best
        let triad = triadSeconds(count: 8 << 20, repeats: quick ? 3 : 5)
        let write = try rawWriteSeconds(bytes: quick ? 64 << 20 : 256 << 20, path: dir + "/reference-write.bin")
        return Reference(
            dgemmGflops: 2 * pow(Double(n), 3) / g * 1e-9,
            triadGBps: 24 * Double(8 << 20) / triad * 1e-9,
            writeMBps: Double(quick ? 64 << 20 : 256 << 20) / write * 1e-6)
    }

    /// Seconds of one `C = A·B` with OpenBLAS dgemm, row-major A (m×k), B (k×n): also the reference for the
    /// collision product on its own shapes.
    static func dgemmSeconds(m: Int, n: Int, k: Int, repeats: Int) -> Timing {
        let a = (0..<(m * k)).map { Double(($0 * 7919) % 1013) * 1e-3 }
        let b = (0..<(k * n)).map { Double(($0 * 104_729) % 997) * 1e-3 }
        var c = [Double](repeating: 0, count: m * n)
        return Clock.time(repeats: repeats) {
            a.withUnsafeBufferPointer { aa in
                b.withUnsafeBufferPointer { bb in
                    c.withUnsafeMutableBufferPointer { cc in
                        cblas_dgemm(
                            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                            aa.baseAddress, Int32(k), bb.baseAddress, Int32(n), 0, cc.baseAddress, Int32(n))
                    }
                }
            }
        }
    }

    /// Best seconds of one triad pass over `count` elements on the calling thread.
    static func triadSeconds(count: Int, repeats: Int) -> Double {
        var a = [Double](repeating: 0, count: count)
        let b = [Double](repeating: 1, count: count), c = [Double](repeating: 2, count: count)
        var sink = 0.0
        let t = Clock.time(repeats: repeats) {
            a.withUnsafeMutableBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeBufferPointer { pc in
                        for i in 0..<count { pa[i] = pb[i] + 0.5 * pc[i] }
                    }
                }
            }
            sink += a[count / 2]
        }
        if sink.isNaN { print(sink) }
        return t.best
    }

    /// Seconds to write `bytes` sequentially and fsync them, best of two.
    static func rawWriteSeconds(bytes: Int, path: String, chunk: Int = 8 << 20) throws -> Double {
        let block = [UInt8](repeating: 0x5a, count: chunk)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try Clock.time(repeats: 2) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            guard let fh = FileHandle(forWritingAtPath: path) else { throw BenchError("cannot write \(path)") }
            var left = bytes
            while left > 0 {
                try block.withUnsafeBytes { try fh.write(contentsOf: UnsafeRawBufferPointer(rebasing: $0.prefix(min(chunk, left)))) }
                left -= chunk
            }
            try fh.synchronize()
            try fh.close()
        }.best
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
