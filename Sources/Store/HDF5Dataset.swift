import CHDF5

/// An open HDF5 dataset. Data buffers are row-major (C order). Element types convert only
/// when lossless (Float32 file data reads as Double, never the other way); anything else
/// throws `.typeMismatch`.
///
/// @unchecked Sendable: immutable after init; HDF5 calls go through `StoreLock`.
public final class HDF5Dataset: HDF5Object, @unchecked Sendable {
    public let objectRef: HDF5ObjectRef
    public var file: HDF5File { objectRef.file }
    public var path: String { objectRef.path }

    init(file: HDF5File, id: hid_t, path: String) {
        objectRef = HDF5ObjectRef(file: file, handle: HDF5Handle(id, kind: .object), path: path)
    }

    /// Releases the dataset id now instead of at deinit.
    public func close() { objectRef.handle.close() }

    // MARK: Inquiry

    /// Current extent; `[]` for a scalar dataset.
    public func shape() throws -> [Int] { try extent().shape }

    /// Maximum extent; nil entries are unlimited.
    public func maxShape() throws -> [Int?] { try extent().maxShape }

    public func rank() throws -> Int { try shape().count }

    /// Number of elements (1 for a scalar dataset).
    public func count() throws -> Int { try shape().reduce(1, *) }

    /// Class, size and signedness of the stored elements.
    public func elementType() throws -> StoreTypeInfo {
        try locked("query type") { id in try fileTypeInfo(id) }
    }

    /// Chunk shape, filters and maximum extent the dataset was created with.
    public func creationOptions() throws -> HDF5DatasetOptions {
        try locked("query creation properties") { id in
            let dcpl = try check(H5Dget_create_plist(id), "query creation properties")
            defer { H5Pclose(dcpl) }
            var options = HDF5DatasetOptions(checksum: false)
            if H5Pget_layout(dcpl) == H5D_CHUNKED {
                let space = try check(H5Dget_space(id), "query shape")
                defer { H5Sclose(space) }
                let extent = try dataspaceExtent(space, file: file.path, object: path)
                var dims = [hsize_t](repeating: 0, count: extent.shape.count)
                try check(H5Pget_chunk(dcpl, Int32(dims.count), &dims), "query chunk")
                options.chunk = dims.map { Int($0) }
                if extent.maxShape != extent.shape.map(Optional.some) { options.maxShape = extent.maxShape }
            }
            let filters = try check(H5Pget_nfilters(dcpl), "query filters")
            for index in 0..<UInt32(filters) {
                var flags: UInt32 = 0
                var values = [UInt32](repeating: 0, count: 8)
                var valueCount = values.count
                var config: UInt32 = 0
                let filter = H5Pget_filter2(dcpl, index, &flags, &valueCount, &values, 0, nil, &config)
                if filter == H5Z_FILTER_SHUFFLE { options.shuffle = true }
                if filter == H5Z_FILTER_DEFLATE { options.deflateLevel = valueCount > 0 ? Int(values[0]) : 0 }
                if filter == H5Z_FILTER_FLETCHER32 { options.checksum = true }
            }
            return options
        }
    }

    // MARK: Whole-dataset I/O

    public func read<T: HDF5Scalar>(as type: T.Type = T.self) throws -> [T] {
        try locked("read dataset") { id in
            try requireConversion(fileTypeInfo(id), to: StoreTypeInfo(T.storeKind), "read dataset")
            let n = try elementCount(id)
            return try [T](unsafeUninitializedCapacity: n) { buffer, initialized in
                if n > 0 {
                    try check(
                        H5Dread(
                            id, T.storeKind.hdf5NativeType, pbte_h5s_all(), pbte_h5s_all(),
                            pbte_h5p_default(), buffer.baseAddress), "read dataset")
                }
                initialized = n
            }
        }
    }

    public func write<T: HDF5Scalar>(_ values: [T]) throws {
        try values.withUnsafeBufferPointer { try write($0) }
    }

    /// Writes the whole dataset from `buffer` without copying it.
    public func write<T: HDF5Scalar>(_ buffer: UnsafeBufferPointer<T>) throws {
        try locked("write dataset") { id in
            try requireConversion(StoreTypeInfo(T.storeKind), to: fileTypeInfo(id), "write dataset")
            let n = try elementCount(id)
            guard buffer.count == n else {
                throw shapeError("write dataset", "buffer has \(buffer.count) elements, dataset has \(n)")
            }
            if ParallelIO.enabled {
                // Replicated data: rank 0 supplies it, the others join the collective write with nothing.
                let shape = try extentLocked(id).shape
                try writeSelection(
                    id, buffer, offset: shape.map { _ in 0 }, count: shape, contributes: ParallelIO.rank == 0,
                    "write dataset")
            } else if n > 0 {
                try check(
                    H5Dwrite(
                        id, T.storeKind.hdf5NativeType, pbte_h5s_all(), pbte_h5s_all(),
                        pbte_h5p_default(), buffer.baseAddress), "write dataset")
            }
        }
    }

