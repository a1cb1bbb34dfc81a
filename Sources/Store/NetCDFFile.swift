import CNetCDF
import Foundation

/// Element types usable in netCDF variables and attributes (same mapping as HDF5).
public typealias NetCDFScalar = HDF5Scalar

/// A netCDF dimension.
public struct NetCDFDimension: Sendable, Equatable {
    public var name: String
    /// Current length (for an unlimited dimension, the records written so far).
    public var length: Int
    public var isUnlimited: Bool

    public init(name: String, length: Int, isUnlimited: Bool) {
        self.name = name
        self.length = length
        self.isUnlimited = isUnlimited
    }
}

/// An open netCDF-4 file (root group only).
///
/// @unchecked Sendable: mutable state (`isOpen`, `atomic`) and every nc_* call are guarded
/// by `StoreLock`.
public final class NetCDFFile: NetCDFAttributeHolder, @unchecked Sendable {
    /// The path the caller named (the final name for atomic outputs).
    public let path: String
    /// Where the bytes are being written right now.
    public let diskPath: String
    let ncid: Int32
    private var isOpen = true
    private var atomic: AtomicOutput?

    public var attributeTarget: NetCDFAttributeTarget {
        NetCDFAttributeTarget(file: self, varid: pbte_nc_global(), objectName: "global")
    }

    private init(path: String, diskPath: String, ncid: Int32, atomic: AtomicOutput?) {
        self.path = path
        self.diskPath = diskPath
        self.ncid = ncid
        self.atomic = atomic
    }

    /// Creates a netCDF-4 (HDF5-based) file, replacing an existing one unless `overwrite` is false.
    public static func create(_ path: String, overwrite: Bool = true) throws -> NetCDFFile {
        let ncid = try createRaw(diskPath: path, reportedPath: path, overwrite: overwrite)
        return NetCDFFile(path: path, diskPath: path, ncid: ncid, atomic: nil)
    }

