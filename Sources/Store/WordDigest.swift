/// A 64-bit digest of an array's words, for data that only this program reads back (the resume checkpoint).
/// HDF5's Fletcher32 filter forces every chunk through a gather, filter and copy: on the checkpoint traces, the
/// largest array of an event, it cut the event write to a quarter of the unfiltered rate. This digest runs four
/// independent multiply–rotate lanes over 64-bit words (memory speed), and each step is a bijection of its lane's
/// state, so a change confined to one word — any number of flipped bits in it — always changes the digest.
public enum WordDigest {
    public static func of(_ values: UnsafeBufferPointer<Double>) -> Int64 {
        let p1: UInt64 = 0x9E37_79B1_85EB_CA87, p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        var a0 = p1, a1 = p2, a2 = p1 ^ p2, a3 = ~p1
        @inline(__always) func step(_ a: inout UInt64, _ w: UInt64) {
            a = (a ^ w) &* p1
            a = (a << 31) | (a >> 33)
        }
        let n = values.count
        values.withMemoryRebound(to: UInt64.self) { w in
            var i = 0
            while i + 4 <= n {
                step(&a0, w[i]); step(&a1, w[i + 1]); step(&a2, w[i + 2]); step(&a3, w[i + 3])
                i += 4
            }
            while i < n { step(&a0, w[i]); i += 1 }
        }
        // Mixing each lane bijectively before the sum keeps a one-lane difference a difference of the sum.
        @inline(__always) func mix(_ x: UInt64, _ k: UInt64) -> UInt64 {
            var z = (x ^ k) &* p2
            z ^= z >> 29
            return z &* p1
        }
        let h = mix(a0, 1) &+ mix(a1, 2) &+ mix(a2, 3) &+ mix(a3, 4) &+ UInt64(n)
        return Int64(bitPattern: h)
    }

    public static func of(_ values: [Double]) -> Int64 { values.withUnsafeBufferPointer { of($0) } }
}

/// Per-row digests of an event stack, kept beside it in `<stack>_digest` (one Int64 per first-dimension row).
enum RowDigest {
    static let suffix = "_digest"

    /// Throws, naming the dataset and the row, when a stored row no longer matches its digest; a file written
    /// without digests (older, or by the MPI build) is read unchecked.
    static func verify(_ file: HDF5File, _ path: String, row: Int, _ values: [Double]) throws {
        let p = path + suffix
        guard try file.exists(p) else { return }
        let ds = try file.openDataset(p)
        guard row < (try ds.shape().first ?? 0) else { return }
        let stored = try ds.read(as: Int64.self, offset: [row], count: [1])[0]
        if stored != WordDigest.of(values) {
            throw StoreError(
                .io, file: file.path, object: path, operation: "read",
                message: "row \(row) does not match its digest in \(p): the file changed after it was written (corrupted on disk, or edited)")
        }
    }
}
