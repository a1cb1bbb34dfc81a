import ArgumentParser
import Foundation
import Analyze
import Model

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
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
            let o: AnalysisOptions
            do {
                o = try AnalysisOptions.parse(
                    binning: binning, bins: bins, center: center, radius: radius,
                    energyBins: energyBins, angularBins: angularBins, tirMargin: tirMargin)
            } catch let e as AnalysisOptions.Invalid { throw ValidationError(e.description) }
            try AnalyzeStage.run(
                runPath: runFile, output: output, options: o,
                commandLine: CommandLine.arguments.joined(separator: " "), progress: progress.reporter())
            print(output)
        }
    }
}
