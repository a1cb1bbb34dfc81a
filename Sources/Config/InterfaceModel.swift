import Model

/// An interface condition's kernel and its parameters, parsed from `[[interface]]` with every unit applied
/// (data-schema/run-config.md). What the run file keeps and resume compares.
public enum InterfaceModel: Sendable, Equatable {
    case diffuseSheet(transmissivity: Double, binWidth: Double?)
    case dmm(binWidth: Double)
    case amm(AcousticMismatchParameters)
    case ammDmm(AcousticMismatchParameters, specularity: Double, binWidth: Double)
    case smm(StrainMismatchParameters)

    /// The kernels by name, as `[[interface]] kind = …` selects them.
    public static let kinds = ["diffuse-sheet", "dmm", "amm", "smm", "amm-dmm"]

    /// Every key of one `[[interface]]` table, checked as the configuration is read (before any work).
    public static func parse(kind: String, table: ConfigTable, file: String) throws -> InterfaceModel {
        var r = ConfigReader(file: file, table: table)
        _ = try r.string("boundary"); _ = try r.string("kind")
        func binWidth() throws -> Double? {
            r.has("bin_width") ? try r.quantity("bin_width", .frequency) / 1e12 : InterfaceDefaults.binWidthTHz
        }
        func acoustic() throws -> AcousticMismatchParameters {
            var p = AcousticMismatchParameters()
            p.massDensityA = try r.quantity("density_a", .massDensity, default: p.massDensityA)
            p.massDensityB = try r.quantity("density_b", .massDensity, default: p.massDensityB)
            p.binWidth = try binWidth()
            return p
        }
        let model: InterfaceModel
        switch kind {
        case "diffuse-sheet":
            let t = try r.number("transmissivity")
            guard t > 0, t <= 1 else {
                throw ConfigError(file: file, line: table.lines["transmissivity"], "[[interface]] transmissivity must lie in (0, 1], found \(t)")
            }
            model = .diffuseSheet(transmissivity: t, binWidth: try binWidth())
        case "dmm":
            model = .dmm(binWidth: try binWidth() ?? InterfaceDefaults.binWidthTHz)
        case "amm":
            model = .amm(try acoustic())
        case "amm-dmm":
            let p = try acoustic()
            let s = try r.number("specularity")
            guard (0...1).contains(s) else { throw ConfigError(file: file, line: table.lines["specularity"], "[[interface]] specularity must lie in [0, 1]") }
            model = .ammDmm(p, specularity: s, binWidth: p.binWidth ?? InterfaceDefaults.binWidthTHz)
        case "smm":
            var p = StrainMismatchParameters()
            p.spacing = try r.quantity("spacing", .length, default: p.spacing)
            p.burgers = try r.quantity("burgers", .length, default: p.burgers)
            p.poisson = try r.number("poisson", default: p.poisson)
            p.gruneisenA = try r.number("gruneisen_a", default: p.gruneisenA)
            p.gruneisenB = try r.number("gruneisen_b", default: p.gruneisenB)
            p.specular = try acoustic()
            if r.has("max_order") { p.maxOrder = try r.integer("max_order") }
            let coupling = try r.string("coupling", default: p.coupling.rawValue)
            guard let c = StrainMismatchParameters.Coupling(rawValue: coupling) else {
                throw ConfigError(
                    file: file, line: table.lines["coupling"],
                    "[[interface]] coupling: expected gruneisen or force-constants, found '\(coupling)'")
            }
            p.coupling = c
            if c == .forceConstants {
                for key in ["gruneisen_a", "gruneisen_b"] where r.has(key) {
                    throw ConfigError(
                        file: file, line: table.lines[key], "[[interface]] \(key) has no meaning with coupling = \"force-constants\" (γ comes from fc3)")
                }
            }
            let limit = try r.string("born_limit", default: c == .forceConstants ? "exponential" : "cap")
            guard let l = StrainMismatchParameters.BornLimit(rawValue: limit) else {
                throw ConfigError(file: file, line: table.lines["born_limit"], "[[interface]] born_limit: expected cap or exponential, found '\(limit)'")
            }
            p.bornLimit = l
            model = .smm(p)
        default:
            throw ConfigError(
                file: file, line: table.lines["kind"], "[[interface]] kind: expected one of \(InterfaceModel.kinds.joined(separator: ", ")), found '\(kind)'")
        }
        try r.rejectUnknownKeys()
        return model
    }
}
