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
            return "radial bins=\(b) center=\(c.map { "\($0.x),\($0.y),\($0.z)" } ?? "bbox-center") radius=\(r.map { "\($0)" } ?? "max"); energy_bins=\(energyBins)"
        case .slab(let a, let b):
            return "slab axis=\(["x", "y", "z"][a]) bins=\(b); energy_bins=\(energyBins); tir_margin=\(tirMargin) m"
        }
    }
}
