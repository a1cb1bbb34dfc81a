/// Where each region's part lies in a system vector: the regions' parts end to end, region r holding `sizes[r]`
/// entries from `offsets[r]`. One layout serves the volume vectors (sources, ψ), the boundary traces and inflow, the
/// traces over every mode (the MPI `whole` vector) and the DG corner values, so that no caller rebuilds offsets.
///
/// Reading a part goes through `withPart`, a view without a copy; `part` copies only where the system has several
/// regions (with one, the part is the vector itself, shared copy-on-write).
public struct RegionLayout: Sendable, Equatable {
    public let offsets: [Int]
    public let sizes: [Int]
    /// The length of a system vector.
    public let count: Int

    public init(sizes: [Int]) {
        var o = [Int](), s = 0
        for n in sizes { o.append(s); s += n }
        offsets = o; self.sizes = sizes; count = s
    }

    public var regionCount: Int { sizes.count }

    public func range(_ r: Int) -> Range<Int> { offsets[r]..<(offsets[r] + sizes[r]) }

    /// The region holding entry i of a system vector, and i's place in that region's part.
    public func locate(_ i: Int) -> (region: Int, index: Int) {
        let r = offsets.lastIndex { $0 <= i }!
        return (r, i - offsets[r])
    }

    public func zeros() -> [Double] { [Double](repeating: 0, count: count) }

    /// Region r's part of x, read in place.
    public func withPart<R>(of x: [Double], _ r: Int, _ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        precondition(x.count == count, "a system vector of \(count) entries, found \(x.count)")
        return try x.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range(r)])) }
    }

    /// Region r's part of x as an array of its own.
    public func part(of x: [Double], _ r: Int) -> [Double] {
        precondition(x.count == count, "a system vector of \(count) entries, found \(x.count)")
        return sizes.count == 1 ? x : Array(x[range(r)])
    }

    public func parts(of x: [Double]) -> [[Double]] { sizes.indices.map { part(of: x, $0) } }

    /// A system vector from the regions' parts.
    public func join(_ parts: [[Double]]) -> [Double] {
        precondition(parts.map(\.count) == sizes, "parts of \(sizes) entries, found \(parts.map(\.count))")
        return parts.count == 1 ? parts[0] : parts.flatMap { $0 }
    }

    /// Writes region r's part of x.
    public func place(_ part: [Double], into x: inout [Double], _ r: Int) {
        precondition(part.count == sizes[r] && x.count == count, "region \(r): a part of \(sizes[r]) entries, found \(part.count)")
        let o = offsets[r]
        x.withUnsafeMutableBufferPointer { p in
            part.withUnsafeBufferPointer { q in (p.baseAddress! + o).update(from: q.baseAddress!, count: q.count) }
        }
    }
}
