import ArgumentParser
import Foundation
import Store
import Model
import Config

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check files against data-schema/: HDF5 material, mesh and run files, run configurations (.toml), products (.nc) and their sidecars (.xmf).")

    @Argument(help: "Files to check.")
    var files: [String]

    @Flag(
        help:
            "For a run configuration, also print the values it parses to (units applied, paths absolute, comments and order gone): what the run file stores as config_canonical and what a resume compares. Two files that print the same resume each other's runs."
    )
    var canonical = false

    func run() throws {
        var bad = 0
        for path in files {
            if path.hasSuffix(".toml") {
                do {
                    let cfg = try validateConfig(path)
                    print("\(path): valid run configuration")
                    if canonical { print(cfg.canonical, terminator: "") }
                } catch {
                    FileHandle.standardError.write(Data("\(error)\n".utf8)); bad += 1
                }
                continue
            }
            if ProductsValidator.isProducts(path) {
                let (summary, issues) = ProductsValidator.check(path: path)
                if issues.isEmpty {
                    print(
                        "\(path): valid \(path.hasSuffix(".xmf") ? "XDMF sidecar" : "products") (\(summary.components(separatedBy: "\n")[0].components(separatedBy: ": ").dropFirst().joined(separator: ": ")))"
                    )
                } else {
                    for i in issues { FileHandle.standardError.write(Data("\(i)\n".utf8)) }
                    bad += 1
                }
                continue
            }
            var (schema, issues) = SchemaValidator.validate(path: path)
            if issues.isEmpty, schema?.filetype == Schema.material.filetype { issues += physicalIssues(path) }
            if issues.isEmpty {
                print("\(path): valid \(schema!.filetype) (schema version \(schema!.version))")
            } else {
                for i in issues { FileHandle.standardError.write(Data("\(i)\n".utf8)) }
                bad += 1
            }
        }
        if bad > 0 { throw ExitCode(1) }
    }

    /// A configuration is valid only with the files it names and walls that fit its mesh.
    private func validateConfig(_ path: String) throws -> RunConfig {
        let cfg = try RunConfig.load(path: path)
        for f in cfg.inputFiles.dropFirst() where !f.isEmpty && !FileManager.default.fileExists(atPath: f) {
            throw ConfigError(file: path, line: nil, "names '\(f)', which does not exist")
        }
        let mesh = try MeshFile.read(path: cfg.mesh)
        try cfg.check(against: mesh)
        return cfg
    }

    /// Values the schema's types allow but no crystal has (data-schema/README.md, "Plausibility bounds").
    private func physicalIssues(_ path: String) -> [ValidationIssue] {
        do {
            let (material, _) = try MaterialFile.read(path: path)
            let out = ModePlausibility.problems(material.modes).map {
                ValidationIssue(file: path, object: "/modes", message: "implausible: \($0)")
            }
            if let w = ModePlausibility.kappaWarning(material.modes) {
                FileHandle.standardError.write(Data("\(path): warning: \(w)\n".utf8))
            }
            return out
        } catch {
            return [ValidationIssue(file: path, object: "/", message: "unreadable as a material: \(error)")]
        }
    }
}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
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
                    print(
                        "| `\(f.path)` | \(f.kind.rawValue) | \(f.type) | \(shape) | \(f.units.map { "`\($0)`" } ?? "") | \(f.required ? "yes" : "no") | \(f.description) |"
                    )
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
