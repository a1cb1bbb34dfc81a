import Model

/// Diagnostics ingest computes and stores beside a material (all optional).
public struct MaterialDiagnostics: Sendable {
    public var kappaRTA: [Double]?
    public var kappaLBTE: [Double]?
    public var energyResidual: Double?
    public var spectralRadius: Double?
    public init(kappaRTA: [Double]? = nil, kappaLBTE: [Double]? = nil, energyResidual: Double? = nil, spectralRadius: Double? = nil) {
        self.kappaRTA = kappaRTA; self.kappaLBTE = kappaLBTE; self.energyResidual = energyResidual; self.spectralRadius = spectralRadius
    }
}

/// Reads and writes the material layout of `Schema.material` (the /modes part is also embedded in run files).
public enum MaterialFile {
    public static func writeModes(_ m: ModeSet, excluded: [Bool]? = nil, into g: HDF5Container, prefix: String) throws {
        let n = m.count, p = prefix
        try g.putScalar("\(p)/temperature", m.temperature, units: "K")
        try g.put("\(p)/frequency", m.omega.map { $0 / (2 * Double.pi * 1e12) }, shape: [n], units: "THz")
        var v = [Double](repeating: 0, count: 3 * n), q = v
        for mu in 0..<n {
            v[3 * mu] = m.vx[mu]; v[3 * mu + 1] = m.vy[mu]; v[3 * mu + 2] = m.vz[mu]
            q[3 * mu] = m.qx[mu]; q[3 * mu + 1] = m.qy[mu]; q[3 * mu + 2] = m.qz[mu]
        }
        try g.put("\(p)/velocity", v, shape: [n, 3], units: "m s-1")
        try g.put("\(p)/lifetime", m.tau, shape: [n], units: "s")
        try g.put("\(p)/volume_weight", m.volumeWeight, shape: [n], units: "m-3")
        try g.put("\(p)/dndT", m.dndT, shape: [n], units: "K-1")
        try g.put("\(p)/heat_capacity", (0..<n).map { m.heatCapacity($0) }, shape: [n], units: "J K-1")
        try g.put("\(p)/wavevector", q, shape: [n, 3], units: "m-1")
        try g.put("\(p)/branch", m.branch, shape: [n], units: "1")
        try g.put("\(p)/q_index", m.qIndex, shape: [n], units: "1")
        let ex = excluded ?? m.tau.map { !$0.isFinite }
        try g.put("\(p)/excluded", ex.map { Int32($0 ? 1 : 0) }, shape: [n], units: "1")
    }

    public static func readModes(from g: HDF5Container, prefix: String) throws -> ModeSet {
        let p = prefix
        let t = try g.get("\(p)/temperature", as: Double.self, units: "K")[0]
        let f = try g.get("\(p)/frequency", as: Double.self, units: "THz")
        let v = try g.get("\(p)/velocity", as: Double.self, units: "m s-1")
        let q = try g.get("\(p)/wavevector", as: Double.self, units: "m-1")
        let n = f.count
        return ModeSet(
            temperature: t, omega: f.map { $0 * 2 * Double.pi * 1e12 },
            vx: (0..<n).map { v[3 * $0] }, vy: (0..<n).map { v[3 * $0 + 1] }, vz: (0..<n).map { v[3 * $0 + 2] },
            tau: try g.get("\(p)/lifetime", as: Double.self, units: "s"),
            volumeWeight: try g.get("\(p)/volume_weight", as: Double.self, units: "m-3"),
            dndT: try g.get("\(p)/dndT", as: Double.self, units: "K-1"),
            qx: (0..<n).map { q[3 * $0] }, qy: (0..<n).map { q[3 * $0 + 1] }, qz: (0..<n).map { q[3 * $0 + 2] },
            branch: try g.get("\(p)/branch", as: Int32.self, units: "1"),
            qIndex: try g.get("\(p)/q_index", as: Int32.self, units: "1"))
    }

