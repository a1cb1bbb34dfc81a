import Foundation
import Model

/// Reads the collision matrix as phono3py writes it with `--lbte --reducible-colmat --write-collision`
/// (docs/input-formats.md §3.3): one `collision-m<mesh>-g<gp>[-s<σ>].hdf5` per grid point, holding the row block
/// `collision_matrix` (T, nb, N, nb) and `gamma` (T, nb), or one `collision-m<mesh>.hdf5` with (T, N, nb, N, nb)
/// and `gamma` (T, N, nb); THz, phono3py's scaled basis f = ψ/√(n̄(n̄+1)), columns on the Γ-centred mesh (x fastest).
///
/// phono3py's operator is Ω = sym(C + diag(γ [+ γ_iso])). It is the physical operator only on deviations odd under
/// q → −q (all that κ needs): its three-phonon terms all enter as if the partner were absorbed, so on even deviations
/// (a temperature rise) it does not conserve energy. The reader keeps Ω's odd part exactly and replaces its even part
/// by Ω's diagonal (whose energy mode ingest then projects out); measured on Si 4³ against the operator rebuilt from
/// phono3py's separated rows, that even part is 15 % off in norm, against 29 % for Ω's own even part.
/// Then A = 4π·10¹² · S Ω′ S⁻¹ (ψ basis, s⁻¹), S = diag(√(n̄(n̄+1))).
public enum Phono3pyCollisionReader {
    /// A directory of per-grid-point files, or an HDF5 file with phono3py's `collision_matrix` dataset.
    public static func recognizes(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return false }
        if isDirectory.boolValue { return true }
        guard let head = FileHandleProbe.firstBytes(path, count: 8), head == [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A],
            let h = try? HDF5Input(path)
        else { return false }
        return h.exists("collision_matrix")
    }

    public static func read(_ path: String, modes table: PhononModeTable) throws -> PhononCollisionMatrix {
        let nq = table.qCount, nb = table.branchCount, n = nq * nb
        guard n <= PhononCollisionMatrix.maximumSize else {
            throw PhononIngestError(.tooLarge, file: path, "\(n) modes; a dense collision matrix is read up to \(PhononCollisionMatrix.maximumSize)")
        }
        guard let meshIndex = table.meshIndex, Set(meshIndex).count == nq, table.qMesh.reduce(1, *) == nq else {
            throw PhononIngestError(
                .unsupported, file: path,
                "phono3py's collision matrix is on the full Γ-centred mesh; the mode file does not list every mesh point once")
        }
        var position = [Int](repeating: 0, count: nq)
        for (iq, g) in meshIndex.enumerated() { position[g] = iq }
        let files = try collisionFiles(path)
        var x = [Double](repeating: 0, count: n * n)
        var fileTemperature: Double?
        if files.count == 1, try !HDF5Input(files[0]).exists("grid_point") {
            fileTemperature = try readFull(files[0], into: &x, nq: nq, nb: nb, position: position, temperature: table.modes.temperature)
        } else {
            guard let bz = table.bzGridPoint else {
                throw PhononIngestError(
                    .missingData, file: path,
                    "per-grid-point collision files name phono3py's BZ grid points; ingest them with the kappa file of the same full-mesh run (it lists grid_point), not a k-star file"
                )
            }
            var row = [Int: Int]()
            for (iq, g) in bz.enumerated() { row[g] = iq }
            var seen = [Bool](repeating: false, count: nq)
            for f in files {
                let (iq, t) = try readRowBlock(
                    f, into: &x, nq: nq, nb: nb, rowOf: row, position: position,
                    temperature: table.modes.temperature)
                guard !seen[iq] else {
                    throw PhononIngestError(.duplicateEntry, file: f, dataset: "grid_point", "grid point listed by two files")
                }
                seen[iq] = true; fileTemperature = t
            }
            if let missing = seen.firstIndex(of: false) {
                throw PhononIngestError(
                    .truncated, file: path,
                    "\(seen.filter { !$0 }.count) of \(nq) grid points have no collision file, the first BZ grid point \(bz[missing]); phono3py writes one per grid point"
                )
            }
        }
        return convert(x, table: table, temperature: fileTemperature, path: path, files: files)
    }

    /// The files of one collision set: a directory's `collision-*.hdf5`, a per-grid-point file's siblings with the
    /// same prefix and suffix, or the one full file.
    static func collisionFiles(_ path: String) throws -> [String] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        _ = fm.fileExists(atPath: path, isDirectory: &isDirectory)
        let directory = isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let pattern: (prefix: String, suffix: String)?
        if isDirectory.boolValue {
            pattern = nil
        } else if let r = name.range(of: #"-g[0-9]+"#, options: .regularExpression) {
            pattern = (String(name[..<r.lowerBound]) + "-g", String(name[r.upperBound...]))
        } else {
            return [path]
        }
        let entries: [String]
        do { entries = try fm.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory) } catch {
            throw PhononIngestError(.io, file: directory, "cannot list the directory: \(error.localizedDescription)")
        }
        let chosen = entries.filter { e in
            if let p = pattern {
                guard e.hasPrefix(p.prefix), e.hasSuffix(p.suffix), e.count > p.prefix.count + p.suffix.count else { return false }
                let middle = e.dropFirst(p.prefix.count).dropLast(p.suffix.count)
                return middle.allSatisfy(\.isNumber)
            }
            return e.hasPrefix("collision-") && e.hasSuffix(".hdf5")
        }.sorted().map { (directory as NSString).appendingPathComponent($0) }
        guard !chosen.isEmpty else {
            throw PhononIngestError(.missingData, file: path, "no phono3py collision-*.hdf5 files here")
        }
        return chosen
    }

    static func temperatureIndex(_ h: HDF5Input, file: String, temperature: Double) throws -> (Int, Int, Double) {
        guard try h.count("temperature") <= Phono3pyReader.maximumTemperatures else {
            throw PhononIngestError(.countMismatch, file: file, dataset: "temperature", "more temperatures than any phono3py run writes")
        }
        let (temps, _) = try h.doubles("temperature", shape: [nil])
        guard let it = temps.firstIndex(where: { abs($0 - temperature) <= 1e-6 * max(1, temperature) }) else {
            throw PhononIngestError(
                .invalidValue, file: file, dataset: "temperature",
                "no entry for the mode file's T = \(temperature) K (file has \(temps.prefix(8).map { String($0) }.joined(separator: ", ")))")
        }
        return (it, temps.count, temps[it])
    }

    /// Most numbers one collision dataset may declare (2 GiB of float64), checked before it is read: phono3py
    /// writes every temperature of the run into it, and a declared shape costs nothing on disk.
    static let maximumElements = 1 << 28

    static func checkSize(_ h: HDF5Input, file: String) throws {
        let count = try h.count("collision_matrix")
        guard count <= Self.maximumElements else {
            throw PhononIngestError(
                .tooLarge, file: file, dataset: "collision_matrix",
                "\(try h.shape("collision_matrix")) declares \(count == Int.max ? "more than \(Int.max)" : String(count)) numbers, more than the \(Self.maximumElements) this reader reads at once; write one temperature per file (phono3py --ts)"
            )
        }
    }

    static func refuseIrreducible(_ shape: [Int], file: String) throws {
        throw PhononIngestError(
            .unsupported, file: file, dataset: "collision_matrix",
            "shape \(shape) is phono3py's irreducible form (Cartesian, summed over each star's rotations): it acts only on vector-like deviations and cannot give the mode-to-mode operator; rerun phono3py with --reducible-colmat"
        )
    }

    /// One grid point's rows; returns the q index and the temperature read.
    static func readRowBlock(
        _ f: String, into x: inout [Double], nq: Int, nb: Int, rowOf: [Int: Int], position: [Int],
        temperature: Double
    ) throws -> (Int, Double) {
        let h = try HDF5Input(f)
        let shape = try h.shape("collision_matrix")
        if shape.count == 6 { try refuseIrreducible(shape, file: f) }
        try checkSize(h, file: f)
        let (it, nT, t) = try temperatureIndex(h, file: f, temperature: temperature)
        guard shape == [nT, nb, nq, nb] else {
            throw PhononIngestError(
                .countMismatch, file: f, dataset: "collision_matrix",
                "shape \(shape), expected (temperatures, branches, q-points, branches) = \([nT, nb, nq, nb]) for the mode file's \(nq) q × \(nb) branches")
        }
        let (gp, _) = try h.ints("grid_point", shape: [])
        guard let g = gp.first, let iq = rowOf[g] else {
            throw PhononIngestError(
                .countMismatch, file: f, dataset: "grid_point",
                "grid point \(gp.first.map(String.init) ?? "?") is not among the kappa file's grid points")
        }
        let (c, _) = try h.doubles("collision_matrix", shape: shape.map { $0 })
        let (gamma, _) = try h.doubles("gamma", shape: [nT, nb])
        let iso = h.exists("gamma_isotope") ? try h.doubles("gamma_isotope", shape: [nb]).0 : [Double](repeating: 0, count: nb)
        let n = nq * nb
        for s in 0..<nb {
            let mu = iq * nb + s
            for gq in 0..<nq {
                for s2 in 0..<nb {
                    x[mu * n + position[gq] * nb + s2] = c[((it * nb + s) * nq + gq) * nb + s2]
                }
            }
            x[mu * n + mu] += gamma[it * nb + s] + iso[s]
        }
        return (iq, t)
    }

    /// The whole matrix from one file (rows and columns on the mesh order).
    static func readFull(_ f: String, into x: inout [Double], nq: Int, nb: Int, position: [Int], temperature: Double) throws -> Double {
        let h = try HDF5Input(f)
        let shape = try h.shape("collision_matrix")
        if shape.count == 7 { try refuseIrreducible(shape, file: f) }
        try checkSize(h, file: f)
        let (it, nT, t) = try temperatureIndex(h, file: f, temperature: temperature)
        guard shape == [nT, nq, nb, nq, nb] else {
            throw PhononIngestError(
                .countMismatch, file: f, dataset: "collision_matrix",
                "shape \(shape), expected (temperatures, q-points, branches, q-points, branches) = \([nT, nq, nb, nq, nb])")
        }
        let n = nq * nb
        let (c, _) = try h.doubles("collision_matrix", shape: shape.map { $0 })
        let (gamma, _) = try h.doubles("gamma", shape: [nT, nq, nb])
        let iso = h.exists("gamma_isotope") ? try h.doubles("gamma_isotope", shape: [nq, nb]).0 : [Double](repeating: 0, count: n)
        for gq in 0..<nq {
            for s in 0..<nb {
                let mu = position[gq] * nb + s, r = (gq * nb + s)
                for gq2 in 0..<nq {
                    for s2 in 0..<nb { x[mu * n + position[gq2] * nb + s2] = c[it * n * n + r * n + gq2 * nb + s2] }
                }
                x[mu * n + mu] += gamma[it * n + r] + iso[r]
            }
        }
        return t
    }

    /// Ω = sym(X); Ω′ = odd part of Ω + even part of diag(Ω); A = 4π·10¹² S Ω′ S⁻¹.
    static func convert(_ x: [Double], table: PhononModeTable, temperature: Double?, path: String, files: [String]) -> PhononCollisionMatrix {
        let nq = table.qCount, nb = table.branchCount, n = nq * nb
        let mesh = table.qMesh, meshIndex = table.meshIndex!
        var position = [Int](repeating: 0, count: nq)
        for (iq, g) in meshIndex.enumerated() { position[g] = iq }
        let partnerQ = meshIndex.map { g in
            let a = [g % mesh[0], (g / mesh[0]) % mesh[1], g / (mesh[0] * mesh[1])]
            let m = (0..<3).map { d in (mesh[d] - a[d]) % mesh[d] }
            return position[m[0] + mesh[0] * (m[1] + mesh[1] * m[2])]
        }
        let partner = (0..<n).map { partnerQ[$0 / nb] * nb + $0 % nb }
        var asym = 0.0, norm = 0.0, reversal = 0.0
        var omega = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                let a = x[i * n + j], b = x[j * n + i]
                omega[i * n + j] = 0.5 * (a + b)
                asym += (a - b) * (a - b); norm += a * a
            }
        }
        for i in 0..<n {
            for j in 0..<n {
                let d = omega[i * n + j] - omega[partner[i] * n + partner[j]]
                reversal += d * d
            }
        }
        let T = table.modes.temperature
        let s = (0..<n).map { mu -> Double in
            let nbar = BoseEinstein.occupation(omega: table.modes.omega[mu], temperature: T)
            return (nbar * (nbar + 1)).squareRoot()
        }
        var a = [Double](repeating: 0, count: n * n)
        let factor = 4 * Double.pi * 1e12
        for i in 0..<n where !table.excluded[i] {
            let pi = partner[i]
            let dBar = 0.5 * (omega[i * n + i] + omega[pi * n + pi])
            for j in 0..<n where !table.excluded[j] {
                let pj = partner[j]
                var v = 0.25 * (omega[i * n + j] - omega[i * n + pj] - omega[pi * n + j] + omega[pi * n + pj])
                if j == i { v += 0.5 * dBar }
                if j == pi { v += 0.5 * dBar }
                a[i * n + j] = factor * s[i] * v / s[j]
            }
        }
        let zero = (0..<n).filter { table.excluded[$0] }
        let relAsym = norm > 0 ? (asym / norm).squareRoot() : 0
        var m = PhononCollisionMatrix(
            size: n, values: a, zeroModes: zero, temperature: temperature, qCount: nq,
            branchCount: nb, path: path)
        m.inputFiles = files
        let relReversal = norm > 0 ? (reversal / norm).squareRoot() : 0
        m.warnings.append(
            String(
                format:
                    "phono3py collision matrix from %d file(s): asymmetry before phono3py's symmetrisation %.2e, departure from q → −q symmetry %.2e; its odd part (κ) kept, its even part replaced by its diagonal (phono3py's Ω does not conserve energy on even deviations)",
                files.count, relAsym, relReversal))
        return m
    }
}
