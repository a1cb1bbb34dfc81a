import Foundation
import Model
import Store

/// What an ingest wrote and found.
public struct PhononIngestSummary: Sendable {
    public var output: String
    public var name: String
    public var sourceFormat: String
    public var modeCount: Int
    public var qCount: Int
    public var branchCount: Int
    public var qMesh: [Int]
    public var temperature: Double
    public var excludedModes: Int
    /// "relaxation-to-temperature", "dense" or "sparse".
    public var collisionKind: String
    /// κ from the linewidths of the mode files (the standard RTA), 3×3 row-major W/m/K.
    public var kappaRTA: [Double]
    /// κ_RTA with τ = 1/A_μμ of the written operator (differs from `kappaRTA` by the self-coupling terms).
    public var kappaRTADiagonal: [Double]?
    public var kappaLBTE: [Double]?
    /// Diagnostics of the matrix as read, and of the operator as written.
    public var inputDiagnostics: ScatteringDiagnostics?
    public var writtenDiagnostics: ScatteringDiagnostics?
    public var spectralRadius: Double
    /// From --fc2/--fc3: max |f(fc2) − f(modes)| (THz) and the mean mode Grüneisen parameter weighted by C_μ.
    public var frequencyDeviation: Double?
    public var meanGruneisen: Double?
    public var warnings: [String]
}

/// Force-constant files to attach to a material (phonopy/phono3py layouts, see data-schema/files.md).
public struct ForceConstantFiles: Sendable {
    public var fc2: String
    public var fc3: String?
    /// phono3py_disp.yaml (or phono3py.yaml): the structures the force constants belong to.
    public var structure: String
    public init(fc2: String, fc3: String?, structure: String) { self.fc2 = fc2; self.fc3 = fc3; self.structure = structure }
    var paths: [String] { [fc2] + (fc3.map { [$0] } ?? []) + [structure] }
}

/// Ingest entry points: read, validate and convert everything first, then write the material file atomically.
public enum PhononIngest {
    public struct Options: Sendable {
        public var name: String?
        /// Expected temperature (K) for d3q files, or the one to pick from a phono3py file.
        public var temperature: Double?
        /// Index into a phono3py file's temperatures.
        public var temperatureIndex: Int?
        /// Project the energy mode out of the collision matrix (ScatteringOperatorBuilder.enforcingConservation).
        public var enforceEnergyConservation = true
        public var sparseThreshold = 0.1
        public var allowUnnormalizedWeights = false
        /// fc2 (+ fc3) and their structure: the material file then carries polarisation vectors and mode Grüneisen data.
        public var forceConstants: ForceConstantFiles?
        /// Progress of long reads (a large scattering matrix), one line per step; nil is silent.
        public var progress: (@Sendable (String) -> Void)?
        public init(
            name: String? = nil, temperature: Double? = nil, temperatureIndex: Int? = nil,
            enforceEnergyConservation: Bool = true, sparseThreshold: Double = 0.1,
            allowUnnormalizedWeights: Bool = false
        ) {
            self.name = name; self.temperature = temperature; self.temperatureIndex = temperatureIndex
            self.enforceEnergyConservation = enforceEnergyConservation; self.sparseThreshold = sparseThreshold
            self.allowUnnormalizedWeights = allowUnnormalizedWeights
        }
    }

    /// d3q text files (`q.`, `freq.`, `vel.`, `lw.` …) + crystal header, optionally a collision matrix (pbte-scatter
    /// text, gzip or not, or the HDF5 form) on the same mode order.
    @discardableResult
    public static func ingestD3Q(
        files: D3QFiles, crystal: String, scattering: String? = nil, output: String,
        options: Options = .init()
    ) throws -> PhononIngestSummary {
        let c = try CrystalHeaderReader.read(crystal)
        let table = try D3QReader.read(
            files, crystal: c,
            options: .init(
                temperature: options.temperature,
                allowUnnormalizedWeights: options.allowUnnormalizedWeights))
        return try finish(
            table, crystal: c, crystalPath: crystal, scattering: scattering, output: output,
            sourceFormat: "d3q", options: options)
    }

    /// Same, finding the d3q files as `<directory>/q.<prefix>.out` etc.
    @discardableResult
    public static func ingestD3Q(
        directory: String, prefix: String, crystal: String, scattering: String? = nil,
        output: String, options: Options = .init()
    ) throws -> PhononIngestSummary {
        let files = try D3QFiles.discover(directory: directory, prefix: prefix, temperature: options.temperature)
        return try ingestD3Q(files: files, crystal: crystal, scattering: scattering, output: output, options: options)
    }

