import Foundation

/// One problem found in a file, naming the object.
public struct ValidationIssue: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var object: String
    public var message: String
    public var description: String { "\(file): \(object): \(message)" }
    public init(file: String, object: String, message: String) { self.file = file; self.object = object; self.message = message }
}

/// Checks an HDF5 file against its `FileSchema`: file type, schema version, every required object, element
/// types, shapes (with symbolic dimensions bound consistently), `units`, and NaN/Inf in every float dataset.
public enum SchemaValidator {
    public static func validate(path: String) -> (schema: FileSchema?, issues: [ValidationIssue]) {
        var issues: [ValidationIssue] = []
        func fail(_ object: String, _ message: String) { issues.append(.init(file: path, object: object, message: message)) }
        let file: HDF5File
        do { file = try HDF5File.open(path) } catch {
            fail("/", "cannot be opened as HDF5: \(error)")
            return (nil, issues)
        }
        defer { try? file.close() }
        guard let filetype = try? file.stringAttribute("filetype") else {
            fail("/@filetype", "missing: not a pbte-pipeline file (expected one of \(Schema.all.map(\.filetype).joined(separator: ", ")))")
            return (nil, issues)
        }
        guard let schema = Schema.all.first(where: { $0.filetype == filetype }) else {
            fail("/@filetype", "unknown file type '\(filetype)'")
            return (nil, issues)
        }
        guard let version = try? file.attribute("schema_version", as: Int64.self) else {
            fail("/@schema_version", "missing or not an integer")
            return (schema, issues)
        }
        if version > Int64(schema.version) {
            fail("/@schema_version", "file has schema version \(version), newer than this program reads (\(schema.version)); upgrade pbte-pipeline")
            return (schema, issues)
        }
        if version < 1 { fail("/@schema_version", "invalid version \(version)") }
        var dims: [String: (Int, String)] = [:]
        // Fields under /regions/* repeat in every region group, with dimensions bound per region.
        let regionNames = (try? file.openGroup("/regions").memberNames()) ?? []
        if schema.fields.contains(where: { $0.path.hasPrefix("/regions/*") }) && regionNames.isEmpty {
            fail("/regions", "missing: a run file has one group per material region")
        }
        for field in schema.fields {
            if field.path.hasPrefix("/regions/*") {
                for r in regionNames {
                    var f = field
                    f.path = field.path.replacingOccurrences(of: "/regions/*", with: "/regions/\(r)")
                    var scoped = dims.filter { !["modes", "nodes", "faces", "corners"].contains($0.key) }
                    for (k, v) in dims where k.hasPrefix("\(r):") { scoped[String(k.dropFirst(r.count + 1))] = v }
                    checkDataset(f, file: file, dims: &scoped, fail: fail)
                    for (k, v) in scoped where ["modes", "nodes", "faces", "corners"].contains(k) { dims["\(r):\(k)"] = v }
                    for (k, v) in scoped where !["modes", "nodes", "faces", "corners"].contains(k) { dims[k] = v }
                }
                continue
            }
            switch field.kind {
            case .attribute: checkAttribute(field, file: file, fail: fail)
            case .dataset: checkDataset(field, file: file, dims: &dims, fail: fail)
            }
        }
        return (schema, issues)
    }

    static func checkAttribute(_ field: SchemaField, file: HDF5File, fail: (String, String) -> Void) {
        let parts = field.path.split(separator: "@", maxSplits: 1).map(String.init)
        let objPath = parts[0].isEmpty ? "/" : parts[0], name = parts[1]
        do {
            let holder: any HDF5Object
            if objPath == "/" {
                holder = file
            } else {
                guard try file.exists(objPath) else {
                    if field.required { fail(field.path, "missing (its object \(objPath) does not exist)") }
                    return
                }
                holder = try file.openGroup(objPath)
            }
            guard try holder.hasAttribute(name) else {
                if field.required { fail(field.path, "missing attribute (\(field.description))") }
                return
            }
            switch field.type {
            case "string": _ = try holder.stringAttribute(name)
            case "string-array": _ = try holder.stringArrayAttribute(name)
            case "int64": _ = try holder.attribute(name, as: Int64.self)
            default: _ = try holder.attribute(name, as: Double.self)
            }
        } catch {
            fail(field.path, "unreadable as \(field.type): \(error)")
        }
    }

