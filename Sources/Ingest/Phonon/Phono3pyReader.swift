import Foundation
import Model

/// Reads phono3py's `kappa-m<mesh>.hdf5` (docs/input-formats.md §3) at one temperature into a `PhononModeTable`.
///
/// Units: `frequency` THz (ordinary), `gamma` HWHM THz with τ = 1/(4πγ), `group_velocity` THz·Å, `qpoint` reduced
/// (Cartesian q needs the crystal's reciprocal lattice), `weight` integers summing to the mesh size N, so
/// volumeWeight = weight/(NΩ). Modes with γ = 0 (below phono3py's cutoff) are excluded.
public enum Phono3pyReader {
    public struct Options: Sendable {
        /// Index into the file's `temperature` list; alternatively `temperature` picks the matching entry.
        public var temperatureIndex: Int?
        public var temperature: Double?
        /// Unfold an irreducible (k-star) file with the crystal's point group; otherwise such a file is an error.
        public var unfoldIrreducible = true
        public init(temperatureIndex: Int? = nil, temperature: Double? = nil, unfoldIrreducible: Bool = true) {
            self.temperatureIndex = temperatureIndex; self.temperature = temperature
            self.unfoldIrreducible = unfoldIrreducible
        }
    }

    /// Bounds of what any phono3py run writes, checked before a dataset is read.
    static let maximumTemperatures = 100_000
    static let maximumModes = 1 << 24
    static let maximumMeshDivisions = 1024

    public static func read(_ path: String, crystal: CrystalStructure, options: Options = .init()) throws -> PhononModeTable {
        let h = try HDF5Input(path)
        let fs = try h.shape("frequency")
        guard fs.count == 2 else {
            throw PhononIngestError(.countMismatch, file: path, dataset: "frequency", "expected rank 2 (q, branch), found rank \(fs.count)")
        }
        let (nir, nb) = (fs[0], fs[1])
        guard nb == crystal.branchCount else {
            throw PhononIngestError(
                .countMismatch, file: path, dataset: "frequency",
                "\(nb) branches, but the crystal header has \(crystal.atomCount) atoms (\(crystal.branchCount) branches)")
        }
        // Bounded before reading: a dataset declared huge but never written is a few bytes on disk.
        guard try h.count("temperature") <= Self.maximumTemperatures else {
            throw PhononIngestError(
                .countMismatch, file: path, dataset: "temperature",
                "\(try h.shape("temperature")) temperatures, more than any phono3py run writes (at most \(Self.maximumTemperatures))")
        }
        guard nir <= Self.maximumModes / max(nb, 1) else {
            throw PhononIngestError(
                .countMismatch, file: path, dataset: "frequency",
                "\(nir) q-points × \(nb) branches, more than the \(Self.maximumModes) modes this reader accepts")
        }
        let (temps, _) = try h.doubles("temperature", shape: [nil])
        let it = try temperatureIndex(temps, options: options, path: path)
        let nT = temps.count
        let (freq, _) = try h.doubles("frequency", shape: [nir, nb])
        let (gammaAll, _) = try h.doubles("gamma", shape: [nT, nir, nb])
        let gamma = Array(gammaAll[(it * nir * nb)..<((it + 1) * nir * nb)])
        if let i = gamma.firstIndex(where: { $0 < 0 }) {
            throw PhononIngestError(
                .negativeLinewidth, file: path, dataset: "gamma",
                "element [\(it), \(i / nb), \(i % nb)] is \(gamma[i]) THz; a HWHM must be ≥ 0")
        }
        let (gv, _) = try h.doubles("group_velocity", shape: [nir, nb, 3])
        let (qred, _) = try h.doubles("qpoint", shape: [nir, 3])
        let (weight, _) = try h.ints("weight", shape: [nir])
        let (mesh, _) = try h.ints("mesh", shape: [3])
        // Products and sums with overflow checks: a hostile file's mesh or weights must not trap.
        guard mesh.allSatisfy({ (1...Self.maximumMeshDivisions).contains($0) }) else {
            throw PhononIngestError(
                .invalidValue, file: path, dataset: "mesh",
                "mesh \(mesh.map(String.init).joined(separator: "×")): each division must lie in 1…\(Self.maximumMeshDivisions)")
        }
        let nGrid = mesh.reduce(1, *)
        var weightSum = 0, overflow = false
        for w in weight {
            let (sum, o) = weightSum.addingReportingOverflow(w)
            weightSum = sum; overflow = overflow || o
        }
        guard weight.allSatisfy({ $0 > 0 && $0 <= nGrid }), !overflow, weightSum == nGrid else {
            throw PhononIngestError(
                .invalidValue, file: path, dataset: "weight",
                "weights sum to \(overflow ? "more than \(Int.max)" : String(weightSum)) (each must lie in 1…\(nGrid)), expected the mesh size \(mesh.map(String.init).joined(separator: "×")) = \(nGrid)"
            )
        }
        var warnings: [String] = []
        if h.exists("heat_capacity"), let w = try? heatCapacityCheck(h, it: it, nT: nT, nir: nir, nb: nb, freq: freq, T: temps[it]) {
            warnings.append(w)
        }

        var table = IrreducibleModes(
            qReduced: (0..<nir).map { Array(qred[(3 * $0)..<(3 * $0 + 3)]) },
            frequency: freq, gamma: gamma, velocity: gv, weight: weight)
        if weight.contains(where: { $0 != 1 }) {
            guard options.unfoldIrreducible else {
                throw PhononIngestError(
                    .irreducibleMesh, file: path, dataset: "weight",
                    "irreducible q-points (weights ≠ 1); run phono3py with --no-kappa-stars for a full-mesh file")
            }
            table = try Phono3pyUnfolding.unfold(table, mesh: mesh, crystal: crystal, path: path)
            warnings.append("unfolded \(nir) irreducible q-points to the full \(mesh.map(String.init).joined(separator: "×")) mesh")
        }

        let nq = table.qReduced.count, n = nq * nb
        let omegaVolume = crystal.cellVolume
        var omega = [Double](repeating: 0, count: n), rate = omega, vx = omega, vy = omega, vz = omega, rho = omega
        for mu in 0..<n {
            omega[mu] = table.frequency[mu] * PhononUnits.terahertz
            rate[mu] = 4 * Double.pi * table.gamma[mu] * 1e12
            vx[mu] = table.velocity[3 * mu] * PhononUnits.terahertzAngstrom
            vy[mu] = table.velocity[3 * mu + 1] * PhononUnits.terahertzAngstrom
            vz[mu] = table.velocity[3 * mu + 2] * PhononUnits.terahertzAngstrom
            rho[mu] = Double(table.weight[mu / nb]) / (Double(nGrid) * omegaVolume)
        }
        let unit = crystal.wavevectorUnit
        let q = table.qReduced.map { crystal.cartesian(reduced: $0).map { $0 * unit } }
        var out = try PhononModeTable.make(
            temperature: temps[it], branchCount: nb, omega: omega, rate: rate,
            vx: vx, vy: vy, vz: vz, volumeWeight: rho, q: q, qMesh: mesh,
            inputs: [path], warnings: warnings)
        out.meshIndex = Self.meshIndices(table.qReduced, mesh: mesh)
        if table.qReduced.count == nir, h.exists("grid_point"), try h.count("grid_point") == nir {
            out.bzGridPoint = try h.ints("grid_point", shape: [nir]).0
        }
        return out
    }

