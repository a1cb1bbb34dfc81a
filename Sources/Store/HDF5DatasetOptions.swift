import CHDF5

/// Storage layout of a new dataset. Compression and unlimited dimensions need a chunk shape.
public struct HDF5DatasetOptions: Sendable, Equatable {
    /// Chunk shape (same rank as the dataset); nil means contiguous storage.
    public var chunk: [Int]?
    /// zlib level 0...9; nil means no deflate filter.
    public var deflateLevel: Int?
    /// Byte-shuffle filter (applied before deflate; helps floating-point data).
    public var shuffle: Bool
    /// Maximum extent per dimension; a nil entry is unlimited. nil means fixed shape.
    public var maxShape: [Int?]?
    /// Fletcher32 checksum per chunk, so a flipped bit on disk fails the read with the dataset named instead of
    /// flowing into products. Needs chunked storage: a contiguous dataset gets chunks of at most `checksumChunk`
    /// values. Off in the MPI build, whose collective writes are kept filter-free.
    public var checksum: Bool
    static let checksumChunk = 1 << 18
    /// Set once at start-up, before any file is written (the write bench measures the filter's cost with it off).
    nonisolated(unsafe) public static var checksumByDefault = !ParallelIO.enabled

    public init(
        chunk: [Int]? = nil, deflateLevel: Int? = nil, shuffle: Bool = false, maxShape: [Int?]? = nil,
        checksum: Bool = HDF5DatasetOptions.checksumByDefault
    ) {
        self.checksum = checksum
        self.chunk = chunk
        self.deflateLevel = deflateLevel
        self.shuffle = shuffle
        self.maxShape = maxShape
    }

    /// Chunked with shuffle + deflate.
    public static func compressed(chunk: [Int], level: Int = 4) -> HDF5DatasetOptions {
        HDF5DatasetOptions(chunk: chunk, deflateLevel: level, shuffle: true)
    }

    /// Builds the dataset creation property list. Caller holds the store lock.
    func makeCreationList(shape: [Int], file: String, object: String) throws -> hid_t {
        func invalid(_ message: String) -> StoreError {
            StoreError(.invalidArgument, file: file, object: object, operation: "create dataset", message: message)
        }
        let growable = maxShape.map { $0 != shape.map(Optional.some) } ?? false
        if chunk == nil && (deflateLevel != nil || shuffle || growable) {
            throw invalid("compression, shuffle and resizable dimensions need a chunk shape")
        }
        if let chunk {
            if chunk.count != shape.count || shape.isEmpty {
                throw invalid("chunk rank \(chunk.count) does not match dataset rank \(shape.count)")
            }
            if chunk.contains(where: { $0 <= 0 }) { throw invalid("chunk dimensions must be positive") }
        }
        if let level = deflateLevel, !(0...9).contains(level) { throw invalid("deflate level must be 0...9") }

        var layout = chunk
        if checksum && layout == nil && !shape.isEmpty && !shape.contains(0) { layout = Self.checksumChunks(shape) }
        let dcpl = try h5check(H5Pcreate(pbte_h5p_dataset_create()), file: file, object: object, "create dataset")
        do {
            if let layout {
                let dims = layout.map { hsize_t($0) }
                try h5check(H5Pset_chunk(dcpl, Int32(dims.count), dims), file: file, object: object, "set chunk")
            }
            if shuffle { try h5check(H5Pset_shuffle(dcpl), file: file, object: object, "set shuffle") }
            if let level = deflateLevel {
                try h5check(H5Pset_deflate(dcpl, UInt32(level)), file: file, object: object, "set deflate")
            }
            // Last in the pipeline: the checksum covers the bytes as stored.
            if checksum && layout != nil { try h5check(H5Pset_fletcher32(dcpl), file: file, object: object, "set fletcher32") }
        } catch {
            H5Pclose(dcpl)
            throw error
        }
        return dcpl
    }

    /// Whole trailing rows per chunk, leading dimension cut so a chunk holds at most `checksumChunk` values.
    static func checksumChunks(_ shape: [Int]) -> [Int] {
        var c = shape.map { max($0, 1) }
        var i = 0
        while c.reduce(1, *) > checksumChunk && i < c.count {
            let rest = c.reduce(1, *) / c[i]
            c[i] = max(1, checksumChunk / max(rest, 1))
            i += 1
        }
        return c
    }
}

/// Creates a scalar (rank 0) or simple dataspace. Caller holds the store lock.
func makeDataspace(shape: [Int], maxShape: [Int?]? = nil, file: String, object: String) throws -> hid_t {
    if shape.contains(where: { $0 < 0 }) {
        throw StoreError(
            .invalidArgument, file: file, object: object, operation: "create dataspace",
            message: "negative dimension in shape \(shape)")
    }
    if shape.isEmpty {
        return try h5check(H5Screate(H5S_SCALAR), file: file, object: object, "create dataspace")
    }
    let dims = shape.map { hsize_t($0) }
    if let maxShape {
        guard maxShape.count == shape.count else {
            throw StoreError(
                .invalidArgument, file: file, object: object, operation: "create dataspace",
                message: "maxShape rank \(maxShape.count) does not match shape rank \(shape.count)")
        }
        let maxDims = maxShape.map { $0.map { hsize_t($0) } ?? pbte_h5s_unlimited() }
        return try h5check(H5Screate_simple(Int32(dims.count), dims, maxDims), file: file, object: object, "create dataspace")
    }
    return try h5check(H5Screate_simple(Int32(dims.count), dims, nil), file: file, object: object, "create dataspace")
}

/// Current and maximum extent of a dataspace (max nil = unlimited). Caller holds the lock.
func dataspaceExtent(_ space: hid_t, file: String, object: String) throws -> (shape: [Int], maxShape: [Int?]) {
    let rank = Int(try h5check(H5Sget_simple_extent_ndims(space), file: file, object: object, "query shape"))
    if rank == 0 { return ([], []) }
    var dims = [hsize_t](repeating: 0, count: rank)
    var maxDims = [hsize_t](repeating: 0, count: rank)
    try h5check(H5Sget_simple_extent_dims(space, &dims, &maxDims), file: file, object: object, "query shape")
    let unlimited = pbte_h5s_unlimited()
    return (dims.map { Int($0) }, maxDims.map { $0 == unlimited ? nil : Int($0) })
}