    // MARK: Hyperslab I/O (offset + count per dimension)

    public func read<T: HDF5Scalar>(as type: T.Type = T.self, offset: [Int], count: [Int]) throws -> [T] {
        let n = count.reduce(1, *)
        return try [T](unsafeUninitializedCapacity: max(n, 0)) { buffer, initialized in
            try read(into: buffer, offset: offset, count: count)
            initialized = n
        }
    }

    /// Reads a hyperslab into caller-owned memory of exactly `count.product` elements.
    public func read<T: HDF5Scalar>(into buffer: UnsafeMutableBufferPointer<T>, offset: [Int], count: [Int]) throws {
        try locked("read hyperslab") { id in
            try requireConversion(fileTypeInfo(id), to: StoreTypeInfo(T.storeKind), "read hyperslab")
            try withSelection(id, offset: offset, count: count, elements: buffer.count, "read hyperslab") { memory, fileSpace in
                try check(
                    H5Dread(
                        id, T.storeKind.hdf5NativeType, memory, fileSpace, pbte_h5p_default(),
                        buffer.baseAddress), "read hyperslab")
            }
        }
    }

    public func write<T: HDF5Scalar>(_ values: [T], offset: [Int], count: [Int]) throws {
        try values.withUnsafeBufferPointer { try write($0, offset: offset, count: count) }
    }

    /// Writes a hyperslab straight from `buffer` (no copy). In an MPI solve the data is replicated: rank 0's is
    /// written (see `writeShare` for distributed data).
    public func write<T: HDF5Scalar>(_ buffer: UnsafeBufferPointer<T>, offset: [Int], count: [Int]) throws {
        try locked("write hyperslab") { id in
            try requireConversion(StoreTypeInfo(T.storeKind), to: fileTypeInfo(id), "write hyperslab")
            try writeSelection(id, buffer, offset: offset, count: count, contributes: ParallelIO.rank == 0, "write hyperslab")
        }
    }

    /// Writes this process's own block of a distributed array (every process calls it with its block); in the
    /// serial build the same as `write(_:offset:count:)`.
    public func writeShare<T: HDF5Scalar>(_ buffer: UnsafeBufferPointer<T>, offset: [Int], count: [Int]) throws {
        try locked("write hyperslab") { id in
            try requireConversion(StoreTypeInfo(T.storeKind), to: fileTypeInfo(id), "write hyperslab")
            try writeSelection(id, buffer, offset: offset, count: count, contributes: true, "write hyperslab")
        }
    }

    public func writeShare<T: HDF5Scalar>(_ values: [T], offset: [Int], count: [Int]) throws {
        try values.withUnsafeBufferPointer { try writeShare($0, offset: offset, count: count) }
    }

    /// Grows (or shrinks) a chunked dataset within its maximum extent.
    /// Grows the first dimension to `row + 1` and writes `values` as row `row` (a time or event series).
    public func writeRow<T: HDF5Scalar>(_ values: [T], at row: Int) throws {
        var s = try shape()
        s[0] = row + 1
        try extend(to: s)
        var offset = s.map { _ in 0 }; offset[0] = row
        var count = s; count[0] = 1
        try write(values, offset: offset, count: count)
    }

    public func extend(to shape: [Int]) throws {
        try locked("extend dataset") { id in
            guard shape.count == (try extentLocked(id).shape.count), shape.allSatisfy({ $0 >= 0 }) else {
                throw shapeError("extend dataset", "new shape \(shape) has the wrong rank or a negative size")
            }
            let dims = shape.map { hsize_t($0) }
            try check(H5Dset_extent(id, dims), "extend dataset")
        }
    }

    // MARK: Internals (all run under the store lock)

    private func locked<R>(_ operation: String, _ body: (hid_t) throws -> R) throws -> R {
        try hdf5Locked { try body(objectRef.id()) }
    }

    @discardableResult
    private func check(_ value: hid_t, _ operation: String) throws -> hid_t {
        try h5check(value, file: file.path, object: path, operation)
    }

    @discardableResult
    private func check(_ value: Int32, _ operation: String) throws -> Int32 {
        try h5check(value, file: file.path, object: path, operation)
    }