    /// Each reduced q-point's index on the Γ-centred mesh (x fastest), or nil when one is not on the mesh.
    static func meshIndices(_ q: [[Double]], mesh: [Int]) -> [Int]? {
        var out: [Int] = []
        for r in q {
            var a = [0, 0, 0]
            for d in 0..<3 {
                let x = r[d] * Double(mesh[d])
                guard abs(x) < 4.5e15, abs(x - x.rounded()) < 1e-6 else { return nil }
                a[d] = ((Int(x.rounded()) % mesh[d]) + mesh[d]) % mesh[d]
            }
            out.append(a[0] + mesh[0] * (a[1] + mesh[1] * a[2]))
        }
        return out
    }

    static func temperatureIndex(_ temps: [Double], options: Options, path: String) throws -> Int {
        if let i = options.temperatureIndex {
            guard temps.indices.contains(i) else {
                throw PhononIngestError(
                    .invalidValue, file: path, dataset: "temperature",
                    "temperature index \(i) out of range 0..<\(temps.count)")
            }
            return i
        }
        if let t = options.temperature {
            guard let i = temps.firstIndex(where: { abs($0 - t) < 1e-6 }) else {
                throw PhononIngestError(
                    .invalidValue, file: path, dataset: "temperature",
                    "no entry for T = \(t) K (file has \(temps))")
            }
            return i
        }
        guard temps.count == 1 else {
            throw PhononIngestError(
                .invalidValue, file: path, dataset: "temperature",
                "file holds \(temps.count) temperatures \(temps); choose one by index or value")
        }
        return 0
    }

    /// phono3py's mode heat capacity (eV/K) against ħω ∂n̄/∂T: a disagreement means the units are not the ones assumed.
    static func heatCapacityCheck(_ h: HDF5Input, it: Int, nT: Int, nir: Int, nb: Int, freq: [Double], T: Double) throws -> String? {
        let (c, _) = try h.doubles("heat_capacity", shape: [nT, nir, nb])
        var worst = 0.0
        for i in 0..<(nir * nb) where freq[i] > 0.1 {
            let ours = BoseEinstein.heatCapacity(omega: freq[i] * PhononUnits.terahertz, temperature: T) / PhononUnits.electronVolt
            worst = max(worst, abs(c[it * nir * nb + i] - ours) / ours)
        }
        return worst > 1e-3 ? "heat_capacity differs from ħω∂n̄/∂T by up to \(worst) (relative); check units" : nil
    }
}

/// Per-q data of a phono3py file before or after unfolding to the full mesh.
struct IrreducibleModes {
    var qReduced: [[Double]]
    var frequency: [Double] // q-major, nb each (THz)
    var gamma: [Double] // THz
    var velocity: [Double] // q-major, nb × 3 (THz·Å)
    var weight: [Int]
}
