import Foundation
import Model

/// One run, as described by its TOML file (data-schema/run-config.md). Paths are relative to the file.
public struct RunConfig: Sendable {
    public struct Wall: Sendable, Equatable {
        /// A physical name from the mesh or a tag number.
        public var boundary: String
        public var kind: WallKind
        public var partnerName: String?
        public var line: Int
    }
    /// Material of one mesh region (multi-material runs).
    public struct RegionMaterial: Sendable, Equatable {
        public var region: String
        public var file: String
        public var line: Int
    }
    /// An interface condition: the kernel kind and its parameters, every key checked as the file is read.
    public struct Interface: Sendable, Equatable {
        public var boundary: String
        public var kind: String
        public var model: InterfaceModel
        /// Where each key was written, for the errors that need the materials (found only when the run starts).
        public var lines: [String: Int]
        public var line: Int

        public static func parse(_ t: ConfigTable, file: String) throws -> Interface {
            var r = ConfigReader(file: file, table: t)
            let boundary = try r.string("boundary"), kind = try r.string("kind")
            return Interface(
                boundary: boundary, kind: kind, model: try InterfaceModel.parse(kind: kind, table: t, file: file),
                lines: t.lines, line: t.line)
        }
    }
    public var file: String
    public var text: String
    /// Single-material runs name one material; multi-material runs list `[[material]]` per region.
    public var material: String
    public var materials: [RegionMaterial] = []
    public var interfaces: [Interface] = []
    public var mesh: String
    public var events = EventOptions()
    public var walls: [Wall] = []
    public var sources: [VolumeSource] = []
    public var float32 = false
    /// Uncompressed by default: ψ in Float64 compresses by ~12% while deflate costs a third of the solve (docs/performance.md).
    public var deflate: Int? = nil
    /// Checks after every event (issue: reliability); `drivesNonnegative` is filled in from sources and walls.
    public var invariants = InvariantPolicy()
    /// Present when the run is a time-dependent solve.
    public var transient: TransientConfig? = nil

    /// Every source thermal with non-negative power and every wall temperature non-negative: ΔT cannot go negative.
    public var drivesNonnegative: Bool {
        let sourcesHeat = sources.allSatisfy { s in
            guard case .thermal = s.spectrum else { return false }
            switch s.profile {
            case .uniform(let q): return q >= 0
            case .gaussian(let q, _, _): return q >= 0
            case .grating: return false
            }
        }
        let wallsHeat = walls.allSatisfy { w in
            if case .black(let t?) = w.kind { return t >= 0 }
            return true
        }
        return sourcesHeat && wallsHeat
    }

    public static let wallKinds = ["black", "diffuse", "specular", "partially-specular", "rough", "periodic"]

    public init(material: String, mesh: String, file: String = "(memory)", text: String = "") {
        self.material = material; self.mesh = mesh; self.file = file; self.text = text
    }

    /// The run as the values it parses to (CanonicalForm): the same for any two files that differ only in comments,
    /// spacing, key or table order, number spelling or units, and different for any changed value. Paths are made
    /// absolute, so the form does not depend on where the file was read from. Resume compares this, not the text.
    public var canonical: String {
        var c = self
        c.mesh = Self.absolute(mesh)
        c.material = material.isEmpty ? "" : Self.absolute(material)
        for i in c.materials.indices { c.materials[i].file = Self.absolute(c.materials[i].file) }
        c.materials.sort { $0.region < $1.region }
        // Walls and interfaces are conditions per boundary: their order in the file means nothing. Sources stay in
        // order (they are summed in it).
        c.walls.sort { $0.boundary < $1.boundary }
        c.interfaces.sort { $0.boundary < $1.boundary }
        return CanonicalForm.text(of: c, root: "run", omitting: ["run.file", "run.text"])
    }

    static func absolute(_ path: String) -> String {
        let p = path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return (p as NSString).standardizingPath
    }

    /// Every file this run reads: the configuration itself, the mesh and the materials.
    public var inputFiles: [String] { [file, mesh, material] + materials.map(\.file) }