    private func shapeError(_ operation: String, _ message: String) -> StoreError {
        StoreError(.shapeMismatch, file: file.path, object: path, operation: operation, message: message)
    }

    private func extent() throws -> (shape: [Int], maxShape: [Int?]) {
        try locked("query shape") { id in try extentLocked(id) }
    }

    private func extentLocked(_ id: hid_t) throws -> (shape: [Int], maxShape: [Int?]) {
        let space = try check(H5Dget_space(id), "query shape")
        defer { H5Sclose(space) }
        return try dataspaceExtent(space, file: file.path, object: path)
    }

    private func elementCount(_ id: hid_t) throws -> Int {
        try extentLocked(id).shape.reduce(1, *)
    }

    private func fileTypeInfo(_ id: hid_t) throws -> StoreTypeInfo {
        let type = try check(H5Dget_type(id), "query type")
        defer { H5Tclose(type) }
        guard let info = StoreTypeInfo(hdf5Type: type) else {
            throw hdf5Error(file: file.path, object: path, "query type")
        }
        return info
    }

    private func requireConversion(_ from: StoreTypeInfo, to target: StoreTypeInfo, _ operation: String) throws {
        guard from.convertsLosslessly(to: target) else {
            throw StoreError(
                .typeMismatch, file: file.path, object: path, operation: operation,
                message: "cannot convert \(from) to \(target) without loss")
        }
    }

    /// Writes `buffer` to the selection; in an MPI solve collectively, a process that does not contribute taking
    /// part with an empty selection.
    private func writeSelection<T: HDF5Scalar>(
        _ id: hid_t, _ buffer: UnsafeBufferPointer<T>, offset: [Int], count: [Int],
        contributes: Bool, _ operation: String
    ) throws {
        let body: (hid_t, hid_t) throws -> Void = { memory, fileSpace in
            let dxpl = try self.check(ParallelIO.writeTransfer(), operation)
            defer { ParallelIO.closeTransfer(dxpl) }
            try self.check(H5Dwrite(id, T.storeKind.hdf5NativeType, memory, fileSpace, dxpl, buffer.baseAddress), operation)
        }
        if !ParallelIO.enabled {
            try withSelection(id, offset: offset, count: count, elements: buffer.count, operation, body)
            return
        }
        let elements = contributes ? buffer.count : 0
        try withSelection(
            id, offset: offset, count: contributes ? count : count.map { _ in 0 }, elements: elements,
            collective: true, operation, body)
    }

    /// Selects `offset`/`count` in the file space and builds a matching memory space. With `collective`, an empty
    /// selection still runs `body` (with nothing selected), since every process must join a collective transfer.
    private func withSelection(
        _ id: hid_t, offset: [Int], count: [Int], elements: Int, collective: Bool = false,
        _ operation: String, _ body: (hid_t, hid_t) throws -> Void
    ) throws {
        let fileSpace = try check(H5Dget_space(id), operation)
        defer { H5Sclose(fileSpace) }
        let shape = try dataspaceExtent(fileSpace, file: file.path, object: path).shape
        guard offset.count == shape.count, count.count == shape.count else {
            throw shapeError(operation, "offset/count rank \(offset.count)/\(count.count) does not match dataset rank \(shape.count)")
        }
        for d in 0..<shape.count where offset[d] < 0 || count[d] < 0 || offset[d] + count[d] > shape[d] {
            throw shapeError(operation, "offset \(offset) + count \(count) exceeds shape \(shape)")
        }
        let n = count.reduce(1, *)
        let nothing = collective && elements == 0 // a process that joins a collective write with no data
        guard elements == n || nothing else {
            throw shapeError(operation, "buffer has \(elements) elements, selection has \(n)")
        }
        if n == 0 || nothing {
            guard collective else { return }
            let memory = try check(H5Screate(H5S_SCALAR), operation)
            defer { H5Sclose(memory) }
            try check(H5Sselect_none(memory), operation)
            try check(H5Sselect_none(fileSpace), operation)
            try body(memory, fileSpace)
            return
        }
        if shape.isEmpty {
            try body(pbte_h5s_all(), pbte_h5s_all())
            return
        }
        let start = offset.map { hsize_t($0) }
        let counts = count.map { hsize_t($0) }
        try check(H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, start, nil, counts, nil), operation)
        let memory = try check(H5Screate_simple(Int32(counts.count), counts, nil), operation)
        defer { H5Sclose(memory) }
        try body(memory, fileSpace)
    }
}
