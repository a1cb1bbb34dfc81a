import CNetCDF

/// A variable of an open netCDF file. Buffers are row-major; element types convert only
/// when lossless, like the HDF5 layer.
public struct NetCDFVariable: NetCDFAttributeHolder, Sendable {
    public let file: NetCDFFile
    public let varid: Int32
    public let name: String

    public var attributeTarget: NetCDFAttributeTarget {
        NetCDFAttributeTarget(file: file, varid: varid, objectName: "var:\(name)")
    }

    private var object: String { "var:\(name)" }

    // MARK: Inquiry

    public func dimensions() throws -> [NetCDFDimension] {
        try file.locked { ncid in try dimensionIDs(ncid).map { try file.dimensionInfo(ncid, $0) } }
    }

    public func dimensionNames() throws -> [String] { try dimensions().map(\.name) }

    /// Current shape; `[]` for a scalar variable.
    public func shape() throws -> [Int] { try dimensions().map(\.length) }

    public func elementType() throws -> StoreTypeInfo {
        try file.locked { ncid in StoreTypeInfo(ncType: try ncType(ncid)) }
    }

    /// Chunk shape, deflate level and shuffle as stored in the file.
    public func storageOptions() throws -> NetCDFVariableOptions {
        try file.locked { ncid in
            let rank = try dimensionIDs(ncid).count
            var storage: Int32 = 0
            var chunk = [Int](repeating: 0, count: max(rank, 1))
            try ncCheck(nc_inq_var_chunking(ncid, varid, &storage, &chunk), file: file.path, object: object, "query chunking")
            var shuffle: Int32 = 0, deflate: Int32 = 0, level: Int32 = 0
            try ncCheck(nc_inq_var_deflate(ncid, varid, &shuffle, &deflate, &level), file: file.path, object: object, "query deflate")
            return NetCDFVariableOptions(
                chunk: storage == pbte_nc_chunked() && rank > 0 ? Array(chunk.prefix(rank)) : nil,
                deflateLevel: deflate != 0 ? Int(level) : nil, shuffle: shuffle != 0)
        }
    }

    /// The variable's fill value if one was set explicitly (`_FillValue`), else nil.
    public func fillValue<T: NetCDFScalar>(as type: T.Type = T.self) throws -> T? {
        try hasAttribute("_FillValue") ? attribute("_FillValue", as: T.self) : nil
    }

    // MARK: Whole-variable I/O

    public func read<T: NetCDFScalar>(as type: T.Type = T.self) throws -> [T] {
        let shape = try shape()
        return try read(as: T.self, start: shape.map { _ in 0 }, count: shape)
    }

    public func write<T: NetCDFScalar>(_ values: [T]) throws {
        let shape = try shape()
        try write(values, start: shape.map { _ in 0 }, count: shape)
    }

    // MARK: Hyperslab I/O (start + count per dimension)

    public func read<T: NetCDFScalar>(as type: T.Type = T.self, start: [Int], count: [Int]) throws -> [T] {
        let n = count.reduce(1, *)
        return try [T](unsafeUninitializedCapacity: max(n, 0)) { buffer, initialized in
            try read(into: buffer, start: start, count: count)
            initialized = n
        }
    }

    /// Reads into caller-owned memory of exactly `count.product` elements.
    public func read<T: NetCDFScalar>(into buffer: UnsafeMutableBufferPointer<T>, start: [Int], count: [Int]) throws {
        try file.locked { ncid in
            try checkSelection(ncid, start: start, count: count, elements: buffer.count, "read variable")
            let stored = StoreTypeInfo(ncType: try ncType(ncid))
            try requireConversion(stored, StoreTypeInfo(T.storeKind), "read variable")
            guard buffer.count > 0, let base = UnsafeMutableRawPointer(buffer.baseAddress) else { return }
            let status: Int32 =
                switch T.storeKind {
                case .float64: nc_get_vara_double(ncid, varid, start, count, base.assumingMemoryBound(to: Double.self))
                case .float32: nc_get_vara_float(ncid, varid, start, count, base.assumingMemoryBound(to: Float.self))
                case .int64: nc_get_vara_longlong(ncid, varid, start, count, base.assumingMemoryBound(to: Int64.self))
                case .int32: nc_get_vara_int(ncid, varid, start, count, base.assumingMemoryBound(to: Int32.self))
                case .uint8: nc_get_vara_uchar(ncid, varid, start, count, base.assumingMemoryBound(to: UInt8.self))
                }
            try ncCheck(status, file: file.path, object: object, "read variable")
        }
    }

