import Foundation
import Model

/// The in-plane frame of an interface: n from A into B, e1 (first misfit-array direction, or any in-plane axis) and
/// e2 = n × e1.
struct InPlaneFrame: Sendable {
    let n: Vector3, e1: Vector3, e2: Vector3
    init(normal: Vector3, firstAxis: Vector3? = nil) {
        n = normal.normalized
        let guess = firstAxis ?? (abs(n.x) < 0.9 ? Vector3(1, 0, 0) : Vector3(0, 1, 0))
        e1 = (guess - guess.dot(n) * n).normalized
        e2 = n.cross(e1)
    }
}

/// Per side: the isotropic wavevector q = ω v/|v|² of every mode (|q| = ω/|v|, along v), its in-plane components in
/// the frame, and the outgoing modes grouped by (bin, branch). Using q from the group velocity is exact for the
/// isotropic (gray, Debye) media of the closed-form tests; on a real dispersion it is the local isotropic
/// approximation (documented in docs/smm.md), chosen because it needs no reciprocal-lattice folding.
struct WavevectorTable: Sendable {
    struct Group: Hashable { let bin: Int; let branch: Int32 }
    let side: KernelSide
    let qx: [Double], qy: [Double], qn: [Double], qmag: [Double], speed: [Double]
    let outgoing: [Group: [Int]]
    /// Mean speed of each outgoing group: the branch speed c′ of its (ω, branch) shell.
    let groupSpeed: [Group: Double]

    init(side: KernelSide, frame: InPlaneFrame) {
        self.side = side
        let m = side.modes, n = m.count
        var qx = [Double](repeating: 0, count: n), qy = qx, qn = qx, qmag = qx, speed = qx
        for mu in 0..<n {
            let v = m.velocity(mu), c = v.norm
            speed[mu] = c
            guard c > 0 else { qmag[mu] = .infinity; continue }
            let k = m.omega[mu] / c
            qmag[mu] = k
            qx[mu] = k * v.dot(frame.e1) / c; qy[mu] = k * v.dot(frame.e2) / c; qn[mu] = k * v.dot(frame.n) / c
        }
        self.qx = qx; self.qy = qy; self.qn = qn; self.qmag = qmag; self.speed = speed
        var g = [Group: [Int]]()
        for mu in side.outgoing where speed[mu] > 0 { g[Group(bin: side.bin[mu], branch: m.branch[mu]), default: []].append(mu) }
        outgoing = g
        groupSpeed = g.mapValues { list in list.reduce(0) { $0 + speed[$1] } / Double(list.count) }
    }

    /// Interpolation weights (summing to 1) of the discrete states nearest the in-plane wavevector (x, y): the
    /// `neighbours` nearest within `maxDistance`, weighted ∝ 1/d² (a coincident state takes everything).
    func interpolate(x: Double, y: Double, among list: [Int], neighbours: Int, maxDistance: Double) -> [(Int, Double)] {
        var near = [(Int, Double)]()
        for c in list {
            let dx = qx[c] - x, dy = qy[c] - y
            let d = (dx * dx + dy * dy).squareRoot()
            guard d <= maxDistance else { continue }
            if near.count < neighbours { near.append((c, d)); near.sort { $0.1 < $1.1 } }
            else if d < near[near.count - 1].1 { near[near.count - 1] = (c, d); near.sort { $0.1 < $1.1 } }
        }
        guard let first = near.first else { return [] }
        if first.1 <= 1e-9 * max(maxDistance, 1e-300) { return [(first.0, 1)] }
        let inv = near.map { 1 / ($0.1 * $0.1) }
        let s = inv.reduce(0, +)
        return zip(near, inv).map { ($0.0.0, $0.1 / s) }
    }
}

/// Turns per-mode proposals (fluxes from one side's arriving modes, built by the same formula from both sides) into an
/// exact kernel: time-reversal symmetrisation of transmission and diffuse reflection, then FluxPlan's cap, balance and
/// specular completion.
struct CoherentAssembly {
    var plan: FluxPlan
    let trA: [Int?], trB: [Int?]

    init(a: KernelSide, b: KernelSide) {
        plan = FluxPlan(a: a, b: b)
        trA = (0..<a.modes.count).map { a.timeReversed($0) }
        trB = (0..<b.modes.count).map { b.timeReversed($0) }
    }

    /// Reciprocity: the flux of a process μ → ν equals that of its time reverse ν̄ → μ̄ (−v, −q, same ω). Each block
    /// pair is replaced by the mean of the proposal and the time reverse of the opposite proposal; the B→A block is then
    /// exactly the time reverse of the A→B block.
    mutating func symmetrise() {
        typealias E = FluxPlan.Entry
        func reverse(_ e: [E], rowTR: [Int?], colTR: [Int?]) -> [E] {
            // Process col → row reversed: TR(row) → TR(col), i.e. new column TR(row), new row TR(col).
            e.compactMap { x in
                guard let c = rowTR[Int(x.row)], let r = colTR[Int(x.col)] else { return nil }
                return E(row: Int32(r), col: Int32(c), flux: x.flux)
            }
        }
        func half(_ e: [E]) -> [E] { e.map { E(row: $0.row, col: $0.col, flux: 0.5 * $0.flux) } }
        let ab = half(plan.ab) + half(reverse(plan.ba, rowTR: trA, colTR: trB))
        plan.ab = ab
        plan.ba = reverse(ab, rowTR: trB, colTR: trA)
        plan.aa = half(plan.aa) + half(reverse(plan.aa, rowTR: trA, colTR: trA))
        plan.bb = half(plan.bb) + half(reverse(plan.bb, rowTR: trB, colTR: trB))
    }

    mutating func finish(name: String, description: String, binWidth: Double?, warnings: [String]) -> InterfaceKernel {
        symmetrise()
        plan.capBudgets()
        plan.balanceTransmission()
        plan.completeReflections(specular: true)
        var k = plan.kernel(name: name, description: description, binWidth: binWidth)
        k.warnings = warnings + k.warnings
        return k
    }
}
