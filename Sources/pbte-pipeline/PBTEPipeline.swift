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
        subcommands: [Ingest.self, Solve.self, AnalyzeCommand.self, Inspect.self, Validate.self, SchemaCommand.self])

    static func main() {
        SignalCleanup.install()
        refuseArgumentsThatAreNotUTF8()
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
        if quiet { return nil }
        if isatty(STDERR_FILENO) == 1 {
            let bar = ProgressBar()
            return { bar.show($0) }
        }
        return { line in FileHandle.standardError.write(Data(("  " + line + "\n").utf8)) }
    }
}

/// On a terminal, progress lines that count ("event 3/15 …", "analyzed event 4/20") redraw one bar in place; every
/// other line is printed above it. A log (stderr not a terminal) gets every line as it comes.
final class ProgressBar: @unchecked Sendable {
    private var drawn = false
    private let lock = NSLock()
    private static let counter = try! NSRegularExpression(pattern: #"\b(\d+)/(\d+)\b"#)

    func show(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        let range = NSRange(line.startIndex..., in: line)
        if let m = Self.counter.firstMatch(in: line, range: range),
            let done = Int(line[Range(m.range(at: 1), in: line)!]), let total = Int(line[Range(m.range(at: 2), in: line)!]), total > 0
        {
            let width = 30, filled = min(width, width * min(done + 1, total) / total)
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            write("\r\u{1B}[2K  [\(bar)] \(line)")
            drawn = true
        } else {
            write((drawn ? "\n" : "") + "  " + line + "\n")
            drawn = false
        }
    }

    deinit { if drawn { write("\n") } }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
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

/// Swift decodes the command line as UTF-8 and replaces what does not decode, so a file named with other bytes
/// would be read or written under a different name; such names are refused instead, naming the argument.
func refuseArgumentsThatAreNotUTF8() {
    for i in 1..<Int(CommandLine.argc) {
        guard let p = CommandLine.unsafeArgv[i] else { continue }
        let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p)))
        if String(validating: bytes, as: UTF8.self) == nil {
            let shown = bytes.map { $0 < 0x80 && $0 >= 0x20 ? String(UnicodeScalar($0)) : String(format: "\\x%02x", $0) }.joined()
            FileHandle.standardError.write(
                Data(("error: argument \(i) is not valid UTF-8 (\"\(shown)\"); file names and options must be UTF-8: rename the file\n").utf8))
            exit(1)
        }
    }
}
