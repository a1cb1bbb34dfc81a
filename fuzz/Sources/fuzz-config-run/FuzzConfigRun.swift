import Foundation
import FuzzSupport
import Ingest
import Config
import Model
import Solve
import Store

// The configuration-to-run path: bytes → TOML text → RunConfig.parse → the checks against the mesh
// (check(against:): interface tags, walls covering every boundary once) → SolveStage.run, which sets up the regions,
// materials, walls, interfaces and sources and solves, writing a run file. Inputs live in this process's directory
// in /dev/shm, made at start-up; the seeds name them relatively (paths in a run file are relative to it):
//   gray.h5     gray medium, 2 polar × 4 azimuthal = 8 modes (speed 1000 m/s, MFP 100 nm)
//   si.h5 ge.h5 two gray media of other speeds, MFPs and heat capacities (the regions of bilayer.h5)
//   box.h5      100 × 100 × 300 nm box, 1 × 1 × 3 cells (18 tets), sides xmin … zmax (tags 1 … 6)
//   bilayer.h5  heterostructure 100 × 100 × 200 nm, regions "si" (z < 100 nm) and "ge", 12 tets, tag 7 "interface"
//   sphere.h5   the box with every boundary face tagged 1 "surface" (stands in for the nanoparticle mesh)
// The budget is cut after parsing so no input can run long: at most 3 events and 40 sweeps (Krylov iterations)
// per event. A run naming a file outside the directory is parsed and checked but not solved (it could name a FIFO).
// A parse error must name the run file, as RunConfig promises; after that any thrown error is fine.

let workDir = fuzzWorkDirectory("fuzz-config-run")
let configPath = workDir + "/run.toml"
let outputPath = workDir + "/run.h5"

let meshes: [String: TetMesh] = {
    let prov = try! Provenance(inputs: [], checksums: [])
    _ = try! SyntheticIngest.writeGray(
        polar: 2, azimuthal: 4, speed: 1000, meanFreePath: 1e-7, heatCapacity: 1e6,
        temperature: 300, to: workDir + "/gray.h5")
    _ = try! SyntheticIngest.writeGray(
        polar: 2, azimuthal: 4, speed: 1200, meanFreePath: 2e-7, heatCapacity: 1.6e6,
        temperature: 300, to: workDir + "/si.h5")
    _ = try! SyntheticIngest.writeGray(
        polar: 2, azimuthal: 4, speed: 700, meanFreePath: 5e-8, heatCapacity: 1.7e6,
        temperature: 300, to: workDir + "/ge.h5")
    let box = try! SyntheticIngest.writeBox(cells: (1, 1, 3), lengths: Vector3(1e-7, 1e-7, 3e-7), to: workDir + "/box.h5")
    let bilayer = try! MeshGenerators.heterostructure(
        cells: (1, 1), layers: (1, 1), lengths: Vector3(1e-7, 1e-7, 2e-7),
        splitZ: 1e-7, regionNames: ("si", "ge"))
    try! MeshFile.write(bilayer, to: workDir + "/bilayer.h5", provenance: prov)
    var sphere = box
    sphere.boundaryFaces = box.boundaryFaces.map { TetMesh.BoundaryFace(tet: $0.tet, face: $0.face, tag: 1) }
    sphere.boundaryNames = [1: "surface"]
    try! MeshFile.write(sphere, to: workDir + "/sphere.h5", provenance: prov)
    return [workDir + "/box.h5": box, workDir + "/bilayer.h5": bilayer, workDir + "/sphere.h5": sphere]
}()

func insideWorkDirectory(_ path: String) -> Bool {
    let p = (path as NSString).standardizingPath
    return p.hasPrefix(workDir + "/") && !p.dropFirst(workDir.count + 1).contains("/")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigRun(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let text = String(decoding: bytes, as: UTF8.self)
    var parsed: RunConfig? = nil
    expectCleanRejection(naming: configPath) { parsed = try RunConfig.parse(text, file: configPath) }
    guard var cfg = parsed else { return 0 }
    cfg.events.maxEvents = min(cfg.events.maxEvents, 3)
    cfg.events.maxSweeps = min(cfg.events.maxSweeps, 40)
    do {
        if let mesh = meshes[(cfg.mesh as NSString).standardizingPath] { try cfg.check(against: mesh) }
        guard cfg.inputFiles.dropFirst().filter({ !$0.isEmpty }).allSatisfy(insideWorkDirectory) else { return 0 }
        try Data(bytes).write(to: URL(fileURLWithPath: configPath))
        _ = try SolveStage.run(config: cfg, output: outputPath, resume: false)
        if fuzzVerbose { print("solved") }
    } catch {
        if fuzzVerbose { print("solve rejected: \(error)") }
    }
    try? FileManager.default.removeItem(atPath: outputPath)
    try? FileManager.default.removeItem(atPath: outputPath + ".partial")
    return 0
}

@main enum FuzzConfigRunMain {
    static func main() {
        _ = meshes
        let rc = runLibFuzzer(fuzzConfigRun)
        exit(rc)
    }
}