    public static func load(path: String) throws -> RunConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, "cannot read the run configuration")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: nil, "not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws -> RunConfig {
        let doc = try ConfigDocument.parse(text, file: file)
        let known = ["", "run", "events", "output", "checks", "transient", "wall", "source", "material", "interface"]
        for t in doc.tables where !known.contains(t.name) {
            throw ConfigError(
                file: file, line: t.line,
                "unknown table [\(t.name)] (expected [run], [events], [output], [checks], [transient], [[wall]], [[source]], [[material]], [[interface]])")
        }
        if let root = doc.table(""), let key = root.values.keys.sorted().first {
            throw ConfigError(file: file, line: root.lines[key], "key '\(key)' must be inside a table such as [run]")
        }
        guard let runTable = doc.table("run") else { throw ConfigError(file: file, line: nil, "missing [run] table (material and mesh)") }
        var run = ConfigReader(file: file, table: runTable)
        let dir = (file as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String { p.hasPrefix("/") || dir.isEmpty ? p : (dir as NSString).appendingPathComponent(p) }
        let single = run.has("material") ? resolve(try run.string("material")) : ""
        var cfg = RunConfig(material: single, mesh: resolve(try run.string("mesh")), file: file, text: text)
        try run.rejectUnknownKeys()
        for t in doc.tables(named: "material") {
            var r = ConfigReader(file: file, table: t)
            cfg.materials.append(RegionMaterial(region: try r.string("region"), file: resolve(try r.string("file")), line: t.line))
            try r.rejectUnknownKeys()
        }
        if single.isEmpty == cfg.materials.isEmpty {
            throw ConfigError(
                file: file, line: runTable.line,
                single.isEmpty
                    ? "no material: give [run] material = \"…\" or one [[material]] table per region"
                    : "give either [run] material or [[material]] tables, not both")
        }
        for t in doc.tables(named: "interface") { cfg.interfaces.append(try Interface.parse(t, file: file)) }

        if let t = doc.table("events") {
            var r = ConfigReader(file: file, table: t)
            var e = EventOptions()
            e.maxEvents = try r.integer("max_events", default: e.maxEvents)
            e.tolerance = try r.number("tolerance", default: e.tolerance)
            let counting = try r.string("counting", default: e.counting.rawValue)
            guard let c = EventCounting(rawValue: counting) else {
                throw ConfigError(file: file, line: t.lines["counting"], "[events] counting: expected bulk-only or bulk-and-boundary, found '\(counting)'")
            }
            e.counting = c
            e.accelerate = try r.bool("accelerate", default: e.accelerate)
            e.krylovTolerance = try r.number("krylov_tolerance", default: e.krylovTolerance)
            e.krylovRestart = try r.integer("krylov_restart", default: e.krylovRestart)
            e.maxSweeps = try r.integer("max_sweeps", default: e.maxSweeps)
            e.damping = try r.number("damping", default: e.damping)
            let pre = try r.string("preconditioner", default: e.preconditioner.rawValue)
            guard let pc = KrylovPreconditioner(rawValue: pre) else {
                throw ConfigError(file: file, line: t.lines["preconditioner"], "[events] preconditioner: expected auto, diffusion or none, found '\(pre)'")
            }
            e.preconditioner = pc
            try r.rejectUnknownKeys()
            // Each bound names its own key and line, with what was found. GMRES allocates (restart + 1)·restart
            // numbers up front: a typo such as 1e6 must not reach it.
            for (key, ok, expected, found) in [
                ("max_events", e.maxEvents >= 1, "≥ 1", "\(e.maxEvents)"), ("tolerance", e.tolerance > 0, "> 0", "\(e.tolerance)"),
                ("krylov_tolerance", e.krylovTolerance > 0, "> 0", "\(e.krylovTolerance)"),
                ("krylov_restart", (1...1000).contains(e.krylovRestart), "1 … 1000", "\(e.krylovRestart)"),
                ("max_sweeps", e.maxSweeps >= 1, "≥ 1", "\(e.maxSweeps)"),
                ("damping", e.damping > 0 && e.damping < 2, "0 < damping < 2", "\(e.damping)")
            ] where !ok {
                throw ConfigError(file: file, line: t.lines[key] ?? t.line, "[events] \(key): expected \(expected), found \(found)")
            }
            cfg.events = e
        }
        if let t = doc.table("checks") {
            var r = ConfigReader(file: file, table: t)
            var p = InvariantPolicy()
            let action = try r.string("on_violation", default: p.action.rawValue)
            guard let a = InvariantPolicy.Action(rawValue: action) else {
                throw ConfigError(file: file, line: t.lines["on_violation"], "[checks] on_violation: expected stop or warn, found '\(action)'")
            }
            p.action = a
            p.balanceTolerance = try r.number("balance_tolerance", default: p.balanceTolerance)
            p.undershoot = try r.number("undershoot", default: p.undershoot)
            try r.rejectUnknownKeys()
            guard p.balanceTolerance > 0, p.undershoot >= 0 else {
                throw ConfigError(file: file, line: t.line, "[checks]: balance_tolerance > 0 and undershoot ≥ 0 are required")
            }
            cfg.invariants = p
        }
        if let t = doc.table("transient") { cfg.transient = try TransientConfig.parse(t, file: file) }
        if let t = doc.table("output") {
            var r = ConfigReader(file: file, table: t)
            let prec = try r.string("precision", default: "float64")
            guard prec == "float64" || prec == "float32" else {
                throw ConfigError(file: file, line: t.lines["precision"], "[output] precision: expected float64 or float32, found '\(prec)'")
            }
            cfg.float32 = prec == "float32"
            let level = try r.integer("compression", default: 0)
            guard (0...9).contains(level) else {
                throw ConfigError(file: file, line: t.lines["compression"], "[output] compression: expected a deflate level 0–9, found \(level)")
            }
            cfg.deflate = level == 0 ? nil : level
            try r.rejectUnknownKeys()
        }
        for t in doc.tables(named: "wall") {
            var r = ConfigReader(file: file, table: t)
            let boundary = try r.string("boundary")
            let kindName = try r.string("kind")
            let kind: WallKind
            var partner: String? = nil
            switch kindName {
            case "black":
                kind = .black(temperature: r.has("temperature") ? try r.quantity("temperature", .temperature) : nil)
            case "diffuse": kind = .diffuse
            case "specular": kind = .specular
            case "partially-specular":
                let p = try r.number("specularity")
                guard (0...1).contains(p) else {
                    throw ConfigError(file: file, line: t.lines["specularity"], "[[wall]] specularity must lie in [0, 1], found \(p)")
                }
                kind = .partiallySpecular(p: p)
            case "rough": kind = .rough(rms: try r.quantity("roughness", .length))
            case "periodic":
                partner = try r.string("partner")
                kind = .periodic(partner: 0)
            default:
                throw ConfigError(file: file, line: t.lines["kind"], "[[wall]] kind: expected one of \(wallKinds.joined(separator: ", ")), found '\(kindName)'")
            }
            try r.rejectUnknownKeys()
            cfg.walls.append(Wall(boundary: boundary, kind: kind, partnerName: partner, line: t.line))
        }
        for t in doc.tables(named: "source") {
            var r = ConfigReader(file: file, table: t)
            let shape = try r.string("kind")
            let profile: VolumeSource.Profile
            switch shape {
            case "uniform": profile = .uniform(power: try r.quantity("power_density", .powerDensity))
            case "gaussian":
                profile = .gaussian(
                    peak: try r.quantity("power_density", .powerDensity),
                    center: try r.vector("center", .length), width: try r.quantity("width", .length))
            case "grating":
                let axis = try r.string("axis", default: "x")
                guard let a = ["x", "y", "z"].firstIndex(of: axis) else {
                    throw ConfigError(file: file, line: t.lines["axis"], "[[source]] axis: expected x, y or z, found '\(axis)'")
                }
                let period = try r.quantity("period", .length)
                guard period > 0 else { throw ConfigError(file: file, line: t.lines["period"], "[[source]] period must be positive") }
                profile = .grating(amplitude: try r.quantity("power_density", .powerDensity), period: period, axis: a)
            case "gradient":
                profile = .uniform(power: 1)
            default:
                throw ConfigError(file: file, line: t.lines["kind"], "[[source]] kind: expected uniform, gaussian, grating or gradient, found '\(shape)'")
            }
            var spectrum = VolumeSource.Spectrum.thermal
            if shape == "gradient" {
                spectrum = .temperatureGradient(try r.vector("temperature_gradient", .temperatureGradient))
            } else {
                let s = try r.string("spectrum", default: "thermal")
                switch s {
                case "thermal": spectrum = .thermal
                case "equilibrium": spectrum = .equilibrium
                case "modes":
                    guard case .array(let items)? = t.values["modes"] else {
                        throw ConfigError(file: file, line: t.line, "[[source]] spectrum = \"modes\" needs modes = [indices]")
                    }
                    spectrum = .modes(
                        try items.map { v -> Int in
                            guard case .number(let x) = v, x >= 0, x == x.rounded(), x < 1e15 else {
                                throw ConfigError(file: file, line: t.lines["modes"], "[[source]] modes: expected non-negative integers")
                            }
                            return Int(x)
                        })
                default:
                    throw ConfigError(file: file, line: t.lines["spectrum"], "[[source]] spectrum: expected thermal, equilibrium or modes, found '\(s)'")
                }
            }
            var rr = r
            if case .modes = spectrum { rr.markUsed("modes") }
            try rr.rejectUnknownKeys()
            cfg.sources.append(VolumeSource(profile: profile, spectrum: spectrum))
        }
        if cfg.walls.isEmpty { throw ConfigError(file: file, line: nil, "no [[wall]] tables: every boundary of the mesh needs a wall condition") }
        return cfg
    }

    /// A boundary named in this file, by physical name or tag number, as a tag of the mesh.
    public func boundaryTag(_ s: String, in mesh: TetMesh, line: Int, table: String) throws -> Int32 {
        if let t = mesh.boundaryNames.first(where: { $0.value == s })?.key, mesh.boundaryTags.contains(t) { return t }
        if let t = Int32(s), mesh.boundaryTags.contains(t) { return t }
        let known = mesh.boundaryTags.map { t in mesh.boundaryNames[t].map { "\($0) (\(t))" } ?? "\(t)" }
        throw ConfigError(file: file, line: line, "\(table) boundary '\(s)' is not in the mesh (boundaries: \(known.joined(separator: ", ")))")
    }

    /// The interfaces' tags: each named once, and never also given a [[wall]] condition.
    public func interfaceTags(in mesh: TetMesh) throws -> Set<Int32> {
        var seen: [Int32: String] = [:]
        for i in interfaces {
            let t = try boundaryTag(i.boundary, in: mesh, line: i.line, table: "[[interface]]")
            if let prev = seen[t] {
                throw ConfigError(file: file, line: i.line, "[[interface]] boundary '\(i.boundary)' is given twice (also as '\(prev)')")
            }
            seen[t] = i.boundary
        }
        for w in walls {
            if let t = try? boundaryTag(w.boundary, in: mesh, line: w.line, table: "[[wall]]"), let name = seen[t] {
                throw ConfigError(file: file, line: w.line, "boundary '\(w.boundary)' has both a [[wall]] and an [[interface]] ('\(name)') condition")
            }
        }
        return Set(seen.keys)
    }

    /// Every check that needs the mesh and not the materials: boundaries named once, walls covering the rest.
    public func check(against mesh: TetMesh) throws {
        let skipping = try interfaceTags(in: mesh)
        var reduced = mesh
        reduced.boundaryFaces = mesh.boundaryFaces.filter { !skipping.contains($0.tag) }
        _ = try wallKinds(for: reduced)
    }

    /// Resolves wall names against the mesh's physical names; every boundary tag must be covered once.
    public func wallKinds(for mesh: TetMesh) throws -> [Int32: WallKind] {
        func tag(_ s: String, line: Int) throws -> Int32 { try boundaryTag(s, in: mesh, line: line, table: "[[wall]]") }
        var kinds = [Int32: WallKind]()
        for w in walls {
            let t = try tag(w.boundary, line: w.line)
            guard kinds[t] == nil else { throw ConfigError(file: file, line: w.line, "[[wall]] boundary '\(w.boundary)' is given twice") }
            if let p = w.partnerName {
                let pt = try tag(p, line: w.line)
                guard pt != t else {
                    throw ConfigError(
                        file: file, line: w.line, "[[wall]] periodic boundary '\(w.boundary)' names itself as partner; a periodic wall needs the opposite face")
                }
                kinds[t] = .periodic(partner: pt)
            } else {
                kinds[t] = w.kind
            }
        }
        // Periodicity is a relation between two walls: each must name the other.
        for w in walls where w.partnerName != nil {
            let t = try tag(w.boundary, line: w.line)
            guard case .periodic(let pt)? = kinds[t], case .periodic(let back)? = kinds[pt], back == t else {
                throw ConfigError(
                    file: file, line: w.line,
                    "[[wall]] periodic boundary '\(w.boundary)' names partner '\(w.partnerName!)', which is not periodic with '\(w.boundary)' as its partner")
            }
        }
        for t in mesh.boundaryTags where kinds[t] == nil {
            throw ConfigError(file: file, line: nil, "boundary \(mesh.boundaryNames[t] ?? "") (tag \(t)) has no [[wall]] condition")
        }
        return kinds
    }
}