    public func write<T: NetCDFScalar>(_ values: [T], start: [Int], count: [Int]) throws {
        try values.withUnsafeBufferPointer { try write($0, start: start, count: count) }
    }

    /// Writes straight from `buffer` (no copy). Writing past an unlimited dimension grows it.
    public func write<T: NetCDFScalar>(_ buffer: UnsafeBufferPointer<T>, start: [Int], count: [Int]) throws {
        try file.locked { ncid in
            try checkSelection(ncid, start: start, count: count, elements: buffer.count, "write variable")
            let stored = StoreTypeInfo(ncType: try ncType(ncid))
            try requireConversion(StoreTypeInfo(T.storeKind), stored, "write variable")
            guard buffer.count > 0, let base = UnsafeRawPointer(buffer.baseAddress) else { return }
            let status: Int32 =
                switch T.storeKind {
                case .float64: nc_put_vara_double(ncid, varid, start, count, base.assumingMemoryBound(to: Double.self))
                case .float32: nc_put_vara_float(ncid, varid, start, count, base.assumingMemoryBound(to: Float.self))
                case .int64: nc_put_vara_longlong(ncid, varid, start, count, base.assumingMemoryBound(to: Int64.self))
                case .int32: nc_put_vara_int(ncid, varid, start, count, base.assumingMemoryBound(to: Int32.self))
                case .uint8: nc_put_vara_uchar(ncid, varid, start, count, base.assumingMemoryBound(to: UInt8.self))
                }
            try ncCheck(status, file: file.path, object: object, "write variable")
        }
    }

    // MARK: Internals (caller holds the store lock)

    private func dimensionIDs(_ ncid: Int32) throws -> [Int32] {
        var rank: Int32 = 0
        try ncCheck(nc_inq_varndims(ncid, varid, &rank), file: file.path, object: object, "query dimensions")
        var ids = [Int32](repeating: 0, count: Int(rank))
        if rank > 0 {
            try ncCheck(nc_inq_vardimid(ncid, varid, &ids), file: file.path, object: object, "query dimensions")
        }
        return ids
    }

    private func ncType(_ ncid: Int32) throws -> nc_type {
        var type: nc_type = 0
        try ncCheck(nc_inq_vartype(ncid, varid, &type), file: file.path, object: object, "query type")
        return type
    }

    private func checkSelection(_ ncid: Int32, start: [Int], count: [Int], elements: Int, _ operation: String) throws {
        let rank = try dimensionIDs(ncid).count
        guard start.count == rank, count.count == rank else {
            throw StoreError(
                .shapeMismatch, file: file.path, object: object, operation: operation,
                message: "start/count rank \(start.count)/\(count.count) does not match variable rank \(rank)")
        }
        let n = count.reduce(1, *)
        guard elements == n, start.allSatisfy({ $0 >= 0 }), count.allSatisfy({ $0 >= 0 }) else {
            throw StoreError(
                .shapeMismatch, file: file.path, object: object, operation: operation,
                message: "buffer has \(elements) elements, selection start \(start) count \(count) has \(n)")
        }
    }

    private func requireConversion(_ from: StoreTypeInfo, _ to: StoreTypeInfo, _ operation: String) throws {
        guard from.convertsLosslessly(to: to) else {
            throw StoreError(
                .typeMismatch, file: file.path, object: object, operation: operation,
                message: "cannot convert \(from) to \(to) without loss")
        }
    }
}
