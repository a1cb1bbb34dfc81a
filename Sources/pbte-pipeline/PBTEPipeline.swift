import ArgumentParser
import Foundation
import Store

@main
struct PBTEPipeline: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pbte-pipeline",
        abstract: "Phonon transport resolved in position, momentum and scattering event.",
        discussion: """
        Stages talk only through files (data-schema/): ingest → material.h5, mesh.h5; solve → run.h5; analyze → .nc.
        Sample runs (CLITests.testHelpSampleRunsWork runs these lines):
          pbte-pipeline ingest gray --output gray.h5 --mean-free-path "1 um"
          pbte-pipeline ingest box --output slab.h5 --cells 1 1 20 --lengths "1 1 1 um"
          pbte-pipeline solve slab.toml --output slab.run.h5
          pbte-pipeline validate slab.run.h5
        """,
        version: Schema.programVersion,
        subcommands: [Ingest.self, Solve.self, AnalyzeCommand.self, Inspect.self, Validate.self, SchemaCommand.self, Bench.self])

    static func main() {
        SignalCleanup.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}

/// Progress goes to stderr, one line per update, and is silenced by --quiet.
struct ProgressOptions: ParsableArguments {
    @Flag(name: .long, help: "No progress output on stderr.")
    var quiet = false

    func reporter() -> ((String) -> Void)? {
        quiet ? nil : { line in FileHandle.standardError.write(Data(("  " + line + "\n").utf8)) }
    }
}

/// Turns any error into one clear message on stderr and a non-zero exit.
func failing(_ body: () throws -> Void) throws {
    do { try body() } catch let e as ExitCode { throw e } catch let e as CleanExit { throw e } catch {
        FileHandle.standardError.write(Data(("error: \(error)\n").utf8))
        throw ExitCode(1)
    }
}

/// Refuses a count outside the range the command can allocate and mean.
func requireRange(_ option: String, _ value: Int, _ range: ClosedRange<Int>) throws {
    guard range.contains(value) else {
        throw ValidationError("\(option) must lie in \(range.lowerBound)…\(range.upperBound), found \(value)")
    }
}

/// A physical quantity that must be finite and positive (lengths, speeds, temperatures of a generator).
func requirePositive(_ option: String, _ value: Double, text: String) throws {
    guard value.isFinite, value > 0 else { throw ValidationError("\(option) must be finite and positive, found \"\(text)\"") }
}
