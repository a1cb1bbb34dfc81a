import Foundation
import FuzzAnalyze
import FuzzSupport
import Ingest
import Model
import Solve
import Config
import Store

// The analysis options as the command line hands them over, and the analyze stage on the options that parse.
// The input is text, one field a line, in the order of AnalysisOptions.parse:
//   binning, bins, center, radius, energy bins, angular bins, TIR margin, run
// A missing line takes the command line's default (radial, 20, none, none, 20, 12, "0 nm"); a center or radius line
// of "~" is the option not given. A count line that is not an integer is read as the little-endian Int64 of its
// first 8 bytes, so any count reaches the range checks. Run "bilayer" picks the two-region run (an interface, so
// the resistance fits and decay lengths are made), anything else the box run. Both are solved once at start-up
// through SolveStage in this process's /dev/shm directory (gray media, 8 modes, 18 and 12 tets, 3 events); each
// execution writes products.nc and its XDMF sidecar there. Refusals must name the option (start with "--", as
// AnalysisOptions.Invalid promises); any error of the stage itself is fine.

let workDir = fuzzWorkDirectory("fuzz-analyze-options")
let productsPath = workDir + "/products.nc"

func solve(_ toml: String, _ name: String) -> String {
    let config = workDir + "/\(name).toml", run = workDir + "/\(name).h5"
    try! toml.write(toFile: config, atomically: true, encoding: .utf8)
    _ = try! SolveStage.run(config: try! RunConfig.load(path: config), output: run)
    return run
}

let runs: (box: String, bilayer: String) = {
    let prov = try! Provenance(inputs: [], checksums: [])
    _ = try! SyntheticIngest.writeGray(
        polar: 2, azimuthal: 4, speed: 1000, meanFreePath: 1e-7, heatCapacity: 1e6,
        temperature: 300, to: workDir + "/gray.h5")
    _ = try! SyntheticIngest.writeGray(
        polar: 2, azimuthal: 4, speed: 700, meanFreePath: 5e-8, heatCapacity: 1.7e6,
        temperature: 300, to: workDir + "/ge.h5")
    _ = try! SyntheticIngest.writeBox(cells: (1, 1, 3), lengths: Vector3(1e-7, 1e-7, 3e-7), to: workDir + "/box.h5")
    let bilayer = try! MeshGenerators.heterostructure(
        cells: (1, 1), layers: (1, 1), lengths: Vector3(1e-7, 1e-7, 2e-7),
        splitZ: 1e-7, regionNames: ("si", "ge"))
    try! MeshFile.write(bilayer, to: workDir + "/bilayer.h5", provenance: prov)
    let box = solve(
        """
        [run]
        material = "gray.h5"
        mesh = "box.h5"
        [events]
        max_events = 3
        counting = "bulk-only"
        [[wall]]
        boundary = "zmin"
        kind = "black"
        temperature = "2 K"
        [[wall]]
        boundary = "zmax"
        kind = "black"
        [[wall]]
        boundary = "xmin"
        kind = "diffuse"
        [[wall]]
        boundary = "xmax"
        kind = "specular"
        [[wall]]
        boundary = "ymin"
        kind = "diffuse"
        [[wall]]
        boundary = "ymax"
        kind = "partially-specular"
        specularity = 0.4
        [[source]]
        kind = "gaussian"
        power_density = "1e18 W m-3"
        center = "50 50 150 nm"
        width = "100 nm"
        """, "box-run")
    let two = solve(
        """
        [run]
        mesh = "bilayer.h5"
        [[material]]
        region = "si"
        file = "gray.h5"
        [[material]]
        region = "ge"
        file = "ge.h5"
        [events]
        max_events = 3
        [[interface]]
        boundary = "interface"
        kind = "dmm"
        [[wall]]
        boundary = "zmin"
        kind = "black"
        temperature = "1 K"
        [[wall]]
        boundary = "zmax"
        kind = "black"
        temperature = "0 K"
        [[wall]]
        boundary = "xmin"
        kind = "periodic"
        partner = "xmax"
        [[wall]]
        boundary = "xmax"
        kind = "periodic"
        partner = "xmin"
        [[wall]]
        boundary = "ymin"
        kind = "periodic"
        partner = "ymax"
        [[wall]]
        boundary = "ymax"
        kind = "periodic"
        partner = "ymin"
        """, "bilayer-run")
    return (box, two)
}()

func count(_ field: String?, default d: Int) -> Int {
    guard let field else { return d }
    if let n = Int(field.trimmingCharacters(in: .whitespaces)) { return n }
    var v: UInt64 = 0
    for (k, b) in field.utf8.prefix(8).enumerated() { v |= UInt64(b) << (8 * UInt64(k)) }
    return Int(Int64(bitPattern: v))
}

func optional(_ field: String?) -> String? { field == "~" ? nil : field }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAnalyzeOptions(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let f = fuzzFields(fuzzBytes(data, size), count: 8)
    let options: AnalysisOptions
    do {
        options = try AnalysisOptions.parse(
            binning: f[0] ?? "radial", bins: count(f[1], default: 20), center: optional(f[2]),
            radius: optional(f[3]), energyBins: count(f[4], default: 20),
            angularBins: count(f[5], default: 12), tirMargin: f[6] ?? "0 nm")
    } catch {
        let text = String(describing: error)
        if fuzzVerbose { print("rejected: \(text)") }
        guard error is AnalysisOptions.Invalid, text.hasPrefix("--") else { fatalError("refusal does not name the option: \(text)") }
        return 0
    }
    _ = options.summary
    do {
        try AnalyzeStage.run(runPath: f[7] == "bilayer" ? runs.bilayer : runs.box, output: productsPath, options: options)
        if fuzzVerbose { print("analyzed: \(options.summary)") }
    } catch {
        if fuzzVerbose { print("analyze failed: \(error)") }
    }
    return 0
}

@main enum FuzzAnalyzeOptionsMain {
    static func main() {
        _ = runs
        let rc = runLibFuzzer(fuzzAnalyzeOptions)
        exit(rc)
    }
}
