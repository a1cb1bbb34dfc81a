import CNetCDF

/// Where a netCDF attribute lives: the file (global) or a variable. Opaque to clients; it
/// only exists so `NetCDFAttributeHolder` can be a public protocol.
public struct NetCDFAttributeTarget: Sendable {
    let file: NetCDFFile
    let varid: Int32
    let objectName: String
}

/// Global (file) and per-variable attributes. Strings are written as NC_CHAR text (what
/// netCDF4-python/xarray write); NC_CHAR and NC_STRING are both read.
public protocol NetCDFAttributeHolder: Sendable {
    var attributeTarget: NetCDFAttributeTarget { get }
}

extension NetCDFAttributeHolder {
    public func setAttribute(_ name: String, _ value: String) throws {
        let t = attributeTarget
        try t.file.locked { ncid in
            let bytes = Array(value.utf8)
            try ncCheck(
                nc_put_att_text(ncid, t.varid, name, bytes.count, bytes.map { CChar(bitPattern: $0) }),
                file: t.file.path, object: path(name), "write attribute")
        }
    }

    public func setAttribute<T: NetCDFScalar>(_ name: String, _ value: T) throws {
        try setAttribute(name, [value])
    }

    /// Writes a numeric attribute of any length (netCDF has no scalar/1-D distinction).
    public func setAttribute<T: NetCDFScalar>(_ name: String, _ values: [T]) throws {
        let t = attributeTarget
        try t.file.locked { ncid in
            let status: Int32 = values.withUnsafeBytes { raw in
                let n = values.count
                return switch T.storeKind {
                case .float64: nc_put_att_double(ncid, t.varid, name, NC_DOUBLE, n, raw.bindMemory(to: Double.self).baseAddress)
                case .float32: nc_put_att_float(ncid, t.varid, name, NC_FLOAT, n, raw.bindMemory(to: Float.self).baseAddress)
                case .int64: nc_put_att_longlong(ncid, t.varid, name, NC_INT64, n, raw.bindMemory(to: Int64.self).baseAddress)
                case .int32: nc_put_att_int(ncid, t.varid, name, NC_INT, n, raw.bindMemory(to: Int32.self).baseAddress)
                case .uint8: nc_put_att_uchar(ncid, t.varid, name, NC_UBYTE, n, raw.bindMemory(to: UInt8.self).baseAddress)
                }
            }
            try ncCheck(status, file: t.file.path, object: path(name), "write attribute")
        }
    }

    /// Reads a text attribute (NC_CHAR, or a single NC_STRING).
    public func stringAttribute(_ name: String) throws -> String {
        let t = attributeTarget
        return try t.file.locked { ncid in
            let (type, length) = try inquire(ncid, name)
            switch type {
            case NC_CHAR:
                var buffer = [CChar](repeating: 0, count: length + 1)
                try ncCheck(nc_get_att_text(ncid, t.varid, name, &buffer), file: t.file.path, object: path(name), "read attribute")
                return stringFromCBuffer(buffer)
            case NC_STRING:
                guard length == 1 else {
                    throw StoreError(
                        .shapeMismatch, file: t.file.path, object: path(name), operation: "read attribute",
                        message: "attribute holds \(length) strings, expected 1")
                }
                var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: length)
                try ncCheck(nc_get_att_string(ncid, t.varid, name, &pointers), file: t.file.path, object: path(name), "read attribute")
                defer { nc_free_string(length, &pointers) }
                return pointers[0].map { String(cString: $0) } ?? ""
            default:
                throw StoreError(
                    .typeMismatch, file: t.file.path, object: path(name), operation: "read attribute",
                    message: "attribute is \(StoreTypeInfo(ncType: type)), not text")
            }
        }
    }

    public func attribute<T: NetCDFScalar>(_ name: String, as type: T.Type = T.self) throws -> T {
        let values = try arrayAttribute(name, as: T.self)
        guard values.count == 1 else {
            throw StoreError(
                .shapeMismatch, file: attributeTarget.file.path, object: path(name), operation: "read attribute",
                message: "attribute holds \(values.count) values, expected 1")
        }
        return values[0]
    }

    public func arrayAttribute<T: NetCDFScalar>(_ name: String, as type: T.Type = T.self) throws -> [T] {
        let t = attributeTarget
        return try t.file.locked { ncid in
            let (type, length) = try inquire(ncid, name)
            let stored = StoreTypeInfo(ncType: type)
            guard stored.convertsLosslessly(to: StoreTypeInfo(T.storeKind)) else {
                throw StoreError(
                    .typeMismatch, file: t.file.path, object: path(name), operation: "read attribute",
                    message: "cannot convert \(stored) to \(StoreTypeInfo(T.storeKind)) without loss")
            }
            return try [T](unsafeUninitializedCapacity: length) { buffer, initialized in
                if length > 0, let base = UnsafeMutableRawPointer(buffer.baseAddress) {
                    let status: Int32 =
                        switch T.storeKind {
                        case .float64: nc_get_att_double(ncid, t.varid, name, base.assumingMemoryBound(to: Double.self))
                        case .float32: nc_get_att_float(ncid, t.varid, name, base.assumingMemoryBound(to: Float.self))
                        case .int64: nc_get_att_longlong(ncid, t.varid, name, base.assumingMemoryBound(to: Int64.self))
                        case .int32: nc_get_att_int(ncid, t.varid, name, base.assumingMemoryBound(to: Int32.self))
                        case .uint8: nc_get_att_uchar(ncid, t.varid, name, base.assumingMemoryBound(to: UInt8.self))
                        }
                    try ncCheck(status, file: t.file.path, object: path(name), "read attribute")
                }
                initialized = length
            }
        }
    }

    public func attributeType(_ name: String) throws -> StoreTypeInfo {
        try attributeTarget.file.locked { ncid in StoreTypeInfo(ncType: try inquire(ncid, name).type) }
    }

    public func hasAttribute(_ name: String) throws -> Bool {
        let t = attributeTarget
        return try t.file.locked { ncid in
            var type: nc_type = 0
            var length = 0
            let status = nc_inq_att(ncid, t.varid, name, &type, &length)
            if status == NC_ENOTATT { return false }
            try ncCheck(status, file: t.file.path, object: path(name), "check attribute")
            return true
        }
    }

    /// Attribute names in creation order.
    public func attributeNames() throws -> [String] {
        let t = attributeTarget
        return try t.file.locked { ncid in
            var count: Int32 = 0
            try ncCheck(nc_inq_varnatts(ncid, t.varid, &count), file: t.file.path, object: t.objectName, "list attributes")
            return try (0..<count).map { index in
                var name = [CChar](repeating: 0, count: Int(pbte_nc_max_name()) + 1)
                try ncCheck(nc_inq_attname(ncid, t.varid, index, &name), file: t.file.path, object: t.objectName, "list attributes")
                return stringFromCBuffer(name)
            }
        }
    }

    public func removeAttribute(_ name: String) throws {
        let t = attributeTarget
        try t.file.locked { ncid in
            try ncCheck(nc_del_att(ncid, t.varid, name), file: t.file.path, object: path(name), "remove attribute")
        }
    }

    private func path(_ name: String) -> String { "\(attributeTarget.objectName)@\(name)" }

    private func inquire(_ ncid: Int32, _ name: String) throws -> (type: nc_type, length: Int) {
        let t = attributeTarget
        var type: nc_type = 0
        var length = 0
        try ncCheck(nc_inq_att(ncid, t.varid, name, &type, &length), file: t.file.path, object: path(name), "read attribute")
        return (type, length)
    }
}
