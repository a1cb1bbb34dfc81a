import Foundation
import Model
import Ingest

extension BenchRun {
    /// Issue 20's scale test: a gray box of a million tetrahedra and 96 directions (Λ/L = 1, black hot and cold
    /// walls, diffuse sides), solved as a user would run it, to convergence, with its wall time and peak memory.
    /// Full bench only (minutes); `--only million` runs it alone.
    func million() throws {
        let material = dir + "/gray-96.h5", meshPath = dir + "/box-1m.h5"
        if !FileManager.default.fileExists(atPath: material) {
            _ = try SyntheticIngest.writeGray(
                polar: 12, azimuthal: 8, speed: 1000, meanFreePath: 1e-6, heatCapacity: 1e6, temperature: 300, to: material)
        }
        let mesh = try SyntheticIngest.writeBox(cells: (56, 56, 56), lengths: Vector3(1e-6, 1e-6, 1e-6), to: meshPath)
        var toml = """
            [run]
            material = "\(material)"
            mesh = "\(meshPath)"

            [events]
            max_events = 12
            tolerance = 1e-4
            krylov_tolerance = 1e-6

            [[wall]]
            boundary = "zmin"
            kind = "black"
            temperature = "1 K"
            [[wall]]
            boundary = "zmax"
            kind = "black"
            temperature = "0 K"

            """
        for side in ["xmin", "xmax", "ymin", "ymax"] { toml += "[[wall]]\nboundary = \"\(side)\"\nkind = \"diffuse\"\n" }
        let tomlPath = dir + "/million.toml", out = dir + "/million.h5"
        try toml.write(toFile: tomlPath, atomically: true, encoding: .utf8)
        note("million: gray 96 modes, box \(mesh.tetCount) tets, 12 events + GMRES remainder")
        let r = try solveInChild(toml: tomlPath, output: out)
        try? FileManager.default.removeItem(atPath: out)
        let converged = r.field("converged") == 1, sweeps = Int(r.field("sweeps"))
        table.add(
            "million", "gray 96 modes, box \(mesh.tetCount) tets, to convergence (\(sweeps) sweeps): wall", value: r.seconds, unit: "s",
            display: String(format: "%.0f s, %@", r.seconds, converged ? "converged" : "NOT converged"),
            limit: "converged", ok: converged, better: .lower, normalized: table.perTriad(r.seconds))
        table.add(
            "million", "peak memory (ru_maxrss)", value: r.maxRSS / 1e9, unit: "GB",
            display: String(format: "%.2f GB", r.maxRSS / 1e9), limit: "≤ 24 GB", ok: r.maxRSS <= 24e9, better: .lower)
    }
}
