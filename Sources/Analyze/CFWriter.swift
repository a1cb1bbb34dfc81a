import Store

/// CF-convention variables: every variable gets `units` and `long_name`; coordinates get `bounds`;
/// averages get `cell_methods`; empty bins are written as `_FillValue`.
struct CFWriter {
    let file: NetCDFFile
    static let fill = 9.969209968386869e36

    @discardableResult
    func variable<T: NetCDFScalar>(_ name: String, _ type: T.Type, _ dims: [String], units: String, long: String,
                                   values: [T], cellMethods: String? = nil) throws -> NetCDFVariable {
        let v: NetCDFVariable
        if T.self == Double.self {
            v = try file.defineVariable(name, of: Double.self, dimensions: dims, fillValue: Self.fill)
            try v.write(values.map { ($0 as! Double).isNaN ? Self.fill : $0 as! Double })
        } else {
            v = try file.defineVariable(name, of: T.self, dimensions: dims)
            try v.write(values)
        }
        try v.setAttribute("units", units)
        try v.setAttribute("long_name", long)
        if let cm = cellMethods { try v.setAttribute("cell_methods", cm) }
        return v
    }

    /// A Double variable to be filled slab by slab.
    func define(_ name: String, _ dims: [String], units: String, long: String, cellMethods: String? = nil,
                chunk: [Int]? = nil) throws -> SlabWriter {
        let v = try file.defineVariable(name, of: Double.self, dimensions: dims,
                                        options: NetCDFVariableOptions(chunk: chunk, deflateLevel: chunk == nil ? nil : 1, shuffle: chunk != nil),
                                        fillValue: Self.fill)
        try v.setAttribute("units", units)
        try v.setAttribute("long_name", long)
        if let cm = cellMethods { try v.setAttribute("cell_methods", cm) }
        return SlabWriter(variable: v)
    }

    /// A coordinate variable with its (n, 2) bounds.
    func coordinate(_ name: String, units: String, long: String, edges: [Double], axis: String?) throws {
        let n = edges.count - 1
        let v = try variable(name, Double.self, [name], units: units, long: long,
                             values: (0..<n).map { 0.5 * (edges[$0] + edges[$0 + 1]) })
        try v.setAttribute("bounds", "\(name)_bounds")
        if let axis { try v.setAttribute("axis", axis) }
        let b = try file.defineVariable("\(name)_bounds", of: Double.self, dimensions: [name, "nv"])
        try b.write((0..<n).flatMap { [edges[$0], edges[$0 + 1]] })
        try b.setAttribute("units", units)
    }
}

struct SlabWriter {
    let variable: NetCDFVariable
    func write(_ values: [Double], start: [Int], count: [Int]) throws {
        try variable.write(values.map { $0.isNaN ? CFWriter.fill : $0 }, start: start, count: count)
    }
}
