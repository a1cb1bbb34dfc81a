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
