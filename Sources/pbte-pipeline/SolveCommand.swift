import ArgumentParser
import Foundation
import Solve
import Config

struct Solve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Solve the scattering-event recursion for a run configuration and write the run file.",
        discussion: "A killed solve resumes from its last complete event when run again with the same inputs.")

    @Argument(help: "Run configuration (TOML, data-schema/run-config.md).")
    var config: String

    @Option(name: .shortAndLong, help: "Output run file (HDF5).")
    var output: String

    @Flag(name: .long, help: "Start afresh even if an interrupted run of the same configuration can be resumed.")
    var restart = false

    @Flag(name: .long, help: "Print what the run would need on disk and in memory and each interface kernel's Landauer conductance, and stop.")
    var dryRun = false

    @Flag(name: .long, help: "Start even when the disk or the memory looks too small for the run.")
    var force = false

    @OptionGroup var progress: ProgressOptions

    func run() throws {
        try failing {
            let cfg = try RunConfig.load(path: config)
            if dryRun {
                let dry = try SolveStage.dryRun(config: cfg)
                print("\(config): \(dry.estimate)")
                for i in dry.interfaces {
                    print(String(format: "interface %d: %@, Landauer conductance %.4g MW m-2 K-1", i.tag, i.name, i.landauerConductance / 1e6))
                    print("  \(i.description)")
                    for w in i.warnings { print("  warning: \(w)") }
                }
                let (disk, memory) = RunSizeEstimate.available(forOutput: output)
                print(
                    "available: disk \(disk.map { String(format: "%.2f GB", $0 / 1e9) } ?? "unknown"), memory \(memory.map { String(format: "%.2f GB", $0 / 1e9) } ?? "unknown")"
                )
                return
            }
            let report = try SolveStage.run(
                config: cfg, output: output, resume: !restart, force: force, progress: progress.reporter(),
                warn: { FileHandle.standardError.write(Data("warning: \($0)\n".utf8)) })
            if let t = report.transient {
                if !progress.quiet {
                    let left = t.energyLeft.map { String(format: ", energy left %.4g of the initial", $0) } ?? ""
                    FileHandle.standardError.write(
                        Data(
                            String(
                                format: "  solved: %d steps%@ (%d stored), %d sweeps, %.1f s%@\n",
                                t.steps, t.resumedFrom > 0 ? " (resumed after \(t.resumedFrom))" : "",
                                t.stored, t.sweeps, t.seconds, left
                            ).utf8))
                }
                print(output)
                return
            }
            if !progress.quiet {
                FileHandle.standardError.write(
                    Data(
                        String(
                            format: "  solved: %d events%@, %d sweeps, %.1f s, converged: %@, max balance error %.1e\n",
                            report.events, report.resumedFrom > 0 ? " (resumed after \(report.resumedFrom))" : "",
                            report.sweeps, report.seconds, report.converged ? "yes" : "no", report.maxClosure
                        ).utf8))
            }
            print(output)
        }
    }
}