    /// phono3py `kappa-m*.hdf5` + crystal header, optionally a collision matrix on the file's mode order.
    @discardableResult
    public static func ingestPhono3py(
        kappa: String, crystal: String, collision: String? = nil, output: String,
        options: Options = .init()
    ) throws -> PhononIngestSummary {
        let c = try CrystalHeaderReader.read(crystal)
        let table = try Phono3pyReader.read(
            kappa, crystal: c,
            options: .init(
                temperatureIndex: options.temperatureIndex,
                temperature: options.temperature))
        return try finish(
            table, crystal: c, crystalPath: crystal, scattering: collision, output: output,
            sourceFormat: "phono3py", options: options)
    }

    /// The in-memory result, for callers and tests that do not want a file.
    public static func material(
        _ table: PhononModeTable, crystal: CrystalStructure, matrix: PhononCollisionMatrix?,
        options: Options = .init()
    ) throws -> (Material, PhononIngestSummary) {
        var modes = table.modes
        let n = modes.count
        let kappaRTA = KappaCalculator.rta(modes)
        var summary = PhononIngestSummary(
            output: "", name: options.name ?? crystal.speciesNames.joined(),
            sourceFormat: "", modeCount: n, qCount: table.qCount,
            branchCount: table.branchCount, qMesh: table.qMesh,
            temperature: modes.temperature, excludedModes: table.excludedCount,
            collisionKind: "relaxation-to-temperature", kappaRTA: kappaRTA,
            spectralRadius: 1, warnings: table.warnings)
        var collision = CollisionOperator.relaxationToTemperature
        if let matrix {
            try check(matrix, against: table)
            summary.warnings += matrix.warnings
            let flagged = ScatteringDiagnostics.flaggedModes(matrix, excluded: table.excluded)
            let extra = zip(flagged, table.excluded).filter { $0 && !$1 }.count
            if extra > 0 { summary.warnings.append("\(extra) modes flagged by the collision matrix are excluded") }
            summary.inputDiagnostics = try ScatteringDiagnostics.measure(
                matrix.values, size: n, modes: modes,
                flagged: flagged, spectrum: false)
            var a = ScatteringOperatorBuilder.symmetrized(matrix.values, size: n, modes: modes, flagged: flagged)
            if options.enforceEnergyConservation {
                a = ScatteringOperatorBuilder.enforcingConservation(a, size: n, modes: modes, flagged: flagged)
            }
            let written = try ScatteringDiagnostics.measure(a, size: n, modes: modes, flagged: flagged)
            summary.writtenDiagnostics = written
            summary.spectralRadius = written.spectralRadius ?? 1
            if let l = written.lambdaMin, l < -1 {
                summary.warnings.append("τM has eigenvalue \(l) < −1: the plain scattering-event series diverges; damp it")
            }
            let (op, tau) = ScatteringOperatorBuilder.collisionOperator(
                a, size: n, flagged: flagged,
                sparseThreshold: options.sparseThreshold)
            collision = op
            for mu in 0..<n where flagged[mu] {
                modes.vx[mu] = 0; modes.vy[mu] = 0; modes.vz[mu] = 0; modes.dndT[mu] = 0
            }
            modes.tau = tau
            summary.excludedModes = flagged.filter { $0 }.count
            summary.kappaRTADiagonal = KappaCalculator.rta(modes)
            summary.kappaLBTE = try KappaCalculator.lbte(a, size: n, modes: modes, flagged: flagged)
            if case .sparse = op { summary.collisionKind = "sparse" } else { summary.collisionKind = "dense" }
        }
        let material = Material(
            name: summary.name, modes: modes, collision: collision,
            cellVolume: crystal.cellVolume, qMesh: table.qMesh, branchCount: table.branchCount)
        return (material, summary)
    }

    static func finish(
        _ table: PhononModeTable, crystal: CrystalStructure, crystalPath: String, scattering: String?,
        output: String, sourceFormat: String, options: Options
    ) throws -> PhononIngestSummary {
        let fcPaths = options.forceConstants?.paths ?? []
        try InputOutputGuard.refuseOverwrite(output: output, inputs: table.inputs + [crystalPath] + (scattering.map { [$0] } ?? []) + fcPaths)
        let harmonics = try options.forceConstants.map { try attachHarmonics($0, to: table) }
        let matrix = try scattering.map { try PhononCollisionMatrix.read($0, modes: table, progress: options.progress) }
        var (material, summary) = try material(table, crystal: crystal, matrix: matrix, options: options)
        summary.output = output
        summary.sourceFormat = sourceFormat + (matrix == nil ? "" : "+collision")
        let inputs = table.inputs + [crystalPath] + (matrix?.inputFiles ?? []) + fcPaths
        if let harmonics {
            material.harmonics = harmonics
            summary.frequencyDeviation = harmonics.largestFrequencyDeviation
            summary.meanGruneisen = harmonics.meanGruneisen(material.modes)
        }
        let diagnostics = MaterialDiagnostics(
            kappaRTA: summary.kappaRTA, kappaLBTE: summary.kappaLBTE,
            energyResidual: summary.writtenDiagnostics?.energyResidual,
            spectralRadius: summary.spectralRadius)
        material.name = summary.name
        try MaterialFile.write(
            material, to: output, sourceFormat: summary.sourceFormat,
            provenance: try Provenance(inputs: inputs), diagnostics: diagnostics)
        return summary
    }

