/// Writing and reading datasets together with their `units`, the way every schema field is stored.
extension HDF5Container {
    public func put<T: HDF5Scalar>(
        _ path: String, _ values: [T], shape: [Int], units: String,
        options: HDF5DatasetOptions = .init()
    ) throws {
        try writeDataset(path, values, shape: shape, options: options)
        let ds = try openDataset(path)
        try ds.setAttribute("units", units)
    }

    public func putScalar<T: HDF5Scalar>(_ path: String, _ value: T, units: String) throws {
        try put(path, [value], shape: [], units: units)
    }

    /// Reads a dataset after checking its `units` attribute, so a file in other units is never misread.
    public func get<T: HDF5Scalar>(_ path: String, as: T.Type = T.self, units: String) throws -> [T] {
        let ds = try openDataset(path)
        let u = (try? ds.stringAttribute("units")) ?? "(none)"
        guard u == units else {
            throw StoreError(
                .typeMismatch, file: ds.filePath, object: path, operation: "read dataset",
                message: "expected units '\(units)', found '\(u)'")
        }
        return try ds.read(as: T.self)
    }
}
