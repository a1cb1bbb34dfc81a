import CHDF5

/// Owns one HDF5 identifier and closes it exactly once (explicitly or in deinit).
///
/// @unchecked Sendable: `isClosed` is only touched under `StoreLock`.
final class HDF5Handle: @unchecked Sendable {
    enum Kind { case file, object, attribute }

    let id: hid_t
    let kind: Kind
    private var isClosed = false

    init(_ id: hid_t, kind: Kind) {
        self.id = id
        self.kind = kind
    }

    /// Closes the id; returns the close status (0 when already closed). Takes the lock.
    @discardableResult
    func close() -> herr_t {
        hdf5Locked {
            guard !isClosed else { return 0 }
            isClosed = true
            // A file closed with H5F_CLOSE_STRONG already invalidated its children.
            guard H5Iis_valid(id) > 0 else { return 0 }
            switch kind {
            case .file: return H5Fclose(id)
            case .object: return H5Oclose(id)
            case .attribute: return H5Aclose(id)
            }
        }
    }

    /// The live id, or a `.closed` error. Caller holds the store lock.
    func live(file: String, object: String?) throws -> hid_t {
        if isClosed || H5Iis_valid(id) <= 0 {
            throw StoreError(
                .closed, file: file, object: object, operation: "use handle",
                message: "the handle (or its file) has been closed")
        }
        return id
    }

    deinit { close() }
}

/// Identity of an open HDF5 object (file root, group or dataset); attributes hang off it.
/// Opaque to clients: it only exists so `HDF5Object` can be a public protocol.
public struct HDF5ObjectRef: Sendable {
    let file: HDF5File
    let handle: HDF5Handle
    /// Absolute path inside the file ("/" for the root).
    let path: String

    /// Live id. Caller holds the store lock.
    func id() throws -> hid_t { try handle.live(file: file.path, object: path) }
}

/// Anything attributes can be attached to: files (root group), groups, datasets.
public protocol HDF5Object: Sendable {
    var objectRef: HDF5ObjectRef { get }
}

extension HDF5Object {
    /// Absolute path of this object inside its file.
    public var objectPath: String { objectRef.path }
    public var filePath: String { objectRef.file.path }
}

/// Joins a base group path and a (relative or absolute) member path.
func hdf5Join(_ base: String, _ name: String) -> String {
    if name.hasPrefix("/") { return name }
    if base == "/" || base.isEmpty { return "/" + name }
    return base + "/" + name
}
