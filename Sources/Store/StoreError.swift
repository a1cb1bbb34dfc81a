/// Every failure of the storage layer. Carries the file, the object inside it (dataset,
/// group, attribute or netCDF variable) and the library's own message.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The HDF5 library reported an error.
        case hdf5
        /// The netCDF library reported an error (`code` holds the NC_E* status).
        case netCDF
        /// An object, attribute or variable does not exist.
        case notFound
        /// Stored element type cannot be converted losslessly to/from the requested one.
        case typeMismatch
        /// Buffer size, rank, offset or count does not fit the object's shape.
        case shapeMismatch
        /// The caller passed arguments the layer refuses (e.g. compression without chunks).
        case invalidArgument
        /// A file-system operation (rename, unlink, fsync) failed; `code` holds errno.
        case io
        /// The handle was used after `close()`.
        case closed
    }

    public var kind: Kind
    public var file: String
    /// Path of the object inside the file ("/events/3/gamma", "var:temperature"); nil for the file itself.
    public var object: String?
    /// What was being done, e.g. "open file", "read dataset".
    public var operation: String
    public var message: String
    public var code: Int32?

    public init(
        _ kind: Kind, file: String, object: String? = nil, operation: String,
        message: String, code: Int32? = nil
    ) {
        self.kind = kind
        self.file = file
        self.object = object
        self.operation = operation
        self.message = message
        self.code = code
    }

    public var description: String {
        var s = "\(operation) failed"
        if let object { s += " for '\(object)'" }
        s += " in '\(file)': \(message)"
        return s
    }
}