    public static func write(
        _ mat: Material, to path: String, sourceFormat: String, provenance: Provenance,
        diagnostics: MaterialDiagnostics = .init()
    ) throws {
        try HDF5File.writeAtomically(path) { file in
            try provenance.write(to: file, filetype: Schema.material.filetype, version: Schema.material.version)
            try file.setAttribute("name", mat.name)
            try file.setAttribute("source_format", sourceFormat)
            try writeModes(mat.modes, into: file, prefix: "/modes")
            try file.putScalar("/crystal/cell_volume", mat.cellVolume, units: "m3")
            try file.put("/crystal/q_mesh", mat.qMesh.map(Int32.init), shape: [3], units: "1")
            try file.putScalar("/crystal/branch_count", Int32(mat.branchCount), units: "1")
            let n = mat.modes.count
            let group = try file.requireGroup("/collision")
            switch mat.collision {
            case .relaxationToTemperature:
                try group.setAttribute("kind", "relaxation-to-temperature")
            case .dense(let m):
                try group.setAttribute("kind", "dense")
                try file.put(
                    "/collision/matrix", m.values, shape: [n, n], units: "s-1",
                    options: .compressed(chunk: [min(n, 256), n]))
            case .sparse(let m):
                try group.setAttribute("kind", "sparse")
                try file.put("/collision/row_start", m.rowStart.map(Int64.init), shape: [n + 1], units: "1")
                try file.put("/collision/column", m.columnIndex, shape: [m.values.count], units: "1")
                try file.put("/collision/value", m.values, shape: [m.values.count], units: "s-1")
            }
            if let h = mat.harmonics { try writeHarmonics(h, modes: mat.modes.count, into: file) }
            if let k = diagnostics.kappaRTA { try file.put("/diagnostics/kappa_rta", k, shape: [3, 3], units: "W m-1 K-1") }
            if let k = diagnostics.kappaLBTE { try file.put("/diagnostics/kappa_lbte", k, shape: [3, 3], units: "W m-1 K-1") }
            if let r = diagnostics.energyResidual { try file.putScalar("/diagnostics/energy_residual", r, units: "1") }
            if let r = diagnostics.spectralRadius { try file.putScalar("/diagnostics/spectral_radius", r, units: "1") }
        }
    }

    public static func read(path: String) throws -> (Material, MaterialDiagnostics) {
        try SchemaCheck.require(path: path, filetype: Schema.material.filetype)
        let file = try HDF5File.open(path)
        defer { try? file.close() }
        let modes = try readModes(from: file, prefix: "/modes")
        let n = modes.count
        let kind = try file.openGroup("/collision").stringAttribute("kind")
        let collision: CollisionOperator
        switch kind {
        case "relaxation-to-temperature": collision = .relaxationToTemperature
        case "dense":
            collision = .dense(DenseMatrix(rows: n, columns: n, values: try file.get("/collision/matrix", as: Double.self, units: "s-1")))
        case "sparse":
            let rs = try file.get("/collision/row_start", as: Int64.self, units: "1").map(Int.init)
            let col = try file.get("/collision/column", as: Int32.self, units: "1")
            let val = try file.get("/collision/value", as: Double.self, units: "s-1")
            guard rs.count == n + 1, rs.last == val.count, col.allSatisfy({ $0 >= 0 && Int($0) < n }) else {
                throw StoreError(
                    .shapeMismatch, file: path, object: "/collision", operation: "read material",
                    message: "sparse matrix arrays are inconsistent with \(n) modes")
            }
            collision = .sparse(SparseMatrix(rows: n, columns: n, rowStart: rs, columnIndex: col, values: val))
        default:
            throw StoreError(
                .invalidArgument, file: path, object: "/collision@kind", operation: "read material",
                message: "unknown collision kind '\(kind)' (expected relaxation-to-temperature, dense or sparse)")
        }
        let name = try file.stringAttribute("name")
        let vol = try file.get("/crystal/cell_volume", as: Double.self, units: "m3")[0]
        let qm = try file.get("/crystal/q_mesh", as: Int32.self, units: "1").map(Int.init)
        let nb = Int(try file.get("/crystal/branch_count", as: Int32.self, units: "1")[0])
        var diag = MaterialDiagnostics()
        if try file.exists("/diagnostics/kappa_rta") { diag.kappaRTA = try file.get("/diagnostics/kappa_rta", units: "W m-1 K-1") }
        if try file.exists("/diagnostics/kappa_lbte") { diag.kappaLBTE = try file.get("/diagnostics/kappa_lbte", units: "W m-1 K-1") }
        if try file.exists("/diagnostics/energy_residual") {
            diag.energyResidual = try file.get("/diagnostics/energy_residual", as: Double.self, units: "1")[0]
        }
        if try file.exists("/diagnostics/spectral_radius") {
            diag.spectralRadius = try file.get("/diagnostics/spectral_radius", as: Double.self, units: "1")[0]
        }
        let harmonics = try file.exists("/harmonic") ? try readHarmonics(from: file, path: path, modes: n, branches: nb) : nil
        return (
            Material(
                name: name, modes: modes, collision: collision, cellVolume: vol, qMesh: qm, branchCount: nb,
                harmonics: harmonics), diag
        )
    }

