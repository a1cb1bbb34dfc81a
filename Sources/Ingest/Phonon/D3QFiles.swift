import Foundation

/// The text files of one d3q `d3_tk.x` run (`store_lw=.true.`) that together describe the modes on a grid.
public struct D3QFiles: Sendable, Equatable {
    public var q: String
    public var frequencies: String
    public var velocities: String
    /// `lw.<prefix>_T…_s….out` from d3_tk.x, or a `d3_lw.x` output on the same grid (detected by its columns).
    public var linewidth: String
    /// Further HWHM files added to the linewidth (Matthiessen): `lwiso.…`, `lwcas.…`.
    public var extraLinewidths: [String]

    public init(q: String, frequencies: String, velocities: String, linewidth: String, extraLinewidths: [String] = []) {
        self.q = q; self.frequencies = frequencies; self.velocities = velocities
        self.linewidth = linewidth; self.extraLinewidths = extraLinewidths
    }

    public var all: [String] { [q, frequencies, velocities, linewidth] + extraLinewidths }

    /// Finds `q.<prefix>.out`, `freq.`, `vel.` and `lw.<prefix>_T<T>_s<σ>.out` in `directory`. With several `lw.`
    /// configurations, `temperature` picks one by its file name (`T300`).
    public static func discover(directory: String, prefix: String, temperature: Double? = nil) throws -> D3QFiles {
        let dir = URL(fileURLWithPath: directory)
        func path(_ name: String) throws -> String {
            let p = dir.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: p) else {
                throw PhononIngestError(.io, file: p, "d3q file not found (expected for prefix '\(prefix)')")
            }
            return p
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var lw = names.filter { $0.hasPrefix("lw.\(prefix)_T") && $0.hasSuffix(".out") }.sorted()
        if let t = temperature {
            let tag = t == t.rounded() ? String(Int(t)) : String(t)
            lw = lw.filter { $0.hasPrefix("lw.\(prefix)_T\(tag)_s") }
        }
        guard lw.count == 1 else {
            let where_ = dir.appendingPathComponent("lw.\(prefix)_T*_s*.out").path
            throw PhononIngestError(
                lw.isEmpty ? .io : .invalidValue, file: where_,
                lw.isEmpty
                    ? "no linewidth file found" : "several linewidth files match (\(lw.joined(separator: ", "))); give the temperature")
        }
        return D3QFiles(
            q: try path("q.\(prefix).out"), frequencies: try path("freq.\(prefix).out"),
            velocities: try path("vel.\(prefix).out"), linewidth: try path(lw[0]))
    }
}
