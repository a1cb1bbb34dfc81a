import ArgumentParser
import Foundation
import Analyze
import Model

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analyze",
        abstract: "Turn a run file into CF NetCDF products (+ an XDMF sidecar for ParaView); never re-solves.")

    @Argument(help: "Run file written by `pbte-pipeline solve`.") var runFile: String
    @Option(name: .shortAndLong, help: "Output NetCDF file.") var output: String
    @Option(help: "Binning: radial or slab-x, slab-y, slab-z.") var binning = "radial"
    @Option(help: "Number of spatial bins.") var bins = 20
    @Option(help: "Centre of radial bins, e.g. \"0 0 0 nm\" (default: bounding-box centre).") var center: String?
    @Option(help: "Outer radius of radial bins, e.g. \"100 nm\" (default: farthest node).") var radius: String?
    @Option(help: "Frequency bins of the surface arrival map.") var energyBins = 20
    @Option(help: "Latitude bins of the angular surface map (twice as many longitudes).") var angularBins = 12
    @Option(help: "Interface resistance: exclude nodes this close to walls and interfaces, e.g. \"100 nm\".") var tirMargin = "0 nm"
    @OptionGroup var progress: ProgressOptions

    func run() throws {
        try failing {
            var o = AnalysisOptions()
            o.energyBins = energyBins
            guard angularBins >= 1 else { throw ValidationError("--angular-bins must be ≥ 1") }
            o.angularBins = angularBins
            o.tirMargin = try Quantity.parse(tirMargin, .length)
            guard bins >= 1, energyBins >= 1 else { throw ValidationError("--bins and --energy-bins must be ≥ 1") }
            switch binning {
            case "radial":
                var c: Vector3? = nil
                if let s = center {
                    do { c = try Quantity.parseVector(s, .length) } catch let e as Quantity.ParseError { throw ValidationError("--center: \(e.message)") }
                }
                o.binning = .radial(center: c, bins: bins, radius: try radius.map { try Quantity.parse($0, .length) })
            case "slab-x": o.binning = .slab(axis: 0, bins: bins)
            case "slab-y": o.binning = .slab(axis: 1, bins: bins)
            case "slab-z": o.binning = .slab(axis: 2, bins: bins)
            default: throw ValidationError("--binning: expected radial, slab-x, slab-y or slab-z, found '\(binning)'")
            }
            try AnalyzeStage.run(runPath: runFile, output: output, options: o,
                                 commandLine: CommandLine.arguments.joined(separator: " "), progress: progress.reporter())
            print(output)
        }
    }
}
