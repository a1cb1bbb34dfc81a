import Foundation
import Model

/// What to bin and how; chosen on the command line. Everything the products depend on is recorded in the output.
public struct AnalysisOptions: Sendable, Equatable {
    public enum Binning: Sendable, Equatable {
        /// Spherical shells about a centre (default: the mesh's bounding-box centre) out to `radius` (default: farthest node).
        case radial(center: Vector3?, bins: Int, radius: Double?)
        /// Slabs along axis 0/1/2 between the mesh's extremes.
        case slab(axis: Int, bins: Int)
    }
    public var binning: Binning = .radial(center: nil, bins: 20, radius: nil)
    public var energyBins: Int = 20
    /// Latitude bins of the angular surface map (longitude gets twice as many).
    public var angularBins: Int = 12
    /// Interface resistance fits exclude nodes closer than this to walls and the interface (m).
    public var tirMargin: Double = 0
    public init() {}

    /// Axis of slab binning, else z: the direction of the interface-resistance fits.
    public var axis: Int {
        if case .slab(let a, _) = binning { return a }
        return 2
    }

    public var summary: String {
        switch binning {
        case .radial(let c, let b, let r):
            return
                "radial bins=\(b) center=\(c.map { "\($0.x),\($0.y),\($0.z)" } ?? "bbox-center") radius=\(r.map { "\($0)" } ?? "max"); energy_bins=\(energyBins)"
        case .slab(let a, let b):
            return "slab axis=\(["x", "y", "z"][a]) bins=\(b); energy_bins=\(energyBins); tir_margin=\(tirMargin) m"
        }
    }
}

extension AnalysisOptions {
    /// An option the products cannot be made with; `description` names the option and the value.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// The options as the command line spells them, checked before anything is read: every count allocates bins
    /// up front, so a count beyond these bounds is refused rather than attempted. nil takes the default (radial,
    /// 20 bins, 20 energy bins, 12 latitudes, no margin), whether the value came from a flag or an analysis file.
    public static func parse(
        binning: String? = nil, bins: Int? = nil, center: String? = nil, radius: String? = nil,
        energyBins: Int? = nil, angularBins: Int? = nil, tirMargin: String? = nil
    ) throws -> AnalysisOptions {
        let binning = binning ?? "radial", bins = bins ?? 20, energyBins = energyBins ?? 20
        let angularBins = angularBins ?? 12, tirMargin = tirMargin ?? "0 nm"
        func require(_ option: String, _ value: Int, _ range: ClosedRange<Int>) throws {
            guard range.contains(value) else {
                throw Invalid(description: "\(option) must lie in \(range.lowerBound)…\(range.upperBound), found \(value)")
            }
        }
        func length(_ option: String, _ text: String) throws -> Double {
            do { return try Quantity.parse(text, .length) } catch let e as Quantity.ParseError {
                throw Invalid(description: "\(option): \(e.message)")
            }
        }
        try require("--bins", bins, 1...100_000)
        try require("--energy-bins", energyBins, 1...10_000)
        try require("--angular-bins", angularBins, 1...1_000)
        var o = AnalysisOptions()
        o.energyBins = energyBins
        o.angularBins = angularBins
        o.tirMargin = try length("--tir-margin", tirMargin)
        guard o.tirMargin.isFinite, o.tirMargin >= 0 else { throw Invalid(description: "--tir-margin must be finite and ≥ 0, found \"\(tirMargin)\"") }
        switch binning {
        case "radial":
            var c: Vector3? = nil
            if let s = center {
                do { c = try Quantity.parseVector(s, .length) } catch let e as Quantity.ParseError {
                    throw Invalid(description: "--center: \(e.message)")
                }
            }
            // Beyond a metre a nanoscale product means nothing, and squared distances would overflow.
            if let c, [c.x, c.y, c.z].contains(where: { abs($0) > 1 }) {
                throw Invalid(description: "--center must lie within 1 m of the origin in each coordinate, found \"\(center!)\"")
            }
            let r = try radius.map { try length("--radius", $0) }
            if let r, !(r > 0 && r <= 1) { throw Invalid(description: "--radius must be positive and at most 1 m, found \"\(radius!)\"") }
            o.binning = .radial(center: c, bins: bins, radius: r)
        case "slab-x": o.binning = .slab(axis: 0, bins: bins)
        case "slab-y": o.binning = .slab(axis: 1, bins: bins)
        case "slab-z": o.binning = .slab(axis: 2, bins: bins)
        default: throw Invalid(description: "--binning: expected radial, slab-x, slab-y or slab-z, found '\(binning)'")
        }
        return o
    }
}
