import Foundation
import Model
import Store

/// Minimal reader of the Stillinger–Weber sample data (docs/sample-data.md) for the interface-kernel tests:
/// phono3py's kappa-m888.hdf5 (frequency THz, group_velocity THz·Å, gamma THz HWHM, reduced q-points) and
/// reference.json (cell, volume). Kept in the test so the kernels are checked against data read independently
/// of the Ingest stage.
enum KernelSampleData {
    /// Where the repository's data/ lives, from this file's path (Tests/SolveTests/Interfaces/…), so the tests run
    /// from the main package and from the isolated helper package (whose test sources are a symlink).
    static var dataDirectory: URL {
        let candidates = [
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../data"),
            URL(fileURLWithPath: "/work/main/data")
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("si").path) }
            ?? candidates[1]
    }

    nonisolated(unsafe) private static var cache = [String: ModeSet]()
    private static let lock = NSLock()

    /// The 8×8×8 full-mesh mode set of `material` ("si" or "ge") at 300 K.
    static func modes(_ material: String) throws -> ModeSet {
        lock.lock(); defer { lock.unlock() }
        if let m = cache[material] { return m }
        let dir = dataDirectory.appendingPathComponent(material)
        let ref = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("reference.json"))) as! [String: Any]
        let volume = ref["cell_volume_m3"] as! Double
        let cell = (ref["primitive_cell_angstrom"] as! [[Double]]).map { $0.map { $0 * 1e-10 } }
        let file = try HDF5File.open(dir.appendingPathComponent("kappa-m888.hdf5").path)
        defer { try? file.close() }
        let freq: [Double] = try file.readDataset("frequency")
        let gv: [Double] = try file.readDataset("group_velocity")
        let gamma: [Double] = try file.readDataset("gamma")
        let qred: [Double] = try file.readDataset("qpoint")
        let weight: [Int] = try file.readDataset("weight")
        let temps: [Double] = try file.readDataset("temperature")
        let nq = weight.count, nb = freq.count / nq
        let wsum = Double(weight.reduce(0, +))
        // Reciprocal vectors b_i with a_i·b_j = 2π δ_ij: rows of 2π (Aᵀ)⁻¹ = 2π × cofactors / det.
        let a = cell
        func cross(_ u: [Double], _ v: [Double]) -> [Double] {
            [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]]
        }
        let det = zip(a[0], cross(a[1], a[2])).map(*).reduce(0, +)
        let b = [cross(a[1], a[2]), cross(a[2], a[0]), cross(a[0], a[1])].map { $0.map { 2 * Double.pi * $0 / det } }
        var omega = [Double](), vx = [Double](), vy = [Double](), vz = [Double](), tau = [Double](), rho = [Double]()
        var dndT = [Double](), qx = [Double](), qy = [Double](), qz = [Double](), branch = [Int32](), qIndex = [Int32]()
        let T = temps[0]
        for iq in 0..<nq {
            let h = (0..<3).map { qred[3 * iq + $0] }
            let q = (0..<3).map { c in h[0] * b[0][c] + h[1] * b[1][c] + h[2] * b[2][c] }
            for s in 0..<nb {
                let f = freq[iq * nb + s]
                let w = 2 * Double.pi * 1e12 * f
                omega.append(w)
                vx.append(100 * gv[(iq * nb + s) * 3]); vy.append(100 * gv[(iq * nb + s) * 3 + 1]); vz.append(100 * gv[(iq * nb + s) * 3 + 2])
                let g = gamma[iq * nb + s]
                tau.append(g > 0 ? 1 / (4 * Double.pi * g * 1e12) : .infinity)
                rho.append(Double(weight[iq]) / (wsum * volume))
                // Acoustic modes at Γ (f below phono3py's 1e-4 THz cutoff) carry no heat: zero ∂n̄/∂T, not 0/0.
                dndT.append(f > 1e-4 ? BoseEinstein.dOccupationdT(omega: w, temperature: T) : 0)
                qx.append(q[0]); qy.append(q[1]); qz.append(q[2])
                branch.append(Int32(s)); qIndex.append(Int32(iq))
            }
        }
        let m = ModeSet(
            temperature: T, omega: omega, vx: vx, vy: vy, vz: vz, tau: tau, volumeWeight: rho, dndT: dndT,
            qx: qx, qy: qy, qz: qz, branch: branch, qIndex: qIndex)
        cache[material] = m
        return m
    }
}
