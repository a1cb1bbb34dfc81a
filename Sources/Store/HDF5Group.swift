import CHDF5

/// An open HDF5 group. Keeps its file alive.
///
/// @unchecked Sendable: immutable after init; HDF5 calls go through `StoreLock`.
public final class HDF5Group: HDF5Container, @unchecked Sendable {
    public let objectRef: HDF5ObjectRef
    public var file: HDF5File { objectRef.file }
    public var path: String { objectRef.path }

    init(file: HDF5File, id: hid_t, path: String) {
        objectRef = HDF5ObjectRef(file: file, handle: HDF5Handle(id, kind: .object), path: path)
    }

    /// Releases the group id now instead of at deinit.
    public func close() { objectRef.handle.close() }
}

/// One entry of a group listing.
public struct HDF5Member: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case group, dataset, other }
    public var name: String
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

/// Group operations shared by `HDF5File` (the root group) and `HDF5Group`.
/// Paths may be nested ("events/3/gamma") and are relative unless they start with "/".
public protocol HDF5Container: HDF5Object {}

extension HDF5Container {
    /// Creates a group, creating missing intermediate groups too. Fails if it exists.
    @discardableResult
    public func createGroup(_ name: String) throws -> HDF5Group {
        let ref = objectRef
        let full = hdf5Join(ref.path, name)
        return try hdf5Locked {
            let loc = try ref.id()
            let lcpl = try makeIntermediateLinkList(ref.file.path, full)
            defer { H5Pclose(lcpl) }
            let id = try h5check(
                H5Gcreate2(loc, name, lcpl, pbte_h5p_default(), pbte_h5p_default()),
                file: ref.file.path, object: full, "create group")
            return HDF5Group(file: ref.file, id: id, path: full)
        }
    }

    /// Opens an existing group.
    public func openGroup(_ name: String) throws -> HDF5Group {
        let ref = objectRef
        let full = hdf5Join(ref.path, name)
        return try hdf5Locked {
            let loc = try ref.id()
            try requireObject(loc, name, ref: ref, full: full, kind: .group, operation: "open group")
            let id = try h5check(
                H5Gopen2(loc, name, pbte_h5p_default()),
                file: ref.file.path, object: full, "open group")
            return HDF5Group(file: ref.file, id: id, path: full)
        }
    }

    /// Opens the group, creating it (and its parents) when missing.
    public func requireGroup(_ name: String) throws -> HDF5Group {
        try exists(name) ? openGroup(name) : createGroup(name)
    }

    /// Opens an existing dataset.
    public func openDataset(_ name: String) throws -> HDF5Dataset {
        let ref = objectRef
        let full = hdf5Join(ref.path, name)
        return try hdf5Locked {
            let loc = try ref.id()
            try requireObject(loc, name, ref: ref, full: full, kind: .dataset, operation: "open dataset")
            let id = try h5check(
                H5Dopen2(loc, name, pbte_h5p_default()),
                file: ref.file.path, object: full, "open dataset")
            return HDF5Dataset(file: ref.file, id: id, path: full)
        }
    }

    /// Creates a dataset of `shape` (row-major); missing parent groups are created.
    /// `shape == []` makes a scalar dataset.
    @discardableResult
    public func createDataset<T: HDF5Scalar>(
        _ name: String, of type: T.Type, shape: [Int],
        options: HDF5DatasetOptions = .init()
    ) throws -> HDF5Dataset {
        let ref = objectRef
        let full = hdf5Join(ref.path, name)
        return try hdf5Locked {
            let loc = try ref.id()
            let space = try makeDataspace(shape: shape, maxShape: options.maxShape, file: ref.file.path, object: full)
            defer { H5Sclose(space) }
            let dcpl = try options.makeCreationList(shape: shape, file: ref.file.path, object: full)
            defer { H5Pclose(dcpl) }
            let lcpl = try makeIntermediateLinkList(ref.file.path, full)
            defer { H5Pclose(lcpl) }
            let id = try h5check(
                H5Dcreate2(loc, name, T.storeKind.hdf5NativeType, space, lcpl, dcpl, pbte_h5p_default()),
                file: ref.file.path, object: full, "create dataset")
            return HDF5Dataset(file: ref.file, id: id, path: full)
        }
    }

    /// Creates a dataset and writes `values` (row-major, `shape.product` elements).
    @discardableResult
    public func writeDataset<T: HDF5Scalar>(
        _ name: String, _ values: [T], shape: [Int],
        options: HDF5DatasetOptions = .init()
    ) throws -> HDF5Dataset {
        let dataset = try createDataset(name, of: T.self, shape: shape, options: options)
        try dataset.write(values)
        return dataset
    }

