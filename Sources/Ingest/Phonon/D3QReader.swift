import Foundation

/// Reads the modes of a d3q grid run (data-schema/d3q-text.md §1) into a `PhononModeTable`.
///
/// Units: frequencies cm⁻¹ → ω = 2πc·ν̃; velocities in Rydberg atomic units (bohr·Ry/ħ); q Cartesian in 2π/alat;
/// linewidths are HWHM γ in cm⁻¹ with τ = 1/(2γ_angular); weights sum to 1 and volumeWeight = w/Ω.
public enum D3QReader {
    public struct Options: Sendable {
        /// Expected temperature (K); the configuration line of the linewidth file must agree.
        public var temperature: Double?
        /// Accept weights that do not sum to 1 (they are then normalised).
        public var allowUnnormalizedWeights = false
        /// The q-mesh, when it cannot be inferred from the q-points.
        public var qMesh: [Int]?
        public init(temperature: Double? = nil, allowUnnormalizedWeights: Bool = false, qMesh: [Int]? = nil) {
            self.temperature = temperature; self.allowUnnormalizedWeights = allowUnnormalizedWeights; self.qMesh = qMesh
        }
    }

    public static func read(_ files: D3QFiles, crystal: CrystalStructure, options: Options = .init()) throws -> PhononModeTable {
        let nb = crystal.branchCount
        let qf = try D3QGridFile.read(files.q, valuesPerQ: 4, recordWidth: 4, expectedQ: nil, what: "q-point 'qx qy qz weight'")
        try qf.requireUnit(["2pi/alat"], what: "q-points")
        let nq = qf.firstLine.count
        let qName = (files.q as NSString).lastPathComponent
        let freq = try D3QGridFile.read(
            files.frequencies, valuesPerQ: nb, recordWidth: 99, expectedQ: nq,
            what: "frequencies (nat3 = \(nb) from the crystal header)", countSource: qName)
        let vel = try D3QGridFile.read(
            files.velocities, valuesPerQ: 3 * nb, recordWidth: 297, expectedQ: nq,
            what: "velocities (3·nat3 = \(3 * nb))", countSource: qName)
        try freq.requireUnit(["cm^-1", "cm-1"], what: "frequencies")

        var warnings: [String] = []
        var weights = (0..<nq).map { qf.values[4 * $0 + 3] }
        if let bad = weights.firstIndex(where: { !($0 > 0) }) {
            throw PhononIngestError(
                .invalidValue, file: files.q, line: qf.firstLine[bad],
                "q-point weight must be positive, found \(weights[bad])")
        }
        let total = weights.reduce(0, +)
        if abs(total - 1) > 1e-8 {
            guard options.allowUnnormalizedWeights else {
                throw PhononIngestError(
                    .invalidValue, file: files.q,
                    "q-point weights sum to \(total), expected 1 (a plain grid); pass allowUnnormalizedWeights to normalise")
            }
            weights = weights.map { $0 / total }
            warnings.append("q-point weights summed to \(total); normalised to 1")
        }

        var (hwhm, temperature) = try linewidths(
            files.linewidth, branchCount: nb, qCount: nq, qFile: qf,
            frequencies: freq, qName: qName)
        for extra in files.extraLinewidths {
            let g = try D3QGridFile.read(
                extra, valuesPerQ: nb, recordWidth: 99, expectedQ: nq,
                what: "linewidths (nat3 = \(nb))", countSource: qName)
            try checkNonNegative(g, branchCount: nb)
            try g.requireUnit(["cm^-1", "cm-1"], what: "linewidths")
            if let c = g.configuration, let t = temperature, abs(c.temperature - t) > 1e-6 {
                throw PhononIngestError(
                    .invalidValue, file: extra, line: c.line,
                    "configuration temperature \(c.temperature) K differs from the linewidth file's \(t) K")
            }
            for i in hwhm.indices { hwhm[i] += g.values[i] }
        }
        if let t = options.temperature {
            if let tt = temperature, abs(tt - t) > 1e-6 {
                throw PhononIngestError(
                    .invalidValue, file: files.linewidth,
                    "linewidth file is for T = \(tt) K, but T = \(t) K was requested")
            }
            temperature = t
        }
        guard let temperature, temperature > 0 else {
            throw PhononIngestError(
                .missingData, file: files.linewidth,
                "no configuration line '# … T= … sigma= …' and no temperature given")
        }

        let n = nq * nb
        var omega = [Double](repeating: 0, count: n), rate = omega
        var vx = omega, vy = omega, vz = omega, rho = omega
        let omegaVolume = crystal.cellVolume
        for iq in 0..<nq {
            for s in 0..<nb {
                let mu = iq * nb + s
                omega[mu] = freq.values[mu] * PhononUnits.inverseCm
                rate[mu] = 2 * hwhm[mu] * PhononUnits.inverseCm
                vx[mu] = vel.values[3 * mu] * PhononUnits.rydbergVelocity
                vy[mu] = vel.values[3 * mu + 1] * PhononUnits.rydbergVelocity
                vz[mu] = vel.values[3 * mu + 2] * PhononUnits.rydbergVelocity
                rho[mu] = weights[iq] / omegaVolume
            }
        }
        let qCart = (0..<nq).map { iq in (0..<3).map { qf.values[4 * iq + $0] } }
        let mesh = options.qMesh ?? MeshInference.mesh(reduced: qCart.map { crystal.reduced(cartesian: $0) })
        if mesh == nil { warnings.append("q-points are not on a recognisable mesh; q_mesh recorded as [\(nq), 1, 1]") }
        let unit = crystal.wavevectorUnit
        return try PhononModeTable.make(
            temperature: temperature, branchCount: nb, omega: omega, rate: rate,
            vx: vx, vy: vy, vz: vz, volumeWeight: rho,
            q: qCart.map { $0.map { $0 * unit } }, qMesh: mesh ?? [nq, 1, 1],
            inputs: files.all, warnings: warnings)
    }

