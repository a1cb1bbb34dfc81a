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
            let flags: [Any?] = [binning, bins, center, radius, energyBins, angularBins, tirMargin]
            if let optionsFile, !flags.allSatisfy({ $0 == nil }) {
                throw ValidationError("give the analysis options either in --options \(optionsFile) or as flags, not both")
            }
            // One source of values, the flags or the file; AnalysisOptions.parse fills in the defaults and checks.
            let file = try optionsFile.map { try AnalysisConfig.load(path: $0) }
            let o: AnalysisOptions
            do {
                o = try AnalysisOptions.parse(
                    binning: file?.binning ?? binning, bins: file?.bins ?? bins, center: file?.center ?? center,
                    radius: file?.radius ?? radius, energyBins: file?.energyBins ?? energyBins,
                    angularBins: file?.angularBins ?? angularBins, tirMargin: file?.tirMargin ?? tirMargin)
            } catch let e as AnalysisOptions.Invalid { throw file.map { $0.error(e.description) } ?? ValidationError(e.description) }
            try AnalyzeStage.run(
                runPath: runFile, output: output, options: o,
                commandLine: CommandLine.arguments.joined(separator: " "), progress: progress.reporter())
            print(output)
        }
    }
}
