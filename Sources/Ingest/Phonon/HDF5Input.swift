import Store

/// A read-only HDF5 input whose failures become `PhononIngestError`s naming the file and dataset.
final class HDF5Input {
    let path: String
    let file: HDF5File

    init(_ path: String) throws {
        self.path = path
        do { file = try HDF5File.open(path) } catch {
            throw PhononIngestError(.io, file: path, "cannot open as HDF5: \(error)")
        }
    }

    deinit { try? file.close() }

    func exists(_ name: String) -> Bool { (try? file.exists(name)) ?? false }

    func shape(_ name: String) throws -> [Int] {
        guard exists(name) else { throw PhononIngestError(.missingData, file: path, dataset: name, "dataset is missing") }
        do {
            let d = try file.openDataset(name)
            defer { d.close() }
            return try d.shape()
        } catch { throw PhononIngestError(.io, file: path, dataset: name, "cannot read the shape: \(error)") }
    }

    /// The number of elements a dataset declares (Int.max when the product overflows), to bound a read before it.
    func count(_ name: String) throws -> Int {
        var n = 1
        for d in try shape(name) {
            let (p, o) = n.multipliedReportingOverflow(by: d)
            if o { return Int.max }
            n = p
        }
        return n
    }

    /// Reads a float dataset after checking its shape (nil entries match any extent), so nothing is allocated for
    /// a dataset of the wrong size; NaN and ±∞ are errors.
    func doubles(_ name: String, shape expected: [Int?]) throws -> ([Double], [Int]) {
        let s = try shape(name)
        try check(name, s, expected)
        let v: [Double]
        do { v = try file.readDataset(name, as: Double.self) } catch {
            throw PhononIngestError(.io, file: path, dataset: name, "cannot read as float64: \(error)")
        }
        if let i = v.firstIndex(where: { !$0.isFinite }) {
            throw PhononIngestError(
                .nonFinite, file: path, dataset: name,
                "element \(index(i, s)) is \(v[i]); expected a finite number")
        }
        return (v, s)
    }

    func ints(_ name: String, shape expected: [Int?]) throws -> ([Int], [Int]) {
        let s = try shape(name)
        try check(name, s, expected)
        do { return (try file.readDataset(name, as: Int64.self).map { Int($0) }, s) } catch {
            throw PhononIngestError(.io, file: path, dataset: name, "cannot read as integers: \(error)")
        }
    }

    func stringAttribute(_ object: String, _ name: String) -> String? {
        if object == "/" { return try? file.stringAttribute(name) }
        guard let d = try? file.openDataset(object) else { return nil }
        defer { d.close() }
        return try? d.stringAttribute(name)
    }

    private func check(_ name: String, _ s: [Int], _ expected: [Int?]) throws {
        let ok = s.count == expected.count && zip(s, expected).allSatisfy { $1 == nil || $0 == $1! }
        guard ok else {
            let want = expected.map { $0.map(String.init) ?? "any" }.joined(separator: " × ")
            throw PhononIngestError(
                .countMismatch, file: path, dataset: name,
                "shape is \(s.map(String.init).joined(separator: " × ")), expected \(want)")
        }
    }

    private func index(_ flat: Int, _ shape: [Int]) -> String {
        var r = flat, idx = [Int](repeating: 0, count: shape.count)
        for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 { idx[d] = r % shape[d]; r /= shape[d] }
        return "[" + idx.map(String.init).joined(separator: ", ") + "]"
    }
}
