import Foundation

/// libFuzzer's bytes read as a stream of decisions for the structure-aware targets: every read succeeds, giving 0
/// once the input is used up, so every input decodes to some structure and a short input to the plain baseline.
public struct FuzzByteStream {
    public let bytes: [UInt8]
    public private(set) var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var atEnd: Bool { position >= bytes.count }

    public mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    public mutating func u16() -> Int { Int(byte()) | Int(byte()) << 8 }

    public mutating func u64() -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(byte()) << (8 * UInt64(k)) }
        return v
    }

    /// A number for a float dataset or option: one of `specialDoubles` for most codes, 8 raw bytes (any bit pattern,
    /// NaN payloads and subnormals included) for the rest.
    public mutating func double() -> Double {
        let c = byte()
        return c < 224 ? specialDoubles[Int(c) % specialDoubles.count] : Double(bitPattern: u64())
    }

    /// A number for an integer dataset: one of `specialIntegers` or 8 raw bytes.
    public mutating func integer() -> Int64 {
        let c = byte()
        return c < 224 ? specialIntegers[Int(c) % specialIntegers.count] : Int64(bitPattern: u64())
    }
}

/// Values at the edges of what readers check: signed zeros, NaN, infinities, the extremes of the type, subnormals,
/// values whose products or sums overflow, and the magnitudes real phonon files hold.
public let specialDoubles: [Double] = [
    0, -0.0, 1, -1, 0.5, 2, 3, 4, 6, 8, 300, 400, 0.01, 1e-6, 1e-20, 1e-300, .leastNonzeroMagnitude, -1e-300,
    1e6, 1e15, 1e20, 1e160, 1e300, -1e300, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
    .nan, -.nan, .infinity, -.infinity, 9.223372036854775807e18, -9.3e18, 0.25, -0.5, 100, 12, 15.5, 1e-9
]

public let specialIntegers: [Int64] = [
    0, 1, -1, 2, 3, 4, 6, 8, 48, 64, 512, -2, .max, .min, .max / 2, 1 << 31, 1 << 32, 1 << 40, 1 << 62,
    3_037_000_500, 2_097_152, 2_097_153, Int64(Int32.max), 7, 100, 1000, 1_000_000, 20_001
]

/// A directory of this process in /dev/shm (RAM), made once: the structure-aware targets write their files there
/// so that a million executions do not touch a disk. Removed when the process exits (libFuzzer ends with exit(), so
/// through atexit); after a crash fuzz/run-fuzz.sh removes it.
public func fuzzWorkDirectory(_ target: String) -> String {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    let dir = "\(base)/pbte-\(target)-\(getpid())"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    workDirectoryToRemove = dir
    atexit { if let d = workDirectoryToRemove { try? FileManager.default.removeItem(atPath: d) } }
    return dir
}

nonisolated(unsafe) private var workDirectoryToRemove: String? = nil

/// The first `count` lines of the text (split at LF, a CR before it dropped); lines past the end are nil.
public func fuzzFields(_ bytes: [UInt8], count: Int) -> [String?] {
    let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).prefix(count).map { line in
        String(decoding: line.last == 0x0D ? line.dropLast() : line[...], as: UTF8.self)
    }
    return lines.map { Optional($0) } + [String?](repeating: nil, count: count - lines.count)
}
