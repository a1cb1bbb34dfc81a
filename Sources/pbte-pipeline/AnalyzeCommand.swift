import ArgumentParser
import Foundation
import Analyze
import Config
import Model

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Turn a run file into CF NetCDF products (+ an XDMF sidecar for ParaView); never re-solves.")

    @Argument(help: "Run file written by `pbte-pipeline solve`.") var runFile: String
    @Option(name: .shortAndLong, help: "Output NetCDF file.") var output: String
    @Option(help: "Binning: radial or slab-x, slab-y, slab-z (default: radial).") var binning: String?
    @Option(help: "Number of spatial bins (default: 20).") var bins: Int?
    @Option(help: "Centre of radial bins, e.g. \"0 0 0 nm\" (default: bounding-box centre).") var center: String?
    @Option(help: "Outer radius of radial bins, e.g. \"100 nm\" (default: farthest node).") var radius: String?
    @Option(help: "Frequency bins of the surface arrival map (default: 20).") var energyBins: Int?
    @Option(help: "Latitude bins of the angular surface map, twice as many longitudes (default: 12).") var angularBins: Int?
    @Option(help: "Interface resistance: exclude nodes this close to walls and interfaces, e.g. \"100 nm\" (default: 0 nm).") var tirMargin: String?
    @Option(
        name: .customLong("options"),
        help:
            "An analysis file: the options above as an [analysis] table of TOML (binning, bins, center, radius, energy_bins, angular_bins, tir_margin), instead of the flags."
    )
    var optionsFile: String?
    @OptionGroup var progress: ProgressOptions

    func run() throws {
        try failing {
            let o: AnalysisOptions
            if let optionsFile {
                let flags: [Any?] = [binning, bins, center, radius, energyBins, angularBins, tirMargin]
                guard flags.allSatisfy({ $0 == nil }) else {
                    throw ValidationError("give the analysis options either in --options \(optionsFile) or as flags, not both")
                }
                let c = try AnalysisConfig.load(path: optionsFile)
                do {
                    o = try AnalysisOptions.parse(
                        binning: c.binning ?? "radial", bins: c.bins ?? 20, center: c.center, radius: c.radius,
                        energyBins: c.energyBins ?? 20, angularBins: c.angularBins ?? 12, tirMargin: c.tirMargin ?? "0 nm")
                } catch let e as AnalysisOptions.Invalid { throw c.error(e.description) }
            } else {
                do {
                    o = try AnalysisOptions.parse(
                        binning: binning ?? "radial", bins: bins ?? 20, center: center, radius: radius,
                        energyBins: energyBins ?? 20, angularBins: angularBins ?? 12, tirMargin: tirMargin ?? "0 nm")
                } catch let e as AnalysisOptions.Invalid { throw ValidationError(e.description) }
            }
            try AnalyzeStage.run(
                runPath: runFile, output: output, options: o,
                commandLine: CommandLine.arguments.joined(separator: " "), progress: progress.reporter())
            print(output)
        }
    }
}
