/// Reads the collision operator written by tools/make_sample_data.py (`collision-m<mesh>.h5`): dataset `A`
/// (nmodes × nmodes, ψ basis) with a `unit` attribute (`ps^-1`/`ps-1` or `s^-1`/`s-1`), and optionally
/// `frequency` (THz), `zero_modes` (0-based), `temperature`, `mesh`; root attributes `basis`, `quantity`.
public enum CollisionHDF5Reader {
    public static func read(_ path: String) throws -> PhononCollisionMatrix {
        let h = try HDF5Input(path)
        if let basis = h.stringAttribute("/", "basis"), basis != "psi" {
            throw PhononIngestError(.unsupported, file: path, "unsupported basis '\(basis)' (only 'psi')")
        }
        var sign = 1.0
        if let quantity = h.stringAttribute("/", "quantity") {
            switch quantity {
            case "collision_operator_A": sign = 1
            case "scattering_matrix_M": sign = -1
            default: throw PhononIngestError(.unsupported, file: path, "unknown quantity '\(quantity)'")
            }
        }
        let s = try h.shape("A")
        guard s.count == 2, s[0] == s[1] else {
            throw PhononIngestError(
                .notSquare, file: path, dataset: "A",
                "shape is \(s.map(String.init).joined(separator: " × ")); expected a square matrix")
        }
        let n = s[0]
        guard n > 0, n <= PhononCollisionMatrix.maximumSize else {
            throw PhononIngestError(
                .tooLarge, file: path, dataset: "A",
                "\(n) modes; expected 1…\(PhononCollisionMatrix.maximumSize)")
        }
        guard let unit = h.stringAttribute("A", "unit") else {
            throw PhononIngestError(.missingData, file: path, dataset: "A", "attribute 'unit' is missing (expected ps^-1 or s^-1)")
        }
        let factor: Double
        switch unit {
        case "ps^-1", "ps-1", "1/ps": factor = 1e12
        case "s^-1", "s-1", "1/s": factor = 1
        default:
            throw PhononIngestError(
                .unknownUnit, file: path, dataset: "A",
                "unsupported unit '\(unit)'; expected a rate, ps^-1 or s^-1")
        }
        var (a, _) = try h.doubles("A", shape: [n, n])
        for i in 0..<n {
            for j in 0..<n {
                let v = a[i * n + j] * factor
                a[i * n + j] = (i == j || sign > 0) ? v : -v
            }
        }
        var out = PhononCollisionMatrix(size: n, values: a, path: path)
        if h.exists("zero_modes") {
            guard try h.count("zero_modes") <= n else {
                throw PhononIngestError(.countMismatch, file: path, dataset: "zero_modes", "\(try h.shape("zero_modes")) entries, more than the \(n) modes")
            }
            let (z, _) = try h.ints("zero_modes", shape: [nil])
            if let bad = z.first(where: { !(0..<n).contains($0) }) {
                throw PhononIngestError(.invalidValue, file: path, dataset: "zero_modes", "mode \(bad) outside 0..<\(n)")
            }
            out.zeroModes = z
        }
        if h.exists("temperature") {
            guard try h.count("temperature") <= 1 else {
                throw PhononIngestError(
                    .countMismatch, file: path, dataset: "temperature", "\(try h.shape("temperature")) values; a collision matrix is for one temperature")
            }
            out.temperature = try h.doubles("temperature", shape: [nil]).0.first
        }
        if h.exists("frequency") {
            // Checked before the read, with an overflow-safe product: a declared shape costs nothing on disk.
            let declared = try h.shape("frequency")
            let product: (partialValue: Int, overflow: Bool) = declared.count == 2 ? declared[0].multipliedReportingOverflow(by: declared[1]) : (0, true)
            guard !product.overflow, product.partialValue == n else {
                throw PhononIngestError(
                    .countMismatch, file: path, dataset: "frequency", "shape \(declared), expected (q-points, branches) with \(n) modes, as A is \(n) × \(n)")
            }
            let (f, fs) = try h.doubles("frequency", shape: [nil, nil])
            guard fs[0] * fs[1] == n else {
                throw PhononIngestError(
                    .countMismatch, file: path, dataset: "frequency",
                    "\(fs[0]) q × \(fs[1]) branches = \(fs[0] * fs[1]) modes, but A is \(n) × \(n)")
            }
            out.frequencyTHz = f; out.qCount = fs[0]; out.branchCount = fs[1]
        }
        try ScatteringTextReader.checkZeroModes(&out, path: path) { mu, nu in
            PhononIngestError(
                .invalidValue, file: path, dataset: "A",
                "zero mode \(mu) (0-based) has a nonzero entry at [\(mu), \(nu)] or [\(nu), \(mu)]")
        }
        return out
    }
}