    static func acceptsFloat32(_ field: SchemaField) -> Bool {
        field.path.hasSuffix("psi") || field.path.hasSuffix("boundary_trace") || field.path.hasSuffix("boundary_flux")
    }

    static func checkDataset(
        _ field: SchemaField, file: HDF5File, dims: inout [String: (Int, String)],
        fail: (String, String) -> Void
    ) {
        do {
            guard try file.exists(field.path) else {
                if field.required { fail(field.path, "missing dataset (\(field.description))") }
                return
            }
            let ds = try file.openDataset(field.path)
            let type = try ds.elementType()
            let kind = type.scalarKind
            let typeOK: Bool
            switch field.type {
            case "float64": typeOK = kind == .float64 || (kind == .float32 && acceptsFloat32(field))
            case "int32": typeOK = kind == .int32
            case "int64": typeOK = kind == .int64
            default: typeOK = true
            }
            if !typeOK { fail(field.path, "expected element type \(field.type), found \(type)"); return }
            let shape = try ds.shape()
            if shape.count != field.shape.count {
                fail(field.path, "expected rank \(field.shape.count) \(field.shape), found shape \(shape)"); return
            }
            for (i, sym) in field.shape.enumerated() {
                if let fixed = Int(sym) {
                    if shape[i] != fixed { fail(field.path, "dimension \(i) should be \(fixed), found \(shape[i]) (shape \(shape))"); return }
                    continue
                }
                var name = sym, offset = 0
                if sym.hasSuffix("+1") { name = String(sym.dropLast(2)); offset = 1 }
                if let (bound, from) = dims[name] {
                    if shape[i] != bound + offset {
                        fail(field.path, "dimension \(i) (\(sym)) should be \(bound + offset) as in \(from), found \(shape[i])"); return
                    }
                } else {
                    dims[name] = (shape[i] - offset, field.path)
                }
            }
            if let units = field.units {
                if !(try ds.hasAttribute("units")) {
                    fail(field.path, "missing 'units' attribute (expected '\(units)')")
                } else {
                    let u = try ds.stringAttribute("units")
                    if u != units { fail(field.path, "expected units '\(units)', found '\(u)'") }
                }
            }
            if kind == .float64 || kind == .float32 { try checkValues(ds, field: field, shape: shape, file: file, fail: fail) }
        } catch {
            fail(field.path, "unreadable: \(error)")
        }
    }

    /// Reads along the first dimension in slabs of at most ~4M values, so event stacks of any length fit.
    /// Rows with a stored digest (the event stacks) are checked against it as they are read.
    static func checkValues(
        _ ds: HDF5Dataset, field: SchemaField, shape: [Int], file: HDF5File,
        fail: (String, String) -> Void
    ) throws {
        let total = shape.reduce(1, *)
        if total == 0 { return }
        let digestPath = field.path + RowDigest.suffix
        let hasDigests = try !shape.isEmpty && file.exists(digestPath)
        let digests: [Int64]? = hasDigests ? try file.readDataset(digestPath, as: Int64.self) : nil
        let rows = shape.first ?? 1
        let perRow = shape.isEmpty ? 1 : total / max(rows, 1)
        let step = max(1, 4_000_000 / max(perRow, 1))
        var start = 0
        repeat {
            let values: [Double]
            if shape.isEmpty {
                values = try ds.read(as: Double.self)
            } else {
                let n = min(step, rows - start)
                values = try ds.read(as: Double.self, offset: [start] + shape.dropFirst().map { _ in 0 }, count: [n] + shape.dropFirst())
            }
            if let i = values.firstIndex(where: { $0.isNaN || (field.finite && $0.isInfinite) }) {
                let flat = start * perRow + i
                var index: [Int] = [], rem = flat
                for d in shape.reversed() { index.insert(rem % d, at: 0); rem /= d }
                fail(field.path, "\(values[i].isNaN ? "NaN" : "infinite value") at index \(index)")
                return
            }
            if let digests {
                let n = values.count / max(perRow, 1)
                for j in 0..<n where start + j < digests.count {
                    let d = values.withUnsafeBufferPointer { WordDigest.of(UnsafeBufferPointer(rebasing: $0[(j * perRow)..<((j + 1) * perRow)])) }
                    if d != digests[start + j] {
                        fail(
                            field.path,
                            "row \(start + j) does not match its digest in \(digestPath): the file changed after it was written (corrupted on disk, or edited)")
                        return
                    }
                }
            }
            start += step
        } while start < rows && !shape.isEmpty
    }
}
