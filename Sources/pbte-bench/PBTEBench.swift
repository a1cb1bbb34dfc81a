import ArgumentParser
import Foundation
import Solve
import Config

/// `pbte-bench`: the solver on standard problems, one table, each figure beside the limit it is measured against
/// and relative to a reference this run measures on the same machine (docs/performance.md). Sections: drift,
/// collisions, storage, end to end (Si nanoparticle), scaling.
@main
struct PBTEBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pbte-bench",
        abstract: "Time the solver on standard problems and print one table of figures against their limits.",
        discussion: """
            Every timed figure is also given relative to a reference measured in the same run (one-thread dgemm, a
            memory-bandwidth triad, a raw write), before and after the figures. --json keeps the report; --compare
            sets this run beside a kept one and names the figures that moved beyond their noise.
            """)

    @Flag(help: "Smaller problems (under a minute) instead of the full set.")
    var quick = false

    @Option(help: "Directory of the Si sample data (kappa-m888.hdf5, kappa-m444.hdf5, crystal.si.txt).")
    var data = "data/si"

    @Option(help: "Scratch directory for meshes, materials and run files (default: a fresh temporary directory).")
    var workdir: String?

    @Option(parsing: .upToNextOption, help: "Sections to run: drift krylov collisions storage e2e scaling (default: all).")
    var only: [String] = []

    @Option(help: "Write the report (figures, reference, machine, load) as JSON to this file.")
    var json: String?

    @Option(help: "Compare with a report kept by --json; exits 3 when a figure regressed beyond its noise.")
    var compare: String?

    @Option(help: "With --compare: compare this kept report instead of running the bench (two machines, two commits).")
    var report: String?

    @Option(help: .hidden) var solveChild: String?
    @Option(help: .hidden) var childOutput: String?

    static let sections = ["drift", "krylov", "collisions", "storage", "e2e", "scaling", "million"]

    func run() throws {
        if let toml = solveChild {
            // The end-to-end solve, in its own process so that its peak memory is its own.
            let config = try RunConfig.load(path: toml)
            let r = try SolveStage.run(config: config, output: childOutput ?? toml + ".run.h5", resume: false)
            print(String(format: "SOLVE-RESULT events=%d sweeps=%d seconds=%.3f converged=%d", r.events, r.sweeps, r.seconds, r.converged ? 1 : 0))
            return
        }
        do { try runBench() } catch let e as ExitCode { throw e } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    func validate() throws {
        for s in only where !Self.sections.contains(s) {
            throw ValidationError("--only: unknown section '\(s)', expected one of \(Self.sections.joined(separator: " "))")
        }
    }

    static func load(_ path: String, option: String) throws -> BenchReport {
        guard let d = FileManager.default.contents(atPath: path) else { throw BenchError("\(option): cannot read \(path)") }
        do { return try JSONDecoder().decode(BenchReport.self, from: d) } catch {
            throw BenchError("\(option): \(path) is not a pbte-bench report (\(error))")
        }
    }

    func runBench() throws {
        let old = try compare.map { try Self.load($0, option: "--compare") }
        if let report {
            guard let old else { throw BenchError("--report needs --compare: it sets a kept report beside another") }
            let c = Comparison.compare(try Self.load(report, option: "--report"), with: old)
            print(c.table, terminator: "")
            if c.regressions > 0 { throw ExitCode(3) }
            return
        }
        let fm = FileManager.default
        let dir = workdir ?? (fm.temporaryDirectory.appendingPathComponent("pbte-bench-\(getpid())").path)
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if workdir == nil { try? fm.removeItem(atPath: dir) } }
        let sections = only.isEmpty ? Self.sections : only
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let start = Date()
        let load0 = Self.loadAverage()
        note("bench (\(quick ? "quick" : "full")) on \(cores) cores, \(Self.cpuModel()), load average \(load0), scratch \(dir)")
        let before = try Reference.measure(dir: dir, quick: quick)
        note(
            String(
                format: "reference: dgemm %.2f GFLOP/s, triad %.2f GB/s, write %.0f MB/s (one thread)", before.dgemmGflops, before.triadGBps, before.writeMBps))
        let table = Table(reference: before)
        let run = BenchRun(quick: quick, data: data, dir: dir, table: table, cores: cores)
        // Everything below runs OpenBLAS one thread at a time unless a figure says otherwise; the solver's own
        // choice is what the end-to-end row measures.
        if sections.contains("drift") { try run.drift() }
        if sections.contains("krylov") { try run.krylov() }
        if sections.contains("collisions") { try run.collisions() }
        if sections.contains("storage") { try run.storage() }
        if sections.contains("e2e") { try run.endToEnd() }
        if sections.contains("scaling") { try run.scaling() }
        // Minutes of its own: in the full bench, or asked for by name.
        if sections.contains("million") && (!quick || only.contains("million")) { try run.million() }
        let after = try Reference.measure(dir: dir, quick: quick)
        let load1 = Self.loadAverage()
        let f = ISO8601DateFormatter()
        let report = BenchReport(
            date: f.string(from: Date()), command: CommandLine.arguments.joined(separator: " "), quick: quick,
            cores: cores, cpu: Self.cpuModel(), load: [load0, load1], referenceBefore: before,
            referenceAfter: after, figures: table.figures)
        print(
            "pbte-bench \(quick ? "--quick" : "(full)") — \(report.date), \(cores) cores, \(report.cpu), total \(String(format: "%.0f", Date().timeIntervalSince(start))) s"
        )
        print("load average (1 min) at start \(load0), at end \(load1): figures are trustworthy only when other work on the machine stays well below one core")
        print(
            String(
                format: "reference before/after: dgemm %.2f/%.2f GFLOP/s, triad %.2f/%.2f GB/s, write %.0f/%.0f MB/s",
                before.dgemmGflops, after.dgemmGflops, before.triadGBps, after.triadGBps, before.writeMBps, after.writeMBps))
        let drift = abs(after.triadGBps / before.triadGBps - 1)
        if drift > 0.1 { print(String(format: "warning: the memory reference moved by %.0f%% during the run: the machine's load changed", 100 * drift)) }
        print(table.render(), terminator: "")
        if let json {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys]
            let tmp = json + ".partial"
            try e.encode(report).write(to: URL(fileURLWithPath: tmp))
            guard rename(tmp, json) == 0 else { throw BenchError("cannot rename \(tmp) to \(json): \(String(cString: strerror(errno)))") }
        }
        if let old {
            let c = Comparison.compare(report, with: old)
            print(c.table, terminator: "")
            if c.regressions > 0 { throw ExitCode(3) }
        }
    }

    func note(_ s: String) { FileHandle.standardError.write(Data(("  " + s + "\n").utf8)) }

    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").first.map(String.init) ?? "?"
    }

    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        }
        return "unknown CPU"
    }
}

/// The problems of one bench run.
struct BenchRun {
    var quick: Bool
    var data: String
    var dir: String
    var table: Table
    var cores: Int

    func note(_ s: String) { FileHandle.standardError.write(Data(("  " + s + "\n").utf8)) }
}
