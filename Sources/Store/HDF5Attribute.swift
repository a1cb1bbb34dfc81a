import Foundation
import CHDF5

/// Attributes on files (root group), groups and datasets. Setting an attribute replaces
/// any existing one of that name. Strings are written as variable-length UTF-8 (what h5py
/// writes for `str`); both variable- and fixed-length strings are read.
extension HDF5Object {
    public func setAttribute(_ name: String, _ value: String) throws {
        try withAttributeTarget(name, "write attribute") { object, target in
            try replaceAttribute(object, name, target)
            let type = try variableStringType(cset: H5T_CSET_UTF8, target)
            defer { H5Tclose(type) }
            let space = try h5check(H5Screate(H5S_SCALAR), file: target.file, object: target.object, "write attribute")
            defer { H5Sclose(space) }
            let attribute = try h5check(
                H5Acreate2(object, name, type, space, pbte_h5p_default(), pbte_h5p_default()),
                file: target.file, object: target.object, "write attribute")
            defer { H5Aclose(attribute) }
            try value.withCString { cString in
                var pointer: UnsafePointer<CChar>? = cString
                try h5check(H5Awrite(attribute, type, &pointer), file: target.file, object: target.object, "write attribute")
            }
        }
    }

    /// Writes a 1-D attribute of variable-length UTF-8 strings (h5py reads it as an array of str).
    public func setAttribute(_ name: String, _ values: [String]) throws {
        try withAttributeTarget(name, "write attribute") { object, target in
            try replaceAttribute(object, name, target)
            let type = try variableStringType(cset: H5T_CSET_UTF8, target)
            defer { H5Tclose(type) }
            var dims: [hsize_t] = [hsize_t(values.count)]
            let space = try h5check(H5Screate_simple(1, &dims, nil), file: target.file, object: target.object, "write attribute")
            defer { H5Sclose(space) }
            let attribute = try h5check(
                H5Acreate2(object, name, type, space, pbte_h5p_default(), pbte_h5p_default()),
                file: target.file, object: target.object, "write attribute")
            defer { H5Aclose(attribute) }
            let copies = values.map { strdup($0) }
            defer { copies.forEach { free($0) } }
            var pointers: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) }
            if !values.isEmpty {
                try h5check(H5Awrite(attribute, type, &pointers), file: target.file, object: target.object, "write attribute")
            }
        }
    }

    /// Writes a scalar numeric attribute.
    public func setAttribute<T: HDF5Scalar>(_ name: String, _ value: T) throws {
        try withUnsafePointer(to: value) { pointer in
            try writeNumericAttribute(name, UnsafeBufferPointer(start: pointer, count: 1), scalar: true)
        }
    }

    /// Writes a 1-D numeric attribute.
    public func setAttribute<T: HDF5Scalar>(_ name: String, _ values: [T]) throws {
        try values.withUnsafeBufferPointer { try writeNumericAttribute(name, $0, scalar: false) }
    }

    /// Reads a string attribute (scalar or one-element array, fixed or variable length).
    public func stringAttribute(_ name: String) throws -> String {
        let strings = try stringArrayAttribute(name)
        guard strings.count == 1 else {
            throw StoreError(
                .shapeMismatch, file: filePath, object: attributePath(name), operation: "read attribute",
                message: "attribute holds \(strings.count) strings, expected 1")
        }
        return strings[0]
    }

    /// Reads every string of a string attribute.
    public func stringArrayAttribute(_ name: String) throws -> [String] {
        try withOpenAttribute(name, "read attribute") { attribute, target in
            let fileType = try h5check(H5Aget_type(attribute), file: target.file, object: target.object, "read attribute")
            defer { H5Tclose(fileType) }
            guard H5Tget_class(fileType) == H5T_STRING else {
                let info = StoreTypeInfo(hdf5Type: fileType).map(String.init(describing:)) ?? "unknown"
                throw StoreError(
                    .typeMismatch, file: target.file, object: target.object, operation: "read attribute",
                    message: "attribute is \(info), not a string")
            }
            let space = try h5check(H5Aget_space(attribute), file: target.file, object: target.object, "read attribute")
            defer { H5Sclose(space) }
            let n = Int(H5Sget_simple_extent_npoints(space))
            if n == 0 { return [] }
            if H5Tis_variable_str(fileType) > 0 {
                let memoryType = try variableStringType(cset: H5Tget_cset(fileType), target)
                defer { H5Tclose(memoryType) }
                var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: n)
                try h5check(H5Aread(attribute, memoryType, &pointers), file: target.file, object: target.object, "read attribute")
                let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
                _ = pbte_h5_vlen_reclaim(memoryType, space, &pointers)
                return strings
            }
            let size = H5Tget_size(fileType)
            let memoryType = try h5check(H5Tcopy(fileType), file: target.file, object: target.object, "read attribute")
            defer { H5Tclose(memoryType) }
            var bytes = [UInt8](repeating: 0, count: n * size)
            try h5check(H5Aread(attribute, memoryType, &bytes), file: target.file, object: target.object, "read attribute")
            let spacePadded = H5Tget_strpad(fileType) == H5T_STR_SPACEPAD
            return (0..<n).map { i in
                var element = bytes[(i * size)..<((i + 1) * size)]
                if let nul = element.firstIndex(of: 0) { element = element[..<nul] }
                if spacePadded { while element.last == 0x20 { element = element.dropLast() } }
                return String(decoding: element, as: UTF8.self)
            }
        }
    }

    /// Reads a scalar (or one-element) numeric attribute, converting losslessly to `T`.
    public func attribute<T: HDF5Scalar>(_ name: String, as type: T.Type = T.self) throws -> T {
        let values = try arrayAttribute(name, as: T.self)
        guard values.count == 1 else {
            throw StoreError(
                .shapeMismatch, file: filePath, object: attributePath(name), operation: "read attribute",
                message: "attribute holds \(values.count) values, expected 1")
        }
        return values[0]
    }

    /// Reads all values of a numeric attribute (a scalar reads as one element).
    public func arrayAttribute<T: HDF5Scalar>(_ name: String, as type: T.Type = T.self) throws -> [T] {
        try withOpenAttribute(name, "read attribute") { attribute, target in
            let fileType = try h5check(H5Aget_type(attribute), file: target.file, object: target.object, "read attribute")
            defer { H5Tclose(fileType) }
            let wanted = StoreTypeInfo(T.storeKind)
            guard let info = StoreTypeInfo(hdf5Type: fileType), info.convertsLosslessly(to: wanted) else {
                let found = StoreTypeInfo(hdf5Type: fileType).map(String.init(describing:)) ?? "unknown"
                throw StoreError(
                    .typeMismatch, file: target.file, object: target.object, operation: "read attribute",
                    message: "cannot convert \(found) to \(wanted) without loss")
            }
            let space = try h5check(H5Aget_space(attribute), file: target.file, object: target.object, "read attribute")
            defer { H5Sclose(space) }
            let n = Int(H5Sget_simple_extent_npoints(space))
            return try [T](unsafeUninitializedCapacity: n) { buffer, initialized in
                if n > 0 {
                    try h5check(
                        H5Aread(attribute, T.storeKind.hdf5NativeType, buffer.baseAddress),
                        file: target.file, object: target.object, "read attribute")
                }
                initialized = n
            }
        }
    }

    /// Element type of an attribute.
    public func attributeType(_ name: String) throws -> StoreTypeInfo {
        try withOpenAttribute(name, "query attribute") { attribute, target in
            let type = try h5check(H5Aget_type(attribute), file: target.file, object: target.object, "query attribute")
            defer { H5Tclose(type) }
            guard let info = StoreTypeInfo(hdf5Type: type) else {
                throw hdf5Error(file: target.file, object: target.object, "query attribute")
            }
            return info
        }
    }

    /// Shape of an attribute (`[]` for scalars).
    public func attributeShape(_ name: String) throws -> [Int] {
        try withOpenAttribute(name, "query attribute") { attribute, target in
            let space = try h5check(H5Aget_space(attribute), file: target.file, object: target.object, "query attribute")
            defer { H5Sclose(space) }
            return try dataspaceExtent(space, file: target.file, object: target.object).shape
        }
    }

    public func hasAttribute(_ name: String) throws -> Bool {
        try withAttributeTarget(name, "check attribute") { object, target in
            try h5check(H5Aexists(object, name), file: target.file, object: target.object, "check attribute") > 0
        }
    }

    /// Attribute names in name order.
    public func attributeNames() throws -> [String] {
        let ref = objectRef
        return try hdf5Locked {
            let object = try ref.id()
            let count = pbte_h5_num_attrs(object)
            if count < 0 { throw hdf5Error(file: ref.file.path, object: ref.path, "list attributes") }
            return try (0..<count).map { index in
                try readName(file: ref.file.path, object: ref.path, "list attributes") { buffer, size in
                    H5Aget_name_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, hsize_t(index), buffer, size, pbte_h5p_default())
                }
            }
        }
    }

    public func removeAttribute(_ name: String) throws {
        try withAttributeTarget(name, "remove attribute") { object, target in
            guard try h5check(H5Aexists(object, name), file: target.file, object: target.object, "remove attribute") > 0 else {
                throw StoreError(
                    .notFound, file: target.file, object: target.object, operation: "remove attribute",
                    message: "no such attribute")
            }
            try h5check(H5Adelete(object, name), file: target.file, object: target.object, "remove attribute")
        }
    }

    // MARK: Internals

    private func attributePath(_ name: String) -> String { "\(objectPath)@\(name)" }

    private func withAttributeTarget<R>(
        _ name: String, _ operation: String,
        _ body: (hid_t, AttributeTarget) throws -> R
    ) throws -> R {
        let ref = objectRef
        let target = AttributeTarget(file: ref.file.path, object: attributePath(name))
        return try hdf5Locked { try body(ref.id(), target) }
    }

    private func withOpenAttribute<R>(
        _ name: String, _ operation: String,
        _ body: (hid_t, AttributeTarget) throws -> R
    ) throws -> R {
        try withAttributeTarget(name, operation) { object, target in
            guard try h5check(H5Aexists(object, name), file: target.file, object: target.object, operation) > 0 else {
                throw StoreError(
                    .notFound, file: target.file, object: target.object, operation: operation,
                    message: "no such attribute")
            }
            let attribute = try h5check(H5Aopen(object, name, pbte_h5p_default()), file: target.file, object: target.object, operation)
            defer { H5Aclose(attribute) }
            return try body(attribute, target)
        }
    }

    private func writeNumericAttribute<T: HDF5Scalar>(_ name: String, _ values: UnsafeBufferPointer<T>, scalar: Bool) throws {
        try withAttributeTarget(name, "write attribute") { object, target in
            try replaceAttribute(object, name, target)
            let space =
                scalar
                ? try h5check(H5Screate(H5S_SCALAR), file: target.file, object: target.object, "write attribute")
                : try makeDataspace(shape: [values.count], file: target.file, object: target.object)
            defer { H5Sclose(space) }
            let type = T.storeKind.hdf5NativeType
            let attribute = try h5check(
                H5Acreate2(object, name, type, space, pbte_h5p_default(), pbte_h5p_default()),
                file: target.file, object: target.object, "write attribute")
            defer { H5Aclose(attribute) }
            if values.count > 0 {
                try h5check(H5Awrite(attribute, type, values.baseAddress), file: target.file, object: target.object, "write attribute")
            }
        }
    }
}

/// File and "object@attribute" path used in attribute errors.
struct AttributeTarget {
    let file: String
    let object: String
}

/// Deletes `name` if present so it can be recreated with a new type/shape. Caller holds the lock.
private func replaceAttribute(_ object: hid_t, _ name: String, _ target: AttributeTarget) throws {
    if try h5check(H5Aexists(object, name), file: target.file, object: target.object, "write attribute") > 0 {
        try h5check(H5Adelete(object, name), file: target.file, object: target.object, "write attribute")
    }
}

/// A variable-length C string type. Caller holds the lock.
private func variableStringType(cset: H5T_cset_t, _ target: AttributeTarget) throws -> hid_t {
    let type = try h5check(H5Tcopy(pbte_h5t_c_s1()), file: target.file, object: target.object, "make string type")
    if H5Tset_size(type, pbte_h5t_variable()) < 0 || H5Tset_cset(type, cset) < 0 {
        H5Tclose(type)
        throw hdf5Error(file: target.file, object: target.object, "make string type")
    }
    return type
}