    /// Reads a whole dataset (row-major) converting losslessly to `T`.
    public func readDataset<T: HDF5Scalar>(_ name: String, as type: T.Type = T.self) throws -> [T] {
        try openDataset(name).read(as: T.self)
    }

    /// True if every component of `name` exists (a missing parent is not an error).
    public func exists(_ name: String) throws -> Bool {
        let ref = objectRef
        return try hdf5Locked {
            let loc = try ref.id()
            return try linkExists(loc, name, ref: ref)
        }
    }

    /// Members of this group in name order.
    public func members() throws -> [HDF5Member] {
        let ref = objectRef
        return try hdf5Locked {
            let loc = try ref.id()
            var info = H5G_info_t()
            try h5check(H5Gget_info(loc, &info), file: ref.file.path, object: ref.path, "list group")
            var result: [HDF5Member] = []
            result.reserveCapacity(Int(info.nlinks))
            for index in 0..<info.nlinks {
                let name = try readName(file: ref.file.path, object: ref.path, "list group") { buffer, size in
                    H5Lget_name_by_idx(loc, ".", H5_INDEX_NAME, H5_ITER_INC, index, buffer, size, pbte_h5p_default())
                }
                let kind: HDF5Member.Kind =
                    switch pbte_h5_object_type(loc, name) {
                    case H5O_TYPE_GROUP.rawValue: .group
                    case H5O_TYPE_DATASET.rawValue: .dataset
                    default: .other
                    }
                result.append(HDF5Member(name: name, kind: kind))
            }
            return result
        }
    }

    public func memberNames() throws -> [String] { try members().map(\.name) }

    /// Unlinks a member (the space is not reclaimed by HDF5 until the file is repacked).
    public func remove(_ name: String) throws {
        let ref = objectRef
        let full = hdf5Join(ref.path, name)
        try hdf5Locked {
            let loc = try ref.id()
            guard try linkExists(loc, name, ref: ref) else {
                throw StoreError(.notFound, file: ref.file.path, object: full, operation: "remove", message: "no such object")
            }
            try h5check(H5Ldelete(loc, name, pbte_h5p_default()), file: ref.file.path, object: full, "remove")
        }
    }
}

// MARK: - Helpers (caller holds the store lock)

func makeIntermediateLinkList(_ file: String, _ object: String) throws -> hid_t {
    let lcpl = try h5check(H5Pcreate(pbte_h5p_link_create()), file: file, object: object, "create link list")
    if H5Pset_create_intermediate_group(lcpl, 1) < 0 {
        H5Pclose(lcpl)
        throw hdf5Error(file: file, object: object, "set intermediate group creation")
    }
    return lcpl
}

/// Checks each prefix of `name`, because H5Lexists fails when a parent is missing.
private func linkExists(_ loc: hid_t, _ name: String, ref: HDF5ObjectRef) throws -> Bool {
    let absolute = name.hasPrefix("/")
    let parts = name.split(separator: "/", omittingEmptySubsequences: true)
    if parts.isEmpty { return true }
    var prefix = absolute ? "" : nil as String?
    for part in parts {
        let current = prefix.map { $0 + "/" + part } ?? String(part)
        let status = H5Lexists(loc, current, pbte_h5p_default())
        if status < 0 { throw hdf5Error(file: ref.file.path, object: hdf5Join(ref.path, name), "check existence") }
        if status == 0 { return false }
        prefix = current
    }
    return true
}

private func requireObject(
    _ loc: hid_t, _ name: String, ref: HDF5ObjectRef, full: String,
    kind: HDF5Member.Kind, operation: String
) throws {
    guard try linkExists(loc, name, ref: ref) else {
        throw StoreError(.notFound, file: ref.file.path, object: full, operation: operation, message: "no such object")
    }
    let type = pbte_h5_object_type(loc, name)
    let expected = kind == .group ? H5O_TYPE_GROUP.rawValue : H5O_TYPE_DATASET.rawValue
    if type >= 0 && type != expected {
        let what = type == H5O_TYPE_GROUP.rawValue ? "a group" : type == H5O_TYPE_DATASET.rawValue ? "a dataset" : "another kind of object"
        throw StoreError(.typeMismatch, file: ref.file.path, object: full, operation: operation, message: "object is \(what)")
    }
}

/// Calls an HDF5 "get name" function twice: once for the length, once for the bytes.
func readName(
    file: String, object: String?, _ operation: String,
    _ get: (UnsafeMutablePointer<CChar>?, Int) -> Int
) throws -> String {
    let length = get(nil, 0)
    if length < 0 { throw hdf5Error(file: file, object: object, operation) }
    var buffer = [CChar](repeating: 0, count: length + 1)
    if get(&buffer, buffer.count) < 0 { throw hdf5Error(file: file, object: object, operation) }
    return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