    /// Harmonic modes only, from force constants on any Γ-centred mesh: frequencies, velocities and polarisation
    /// vectors from fc2 (and the force constants themselves, fc3 included, for the SMM vertex), lifetimes τ = ∞.
    /// For interface kernels and their q-mesh convergence (`solve --dry-run`); `solve` refuses such a material.
    @discardableResult
    public static func ingestHarmonic(
        files: ForceConstantFiles, mesh: [Int], temperature: Double, name: String?,
        output: String
    ) throws -> PhononIngestSummary {
        try InputOutputGuard.refuseOverwrite(output: output, inputs: files.paths)
        guard mesh.count == 3, mesh.allSatisfy({ (1...64).contains($0) }) else {
            throw PhononIngestError(.invalidValue, file: files.fc2, "q-mesh \(mesh): expected three sizes in 1…64")
        }
        guard temperature > 0, temperature.isFinite else {
            throw PhononIngestError(.invalidValue, file: files.fc2, "temperature \(temperature) K: expected a positive temperature")
        }
        let fc = try ForceConstantsReader.read(fc2: files.fc2, fc3: files.fc3, structure: files.structure)
        let (modes, harmonics) = fc.harmonicModeSet(mesh: mesh, temperature: temperature)
        if let mu = (0..<modes.count).first(where: { modes.omega[$0] < -2 * Double.pi * 1e12 * 1e-3 }) {
            throw PhononIngestError(
                .invalidValue, file: files.fc2,
                String(
                    format: "mode %d (q-point %d) has an imaginary frequency (%.4f THz): the lattice of these force constants is unstable",
                    mu, mu / fc.branchCount, modes.omega[mu] / (2 * Double.pi * 1e12)))
        }
        let n = modes.count
        let excluded = modes.dndT.filter { $0 == 0 }.count
        let material = Material(
            name: name ?? "harmonic", modes: modes, collision: .relaxationToTemperature,
            cellVolume: fc.cellVolume * 1e-30, qMesh: mesh, branchCount: fc.branchCount, harmonics: harmonics)
        try MaterialFile.write(
            material, to: output, sourceFormat: "harmonic (fc2; no lifetimes)",
            provenance: try Provenance(inputs: files.paths), diagnostics: .init())
        return PhononIngestSummary(
            output: output, name: material.name, sourceFormat: "harmonic", modeCount: n, qCount: n / fc.branchCount,
            branchCount: fc.branchCount, qMesh: mesh, temperature: temperature, excludedModes: excluded,
            collisionKind: "none (no lifetimes)", kappaRTA: [Double](repeating: 0, count: 9), spectralRadius: 0,
            frequencyDeviation: 0, meanGruneisen: nil,
            warnings: ["no lifetimes: this material serves interface kernels (solve --dry-run), not a solve"])
    }

    static func attachHarmonics(_ files: ForceConstantFiles, to table: PhononModeTable) throws -> ModeHarmonics {
        let fc = try ForceConstantsReader.read(fc2: files.fc2, fc3: files.fc3, structure: files.structure)
        do {
            return try ModeHarmonics.compute(fc, modes: table.modes, branchCount: table.branchCount)
        } catch let e as ForceConstantsError {
            throw PhononIngestError(.invalidValue, file: files.fc2, "\(e.message) (mode data: \(table.inputs.joined(separator: ", ")))")
        }
    }

    /// The matrix must describe the same modes, in the same order and at the same temperature.
    static func check(_ m: PhononCollisionMatrix, against t: PhononModeTable) throws {
        let n = t.modes.count
        guard m.size == n else {
            throw PhononIngestError(
                .countMismatch, file: m.path,
                "matrix has \(m.size) modes, the mode files have \(n) (\(t.qCount) q × \(t.branchCount) branches)")
        }
        if let q = m.qCount, let b = m.branchCount, q != t.qCount || b != t.branchCount {
            throw PhononIngestError(
                .countMismatch, file: m.path,
                "matrix is for \(q) q × \(b) branches, the mode files have \(t.qCount) × \(t.branchCount)")
        }
        if let T = m.temperature, abs(T - t.modes.temperature) > 1e-6 * max(1, T) {
            throw PhononIngestError(
                .invalidValue, file: m.path,
                "matrix is for T = \(T) K, the mode files for T = \(t.modes.temperature) K")
        }
        if let f = m.frequencyTHz {
            for mu in 0..<n {
                let ours = t.modes.omega[mu] / PhononUnits.terahertz
                if abs(f[mu] - ours) > 1e-6 * max(abs(ours), 1) {
                    throw PhononIngestError(
                        .countMismatch, file: m.path, dataset: "frequency",
                        "mode \(mu) has \(f[mu]) THz, the mode files \(ours) THz: different modes or mode order")
                }
            }
        }
    }
}
