import Store

/// CF-convention variables: every variable gets `units` and `long_name`; coordinates get `bounds` (bounds carry no
/// units of their own, CF §7.1) and no `_FillValue` (CF §5: coordinate values are never missing); averages get
/// `cell_methods`; empty bins of data variables are written as `_FillValue`. Nodal fields are tied to the UGRID mesh
/// (`mesh`, `location`, `coordinates`) and to the node volumes (`cell_measures`), see `MeshProducts`.
struct CFWriter {
    let file: NetCDFFile
    static let fill = 9.969209968386869e36

    @discardableResult
    func variable<T: NetCDFScalar>(
        _ name: String, _ type: T.Type, _ dims: [String], units: String, long: String,
        values: [T], cellMethods: String? = nil, fill: Bool = true
    ) throws -> NetCDFVariable {
        let v: NetCDFVariable
        if T.self == Double.self && fill {
            v = try file.defineVariable(name, of: Double.self, dimensions: dims, fillValue: Self.fill)
            try v.write(values.map { ($0 as! Double).isNaN ? Self.fill : $0 as! Double })
        } else {
            v = try file.defineVariable(name, of: T.self, dimensions: dims)
            try v.write(values)
        }
        try v.setAttribute("units", units)
        try v.setAttribute("long_name", long)
        if let cm = cellMethods { try v.setAttribute("cell_methods", cm) }
        if dims.first == "node" || (dims.count > 1 && dims[1] == "node") { try MeshProducts.tieToMesh(v) }
        return v
    }

    /// A Double variable to be filled slab by slab.
    func define(
        _ name: String, _ dims: [String], units: String, long: String, cellMethods: String? = nil,
        chunk: [Int]? = nil
    ) throws -> SlabWriter {
        let v = try file.defineVariable(
            name, of: Double.self, dimensions: dims,
            options: NetCDFVariableOptions(chunk: chunk, deflateLevel: chunk == nil ? nil : 1, shuffle: chunk != nil),
            fillValue: Self.fill)
        try v.setAttribute("units", units)
        try v.setAttribute("long_name", long)
        if let cm = cellMethods { try v.setAttribute("cell_methods", cm) }
        if dims.contains("node") { try MeshProducts.tieToMesh(v) }
        return SlabWriter(variable: v)
    }

    /// A coordinate variable with its (n, 2) bounds; `positive` for a vertical axis (CF §4.3).
    func coordinate(
        _ name: String, units: String, long: String, edges: [Double], axis: String?,
        positive: String? = nil
    ) throws {
        let n = edges.count - 1
        let v = try variable(
            name, Double.self, [name], units: units, long: long,
            values: (0..<n).map { 0.5 * (edges[$0] + edges[$0 + 1]) }, fill: false)
        try v.setAttribute("bounds", "\(name)_bounds")
        if let axis { try v.setAttribute("axis", axis) }
        if let positive { try v.setAttribute("positive", positive) }
        let b = try file.defineVariable("\(name)_bounds", of: Double.self, dimensions: [name, "nv"])
        try b.write((0..<n).flatMap { [edges[$0], edges[$0 + 1]] })
    }
}

struct SlabWriter {
    let variable: NetCDFVariable
    func write(_ values: [Double], start: [Int], count: [Int]) throws {
        try variable.write(values.map { $0.isNaN ? CFWriter.fill : $0 }, start: start, count: count)
    }
}
