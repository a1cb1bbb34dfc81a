import Foundation
import Store
import XCTest

/// A fresh directory per test, removed afterwards.
final class TemporaryDirectory: Sendable {
    let url: URL

    init(_ label: String = "store") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("pbte-\(label)-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Asserts that `body` throws a StoreError of `kind` and returns it for further checks.
@discardableResult
func assertStoreError<R>(
    _ kind: StoreError.Kind, file: StaticString = #filePath, line: UInt = #line,
    _ body: () throws -> R
) -> StoreError? {
    do {
        let value = try body()
        XCTFail("expected StoreError.\(kind), got value \(value)", file: file, line: line)
    } catch let error as StoreError {
        XCTAssertEqual(error.kind, kind, "unexpected error: \(error)", file: file, line: line)
        return error
    } catch {
        XCTFail("expected StoreError, got \(error)", file: file, line: line)
    }
    return nil
}

/// Deterministic test values, exactly representable in Float32 and mirrored in
/// tests/python/interop_check.py.
enum Pattern {
    static func float64(_ i: Int) -> Double { Double((i * 37) % 101) / 8.0 - 5.0 }
    static func float32(_ i: Int) -> Float { Float((i * 37) % 101) / 8.0 - 5.0 }
    static func int32(_ i: Int) -> Int32 { Int32(i * 1000 - 7) * (i % 2 == 0 ? 1 : -1) }
    static func int64(_ i: Int) -> Int64 { Int64(i) * 3_000_000_000 - 5 }
    static func uint8(_ i: Int) -> UInt8 { UInt8((i * 7) % 256) }

    static func values<T: HDF5Scalar>(_ type: T.Type, count: Int) -> [T] {
        (0..<count).map { i in
            switch T.storeKind {
            case .float64: float64(i) as! T
            case .float32: float32(i) as! T
            case .int32: int32(i) as! T
            case .int64: (T.self == Int.self ? Int(int64(i)) as! T : int64(i) as! T)
            case .uint8: uint8(i) as! T
            }
        }
    }
}

/// Row-major flat index of `index` in `shape`.
func flatIndex(_ index: [Int], _ shape: [Int]) -> Int {
    zip(index, shape).reduce(0) { $0 * $1.1 + $1.0 }
}
