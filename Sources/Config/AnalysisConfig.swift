import Foundation
import Model

/// An analysis file: the `analyze` flags as a TOML `[analysis]` table (data-schema/run-config.md, "Analysis
/// files"), so that a pipeline keeps its binning in a file beside its run configuration. Quantities stay as written
/// here; `AnalysisOptions.parse` (Analyze) applies the units and the bounds, the same checks as for the flags.
public struct AnalysisConfig: Sendable, Equatable {
    public var binning: String?
    public var bins: Int?
    public var center: String?
    public var radius: String?
    public var energyBins: Int?
    public var angularBins: Int?
    public var tirMargin: String?
    public var file: String
    /// Line of each key, and of the table, for errors found when the values are checked.
    public var lines: [String: Int] = [:]
    public var line = 0

    /// The keys and the command-line flags they stand for.
    public static let keys: [(key: String, flag: String)] = [
        ("binning", "--binning"), ("bins", "--bins"), ("center", "--center"), ("radius", "--radius"),
        ("energy_bins", "--energy-bins"), ("angular_bins", "--angular-bins"), ("tir_margin", "--tir-margin")
    ]

    public static func load(path: String) throws -> AnalysisConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, "cannot read the analysis file")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ConfigError(file: path, line: nil, "not UTF-8 text") }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws -> AnalysisConfig {
        let doc = try ConfigDocument.parse(text, file: file)
        for t in doc.tables where t.name != "analysis" && !(t.name.isEmpty && t.values.isEmpty) {
            throw ConfigError(
                file: file, line: t.line == 0 ? t.lines.values.min() : t.line,
                t.name.isEmpty ? "keys must be inside an [analysis] table" : "unknown table [\(t.name)] (an analysis file has one [analysis] table)")
        }
        guard let t = doc.table("analysis") else { throw ConfigError(file: file, line: nil, "missing [analysis] table") }
        var r = ConfigReader(file: file, table: t)
        var c = AnalysisConfig(file: file)
        c.binning = r.has("binning") ? try r.string("binning") : nil
        c.bins = r.has("bins") ? try r.integer("bins") : nil
        c.center = r.has("center") ? try r.string("center") : nil
        c.radius = r.has("radius") ? try r.string("radius") : nil
        c.energyBins = r.has("energy_bins") ? try r.integer("energy_bins") : nil
        c.angularBins = r.has("angular_bins") ? try r.integer("angular_bins") : nil
        c.tirMargin = r.has("tir_margin") ? try r.string("tir_margin") : nil
        try r.rejectUnknownKeys()
        c.lines = t.lines; c.line = t.line
        return c
    }

    /// A checker's message about a flag ("--bins must lie in …"), restated for the key of this file that set it.
    public func error(_ message: String) -> ConfigError {
        for (key, flag) in Self.keys where message.hasPrefix(flag) {
            return ConfigError(file: file, line: lines[key] ?? line, "[analysis] \(key)" + message.dropFirst(flag.count))
        }
        return ConfigError(file: file, line: nil, message)
    }
}
