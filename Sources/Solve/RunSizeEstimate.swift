import Foundation
import Model
import Config
#if canImport(Glibc)
    import Glibc
#endif

/// What a run will need before it starts: the run file on disk and the solver's arrays in memory, so that a
/// configuration that cannot finish is refused with the figures instead of failing hours in (`solve --dry-run`).
///
/// Disk: every event's ψ (modes × nodes) and boundary flux (modes × faces) at the output precision, the
/// double-buffered Float64 checkpoint traces (2 × modes × 3 faces), the accumulated ψ and the remainder.
/// Memory: the event recursion's volume vectors (ψ^(m), Σψ, G: 3 × modes × nodes) and boundary vectors (traces,
/// inflow), the Krylov basis of the remainder (restart + 1 vectors of both) and a dense collision matrix if any —
/// the model `make bench` checks against the measured peak (within 1.5×).
public struct RunSizeEstimate: Sendable, CustomStringConvertible {
    public var diskBytes: Double
    public var memoryBytes: Double
    public var events: Int

    public init(
        regions: [(modes: Int, nodes: Int, faces: Int, denseCollision: Bool)], events: Int,
        krylovRestart: Int, float32: Bool, remainder: Bool
    ) {
        let width = float32 ? 4.0 : 8.0
        var disk = 0.0, volume = 0.0, boundary = 0.0, matrices = 0.0
        for r in regions {
            let nm = Double(r.modes), nn = Double(r.nodes), nf = Double(r.faces)
            disk += Double(events) * nm * (nn + nf) * width + 2 * nm * 3 * nf * 8 + (remainder ? 2 : 1) * nm * nn * width
            volume += nm * nn * 8
            boundary += nm * 3 * nf * 8
            if r.denseCollision { matrices += nm * nm * 8 }
        }
        // The header (modes, mesh, indices: ~30 values per mode and per node, per region) and HDF5's own metadata
        // (object headers, chunk indices: a few percent and ~100 kB), so that the figure is an upper bound.
        for r in regions { disk += 8 * (30 * Double(r.modes) + 30 * Double(r.nodes) + 10 * Double(r.faces)) }
        diskBytes = 1.05 * disk + 131_072
        memoryBytes = 3 * volume + 2 * boundary + Double((remainder ? krylovRestart : 0) + 1) * (volume + boundary) + matrices
        self.events = events
    }

    public var description: String {
        String(format: "run file ≤ %@ for %d events, solver memory ≈ %@", Self.format(diskBytes), events, Self.format(memoryBytes))
    }

    static func format(_ b: Double) -> String {
        b >= 1e9 ? String(format: "%.2f GB", b / 1e9) : b >= 1e6 ? String(format: "%.1f MB", b / 1e6) : String(format: "%.0f kB", b / 1e3)
    }

    /// Free bytes where `path` will be written, and the memory this machine can give (MemAvailable).
    public static func available(forOutput path: String) -> (disk: Double?, memory: Double?) {
        var st = statvfs()
        let dir = (path as NSString).deletingLastPathComponent
        let disk = statvfs(dir.isEmpty ? "." : dir, &st) == 0 ? Double(st.f_bavail) * Double(st.f_frsize) : nil
        var memory: Double? = nil
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
            let kb = Double(line.split(separator: " ").dropFirst().first ?? "")
        {
            memory = kb * 1024
        }
        return (disk, memory)
    }

    /// Throws with the figures when the disk or the memory cannot hold the run.
    public func check(output: String, alreadyOnDisk: Double = 0) throws {
        let (disk, memory) = Self.available(forOutput: output)
        var problems: [String] = []
        if let disk, diskBytes - alreadyOnDisk > disk {
            problems.append("the run file needs up to \(Self.format(diskBytes - alreadyOnDisk)) but \(Self.format(disk)) are free where '\(output)' goes")
        }
        if let memory, memoryBytes > memory {
            problems.append("the solver needs about \(Self.format(memoryBytes)) of memory but \(Self.format(memory)) are available")
        }
        guard problems.isEmpty else {
            throw ConfigError(
                file: output, line: nil,
                problems.joined(separator: "; ") + " (fewer events, [output] precision = \"float32\", a coarser mesh or q-mesh; --force starts anyway)")
        }
    }
}