    static func writeHarmonics(_ h: ModeHarmonics, modes n: Int, into file: HDF5File) throws {
        let fc = h.forceConstants, nb = fc.branchCount, np = fc.primitiveCount, ns = fc.supercellCount
        func rows(_ v: [Vector3]) -> [Double] { v.flatMap { [$0.x, $0.y, $0.z] } }
        try file.put("/harmonic/eigenvector", h.eigenvectors, shape: [n, nb, 2], units: "1")
        try file.putScalar("/harmonic/largest_frequency_deviation", h.largestFrequencyDeviation, units: "THz")
        if let g = h.gruneisen { try file.put("/harmonic/gruneisen", g, shape: [n], units: "1") }
        if let t = h.gruneisenTensor { try file.put("/harmonic/gruneisen_tensor", t, shape: [n, 3, 3], units: "1") }
        try file.put("/force_constants/primitive_lattice", rows(fc.primitiveLattice), shape: [3, 3], units: "angstrom")
        try file.put("/force_constants/supercell_lattice", rows(fc.supercellLattice), shape: [3, 3], units: "angstrom")
        try file.put("/force_constants/position", rows(fc.positions), shape: [ns, 3], units: "angstrom")
        try file.put("/force_constants/mass", fc.masses, shape: [ns], units: "u")
        try file.put("/force_constants/p2s_map", fc.p2s.map(Int32.init), shape: [np], units: "1")
        try file.put("/force_constants/fc2", fc.fc2, shape: [np, ns, 3, 3], units: "eV angstrom-2")
        if let f3 = fc.fc3 { try file.put("/force_constants/fc3", f3, shape: [np, ns, ns, 3, 3, 3], units: "eV angstrom-3") }
    }

    static func readHarmonics(from file: HDF5File, path: String, modes n: Int, branches nb: Int) throws -> ModeHarmonics {
        func vectors(_ v: [Double]) -> [Vector3] { stride(from: 0, to: v.count - 2, by: 3).map { Vector3(v[$0], v[$0 + 1], v[$0 + 2]) } }
        let fc: ForceConstants
        do {
            fc = try ForceConstants(
                primitiveLattice: vectors(try file.get("/force_constants/primitive_lattice", as: Double.self, units: "angstrom")),
                supercellLattice: vectors(try file.get("/force_constants/supercell_lattice", as: Double.self, units: "angstrom")),
                positions: vectors(try file.get("/force_constants/position", as: Double.self, units: "angstrom")),
                masses: try file.get("/force_constants/mass", as: Double.self, units: "u"),
                p2s: try file.get("/force_constants/p2s_map", as: Int32.self, units: "1").map(Int.init),
                fc2: try file.get("/force_constants/fc2", as: Double.self, units: "eV angstrom-2"),
                fc3: try file.exists("/force_constants/fc3") ? try file.get("/force_constants/fc3", as: Double.self, units: "eV angstrom-3") : nil)
        } catch let e as ForceConstantsError {
            throw StoreError(.shapeMismatch, file: path, object: "/force_constants", operation: "read material", message: e.message)
        }
        let e = try file.get("/harmonic/eigenvector", as: Double.self, units: "1")
        let g = try file.exists("/harmonic/gruneisen") ? try file.get("/harmonic/gruneisen", as: Double.self, units: "1") : nil
        let t = try file.exists("/harmonic/gruneisen_tensor") ? try file.get("/harmonic/gruneisen_tensor", as: Double.self, units: "1") : nil
        guard e.count == n * nb * 2, g.map({ $0.count == n }) ?? true, t.map({ $0.count == 9 * n }) ?? true, fc.branchCount == nb else {
            throw StoreError(
                .shapeMismatch, file: path, object: "/harmonic", operation: "read material",
                message: "eigenvectors or Grüneisen data do not match \(n) modes × \(nb) branches")
        }
        return ModeHarmonics(
            forceConstants: fc, eigenvectors: e, gruneisen: g, gruneisenTensor: t,
            largestFrequencyDeviation: try file.get("/harmonic/largest_frequency_deviation", as: Double.self, units: "THz")[0])
    }
}
