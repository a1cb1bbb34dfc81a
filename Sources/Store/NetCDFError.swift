import Foundation
import CNetCDF

/// Runs `body` under the process-wide store lock: netCDF-C is not thread-safe and shares
/// libhdf5 with the HDF5 layer. HDF5's stderr error printing is switched off first, since
/// netCDF probes attributes that may not exist.
@inline(__always)
func netCDFLocked<R>(_ body: () throws -> R) rethrows -> R {
    try hdf5Locked(body)
}

/// Throws a StoreError carrying nc_strerror's text for any non-zero status. Caller holds the lock.
func ncCheck(_ status: Int32, file: String, object: String?, _ operation: String) throws {
    guard status != NC_NOERR else { return }
    let kind: StoreError.Kind =
        switch status {
        case NC_ENOTVAR, NC_EBADDIM, NC_ENOTATT: .notFound
        default: .netCDF
        }
    var message = nc_strerror(status).map { String(cString: $0) } ?? "netCDF error \(status)"
    // netCDF reports a full disk as a bare "HDF error"; say what actually happened.
    if status == NC_EHDFERR || status == NC_EIO, let free = freeBytes(near: file), free < 1 << 20 {
        message += " (no space left on the device: \(free) bytes free)"
    }
    throw StoreError(kind, file: file, object: object, operation: operation, message: message, code: status)
}

extension StoreScalarKind {
    var ncType: nc_type {
        switch self {
        case .float64: NC_DOUBLE
        case .float32: NC_FLOAT
        case .int64: NC_INT64
        case .int32: NC_INT
        case .uint8: NC_UBYTE
        }
    }
}

extension StoreTypeInfo {
    init(ncType type: nc_type) {
        switch type {
        case NC_BYTE: self.init(typeClass: .integer, size: 1, isSigned: true)
        case NC_UBYTE: self.init(typeClass: .integer, size: 1, isSigned: false)
        case NC_SHORT: self.init(typeClass: .integer, size: 2, isSigned: true)
        case NC_USHORT: self.init(typeClass: .integer, size: 2, isSigned: false)
        case NC_INT: self.init(typeClass: .integer, size: 4, isSigned: true)
        case NC_UINT: self.init(typeClass: .integer, size: 4, isSigned: false)
        case NC_INT64: self.init(typeClass: .integer, size: 8, isSigned: true)
        case NC_UINT64: self.init(typeClass: .integer, size: 8, isSigned: false)
        case NC_FLOAT: self.init(typeClass: .float, size: 4, isSigned: true)
        case NC_DOUBLE: self.init(typeClass: .float, size: 8, isSigned: true)
        case NC_CHAR: self.init(typeClass: .string, size: 1, isSigned: false)
        case NC_STRING:
            self.init(
                typeClass: .string, size: MemoryLayout<UnsafePointer<CChar>>.size,
                isSigned: false, isVariableLengthString: true)
        default: self.init(typeClass: .other, size: 0, isSigned: false)
        }
    }
}


/// Free bytes on the file system holding `path` (or its directory), nil if unknown.
func freeBytes(near path: String) -> UInt64? {
    var st = statvfs()
    let dir = (path as NSString).deletingLastPathComponent
    guard statvfs(dir.isEmpty ? "." : dir, &st) == 0 else { return nil }
    return UInt64(st.f_bavail) * UInt64(st.f_frsize)
}