    /// The total HWHM per mode (cm⁻¹) and the temperature stated in the file.
    static func linewidths(
        _ path: String, branchCount nb: Int, qCount nq: Int, qFile: D3QGridFile,
        frequencies: D3QGridFile, qName: String
    ) throws -> ([Double], Double?) {
        let src = try TextSource.load(path)
        var firstColumns: Int? = nil
        src.forEachLine { _, line in
            if firstColumns == nil && line.lineKind == .data { firstColumns = line.tokens.count }
        }
        if let c = firstColumns, c > nb {
            let list = try D3QLineWidthList.read(path, branchCount: nb)
            guard list.lines.count == nq else {
                throw PhononIngestError(
                    list.lines.count < nq ? .truncated : .countMismatch, file: path,
                    line: list.lines.count < nq ? (list.lines.last ?? 0) + 1 : list.lines[nq],
                    "\(list.lines.count) q-point records, expected \(nq) (one per q-point of \(qName))")
            }
            for iq in 0..<nq {
                for c in 0..<3 where abs(list.q[iq][c] - qFile.values[4 * iq + c]) > 2e-6 {
                    throw PhononIngestError(
                        .invalidValue, file: path, line: list.lines[iq],
                        "q-point \(iq + 1) is \(list.q[iq]), but \(qName) has \(Array(qFile.values[(4 * iq)..<(4 * iq + 3)]))")
                }
                for s in 0..<nb {
                    let a = list.frequencies[iq * nb + s], b = frequencies.values[iq * nb + s]
                    if abs(a - b) > 2e-6 + 1e-7 * abs(b) {
                        throw PhononIngestError(
                            .invalidValue, file: path, line: list.lines[iq],
                            "frequency of branch \(s + 1) is \(a) cm⁻¹, but the frequency file has \(b) cm⁻¹")
                    }
                }
            }
            for (i, g) in list.groups[0].enumerated() where g < 0 {
                throw PhononIngestError(
                    .negativeLinewidth, file: path, line: list.lines[i / nb],
                    "linewidth of branch \(i % nb + 1) is \(g) cm⁻¹; a HWHM must be ≥ 0")
            }
            return (list.groups[0], list.temperature)
        }
        let g = try D3QGridFile.read(
            path, valuesPerQ: nb, recordWidth: 99, expectedQ: nq,
            what: "linewidths (nat3 = \(nb) from the crystal header)", countSource: qName)
        try checkNonNegative(g, branchCount: nb)
        try g.requireUnit(["cm^-1", "cm-1"], what: "linewidths")
        return (g.values, g.configuration?.temperature)
    }

    static func checkNonNegative(_ g: D3QGridFile, branchCount nb: Int) throws {
        if let i = g.values.firstIndex(where: { $0 < 0 }) {
            let s = i % nb
            throw PhononIngestError(
                .negativeLinewidth, file: g.path, line: g.firstLine[i / nb] + s / 99,
                "field \(s % 99 + 1): linewidth of branch \(s + 1) is \(g.values[i]) cm⁻¹; a HWHM must be ≥ 0")
        }
    }
}