    /// Opens an existing file (netCDF-4 or classic) read-only, or read-write.
    public static func open(_ path: String, writable: Bool = false) throws -> NetCDFFile {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.notFound, file: path, operation: "open file", message: "no such file")
        }
        let ncid: Int32 = try netCDFLocked {
            var ncid: Int32 = -1
            try ncCheck(
                nc_open(path, writable ? pbte_nc_write() : pbte_nc_nowrite(), &ncid),
                file: path, object: nil, "open file")
            return ncid
        }
        return NetCDFFile(path: path, diskPath: path, ncid: ncid, atomic: nil)
    }

    /// Creates the file under a temporary `.partial` name; it appears at `path` only after `commit()`.
    public static func createAtomically(_ path: String) throws -> NetCDFFile {
        let atomic = try AtomicOutput(finalPath: path)
        let ncid = try createRaw(diskPath: atomic.temporaryPath, reportedPath: path, overwrite: false)
        return NetCDFFile(path: path, diskPath: atomic.temporaryPath, ncid: ncid, atomic: atomic)
    }

    /// Runs `body` on an atomically created file; commits on normal return, removes on throw.
    public static func writeAtomically<R>(
        _ path: String, durable: Bool = true,
        _ body: (NetCDFFile) throws -> R
    ) throws -> R {
        let file = try createAtomically(path)
        do {
            let result = try body(file)
            try file.commit(durable: durable)
            return result
        } catch {
            file.abandon()
            throw error
        }
    }

    private static func createRaw(diskPath: String, reportedPath: String, overwrite: Bool) throws -> Int32 {
        try netCDFLocked {
            var ncid: Int32 = -1
            let mode = pbte_nc_netcdf4() | (overwrite ? pbte_nc_clobber() : pbte_nc_noclobber())
            try ncCheck(nc_create(diskPath, mode, &ncid), file: reportedPath, object: nil, "create file")
            return ncid
        }
    }

    // MARK: Dimensions

    /// Defines a dimension; `length == nil` makes it unlimited.
    @discardableResult
    public func defineDimension(_ name: String, length: Int?) throws -> NetCDFDimension {
        try locked { ncid in
            var dimid: Int32 = -1
            try ncCheck(
                nc_def_dim(ncid, name, length ?? pbte_nc_unlimited(), &dimid),
                file: path, object: "dim:\(name)", "define dimension")
            return try dimensionInfo(ncid, dimid)
        }
    }

    public func dimension(_ name: String) throws -> NetCDFDimension {
        try locked { ncid in
            var dimid: Int32 = -1
            try ncCheck(nc_inq_dimid(ncid, name, &dimid), file: path, object: "dim:\(name)", "look up dimension")
            return try dimensionInfo(ncid, dimid)
        }
    }

    /// All dimensions of the root group in id order.
    public func dimensions() throws -> [NetCDFDimension] {
        try locked { ncid in
            var count: Int32 = 0
            try ncCheck(nc_inq_dimids(ncid, &count, nil, 0), file: path, object: nil, "list dimensions")
            var ids = [Int32](repeating: 0, count: Int(count))
            try ncCheck(nc_inq_dimids(ncid, &count, &ids, 0), file: path, object: nil, "list dimensions")
            return try ids.map { try dimensionInfo(ncid, $0) }
        }
    }

    // MARK: Variables

    /// Defines a variable of `type` over the named dimensions (`[]` for a scalar).
    /// `fillValue` is stored via nc_def_var_fill (it becomes `_FillValue`).
    @discardableResult
    public func defineVariable<T: NetCDFScalar>(
        _ name: String, of type: T.Type, dimensions: [String],
        options: NetCDFVariableOptions = .init(),
        fillValue: T? = nil
    ) throws -> NetCDFVariable {
        try locked { ncid in
            let object = "var:\(name)"
            var dimids: [Int32] = []
            for dimension in dimensions {
                var dimid: Int32 = -1
                try ncCheck(nc_inq_dimid(ncid, dimension, &dimid), file: path, object: "dim:\(dimension)", "define variable \(name)")
                dimids.append(dimid)
            }
            var varid: Int32 = -1
            try ncCheck(
                nc_def_var(ncid, name, T.storeKind.ncType, Int32(dimids.count), dimids, &varid),
                file: path, object: object, "define variable")
            if let chunk = options.chunk {
                guard chunk.count == dimids.count, chunk.allSatisfy({ $0 > 0 }) else {
                    throw StoreError(
                        .invalidArgument, file: path, object: object, operation: "define variable",
                        message: "chunk \(chunk) does not match the \(dimids.count) dimensions")
                }
                try ncCheck(
                    nc_def_var_chunking(ncid, varid, pbte_nc_chunked(), chunk),
                    file: path, object: object, "set chunking")
            }
            if options.deflateLevel != nil || options.shuffle {
                let level = options.deflateLevel ?? 0
                guard (0...9).contains(level) else {
                    throw StoreError(
                        .invalidArgument, file: path, object: object, operation: "define variable",
                        message: "deflate level must be 0...9")
                }
                try ncCheck(
                    nc_def_var_deflate(
                        ncid, varid, options.shuffle ? 1 : 0,
                        options.deflateLevel == nil ? 0 : 1, Int32(level)),
                    file: path, object: object, "set deflate")
            }
            if var fill = fillValue {
                try ncCheck(nc_def_var_fill(ncid, varid, pbte_nc_fill(), &fill), file: path, object: object, "set fill value")
            }
            return NetCDFVariable(file: self, varid: varid, name: name)
        }
    }

    public func variable(_ name: String) throws -> NetCDFVariable {
        try locked { ncid in
            var varid: Int32 = -1
            try ncCheck(nc_inq_varid(ncid, name, &varid), file: path, object: "var:\(name)", "look up variable")
            return NetCDFVariable(file: self, varid: varid, name: name)
        }
    }

    public func hasVariable(_ name: String) throws -> Bool {
        try locked { ncid in
            var varid: Int32 = -1
            return nc_inq_varid(ncid, name, &varid) == NC_NOERR
        }
    }

    /// All variables of the root group in id order.
    public func variables() throws -> [NetCDFVariable] {
        try locked { ncid in
            var count: Int32 = 0
            try ncCheck(nc_inq_varids(ncid, &count, nil), file: path, object: nil, "list variables")
            var ids = [Int32](repeating: 0, count: Int(count))
            try ncCheck(nc_inq_varids(ncid, &count, &ids), file: path, object: nil, "list variables")
            return try ids.map { varid in
                var name = [CChar](repeating: 0, count: Int(pbte_nc_max_name()) + 1)
                try ncCheck(nc_inq_varname(ncid, varid, &name), file: path, object: nil, "list variables")
                return NetCDFVariable(file: self, varid: varid, name: stringFromCBuffer(name))
            }
        }
    }

    public func variableNames() throws -> [String] { try variables().map(\.name) }

    // MARK: Lifetime

    /// Flushes buffered data to disk (nc_sync).
    public func sync() throws {
        try locked { ncid in try ncCheck(nc_sync(ncid), file: path, object: nil, "sync file") }
    }

    public var isPendingAtomic: Bool { netCDFLocked { atomic != nil } }

    /// Closes the file; an uncommitted atomic output is removed. Closing twice is harmless.
    public func close() throws {
        let (status, pending) = netCDFLocked { () -> (Int32, AtomicOutput?) in
            defer { atomic = nil }
            return (closeLocked(), atomic)
        }
        pending?.abandon()
        try netCDFLocked { try ncCheck(status, file: path, object: nil, "close file") }
    }

    /// Closes the file, then renames the temporary onto `path`. Only for `createAtomically` files.
    public func commit(durable: Bool = true) throws {
        let (status, pending) = netCDFLocked { () -> (Int32, AtomicOutput?) in
            guard let pending = atomic else { return (NC_NOERR, nil) }
            atomic = nil
            return (closeLocked(), pending)
        }
        guard let pending else {
            throw StoreError(
                .invalidArgument, file: path, operation: "commit",
                message: "file was not created atomically or is already committed/abandoned")
        }
        do {
            try netCDFLocked { try ncCheck(status, file: path, object: nil, "close file") }
        } catch {
            pending.abandon()
            throw error
        }
        try pending.commit(durable: durable)
    }

    /// Closes the file and deletes the temporary without publishing anything.
    public func abandon() { try? close() }

    deinit { _ = netCDFLocked { closeLocked() } }

    // MARK: Internals (caller holds the store lock)

    private func closeLocked() -> Int32 {
        guard isOpen else { return NC_NOERR }
        isOpen = false
        return nc_close(ncid)
    }

    /// Runs `body` with the live ncid under the store lock.
    func locked<R>(_ body: (Int32) throws -> R) throws -> R {
        try netCDFLocked {
            guard isOpen else {
                throw StoreError(.closed, file: path, operation: "use file", message: "the file has been closed")
            }
            return try body(ncid)
        }
    }

    func dimensionInfo(_ ncid: Int32, _ dimid: Int32) throws -> NetCDFDimension {
        var name = [CChar](repeating: 0, count: Int(pbte_nc_max_name()) + 1)
        var length = 0
        try ncCheck(nc_inq_dim(ncid, dimid, &name, &length), file: path, object: "dim#\(dimid)", "query dimension")
        var unlimitedCount: Int32 = 0
        try ncCheck(nc_inq_unlimdims(ncid, &unlimitedCount, nil), file: path, object: nil, "query dimension")
        var unlimited = [Int32](repeating: 0, count: Int(unlimitedCount))
        if unlimitedCount > 0 {
            try ncCheck(nc_inq_unlimdims(ncid, &unlimitedCount, &unlimited), file: path, object: nil, "query dimension")
        }
        return NetCDFDimension(name: stringFromCBuffer(name), length: length, isUnlimited: unlimited.contains(dimid))
    }
}

/// Storage layout of a new netCDF variable.
public struct NetCDFVariableOptions: Sendable, Equatable {
    public var chunk: [Int]?
    public var deflateLevel: Int?
    public var shuffle: Bool

    public init(chunk: [Int]? = nil, deflateLevel: Int? = nil, shuffle: Bool = false) {
        self.chunk = chunk
        self.deflateLevel = deflateLevel
        self.shuffle = shuffle
    }

    public static func compressed(chunk: [Int], level: Int = 4) -> NetCDFVariableOptions {
        NetCDFVariableOptions(chunk: chunk, deflateLevel: level, shuffle: true)
    }
}
