import ArgumentParser
import Foundation
import Store
import Solve
import Model

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check files against data-schema/: HDF5 material, mesh and run files, and run configurations (.toml).")

    @Argument(help: "Files to check.")
    var files: [String]

    func run() throws {
        var bad = 0
        for path in files {
            if path.hasSuffix(".toml") {
                do { _ = try RunConfig.load(path: path); print("\(path): valid run configuration") } catch {
                    FileHandle.standardError.write(Data("\(error)\n".utf8)); bad += 1
                }
                continue
            }
            let (schema, issues) = SchemaValidator.validate(path: path)
            if issues.isEmpty {
                print("\(path): valid \(schema!.filetype) (schema version \(schema!.version))")
            } else {
                for i in issues { FileHandle.standardError.write(Data("\(i)\n".utf8)) }
                bad += 1
            }
        }
        if bad > 0 { throw ExitCode(1) }
    }
}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schema",
        abstract: "Print the machine-readable layout of every file type (the validator's source of truth).")

    @Flag(help: "JSON (default).") var json = false
    @Flag(help: "Markdown tables, as in data-schema/.") var markdown = false

    func run() throws {
        if markdown {
            for s in Schema.all {
                print("## \(s.filetype) (schema version \(s.version))\n\n\(s.description)\n")
                print("| path | kind | type | shape | units | required | meaning |\n|---|---|---|---|---|---|---|")
                for f in s.fields {
                    let shape = f.kind == .dataset ? "(" + f.shape.joined(separator: ", ") + ")" : ""
                    print("| `\(f.path)` | \(f.kind.rawValue) | \(f.type) | \(shape) | \(f.units.map { "`\($0)`" } ?? "") | \(f.required ? "yes" : "no") | \(f.description) |")
                }
                print("")
            }
            return
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(data: try enc.encode(Schema.all), encoding: .utf8)!)
    }
}
