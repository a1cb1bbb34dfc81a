import Foundation
import Model
import Config

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

    /// Interpolation weights (summing to 1) of the discrete states around the in-plane wavevector (x, y): the nearest
    /// state in each quadrant of a frame aligned with the target's radial direction (so the target is bracketed in |q∥|
    /// and in azimuth, not just surrounded by its nearest ring), within `maxDistance`, the `neighbours` nearest of those
    /// kept, weighted ∝ 1/d² (a coincident state takes everything).
    func interpolate(x: Double, y: Double, among list: [Int], neighbours: Int, maxDistance: Double) -> [(Int, Double)] {
        let r = (x * x + y * y).squareRoot()
        let (rx, ry) = r > 0 ? (x / r, y / r) : (1.0, 0.0)
        var best = [(Int, Double)?](repeating: nil, count: 4)
        for c in list {
            let dx = qx[c] - x, dy = qy[c] - y
            let d = (dx * dx + dy * dy).squareRoot()
            guard d <= maxDistance else { continue }
            let radial = dx * rx + dy * ry, tangential = -dx * ry + dy * rx
            let quadrant = (radial >= 0 ? 0 : 1) + (tangential >= 0 ? 0 : 2)
            if let b = best[quadrant], b.1 <= d { continue }
            best[quadrant] = (c, d)
        }
        var near = best.compactMap { $0 }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        guard let first = near.first else { return [] }
        if first.1 <= 1e-9 * max(maxDistance, 1e-300) { return [(first.0, 1)] }
        near = Array(near.prefix(neighbours))
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
        // Marginal targets: each A mode transmits what A's own formula says; each B mode ν receives what B's formula
        // sends from its time reverse ν̄ (the continuum makes these consistent when both media carry the same
        // equilibrium flux per unit q∥ area, as phonon gases at one temperature do).
        let na = plan.a.modes.count, nb = plan.b.modes.count
        var colTarget = [Double](repeating: 0, count: na), rowTarget = [Double](repeating: 0, count: nb)
        for e in plan.ab { colTarget[Int(e.col)] += e.flux }
        for e in plan.ba { if let r = trB[Int(e.col)] { rowTarget[r] += e.flux } }
        // The two sides' formulas agree in total only up to their direction sampling; fit to the mean total so the
        // budget caps afterwards do not cut into either side's transmission.
        let sc = colTarget.reduce(0, +), sr = rowTarget.reduce(0, +)
        if sc > 0 && sr > 0 {
            let mean = 0.5 * (sc + sr)
            colTarget = colTarget.map { $0 * mean / sc }; rowTarget = rowTarget.map { $0 * mean / sr }
            if abs(sc - sr) > 0.05 * mean {
                plan.warnings.append(
                    String(
                        format:
                            "transmitted power from A (%.4g) and from B (%.4g) differ by more than 5%%: the media do not carry equal equilibrium flux per unit q-parallel area (see docs/smm.md); both fitted to the mean",
                        sc, sr))
            }
        }
        var ab = half(plan.ab) + half(reverse(plan.ba, rowTR: trA, colTR: trB))
        Self.fitMarginals(&ab, rowTarget: rowTarget, colTarget: colTarget)
        plan.ab = ab
        plan.ba = reverse(ab, rowTR: trB, colTR: trA)
        plan.aa = half(plan.aa) + half(reverse(plan.aa, rowTR: trA, colTR: trA))
        plan.bb = half(plan.bb) + half(reverse(plan.bb, rowTR: trB, colTR: trB))
    }

    /// Iterative proportional fitting on the pattern of a transmission block: the refracted/diffracted states are
    /// shared by interpolation, which neither side's sampling makes conservative on the other side, so a mode can
    /// receive more or less than its formula says. Alternately scaling rows and columns to their targets (ending on
    /// columns, so every arriving mode keeps its own transmissivity) removes that without changing which states couple.
    static func fitMarginals(_ e: inout [FluxPlan.Entry], rowTarget: [Double], colTarget: [Double], iterations: Int = 60) {
        var rs = [Double](repeating: 0, count: rowTarget.count), cs = [Double](repeating: 0, count: colTarget.count)
        for _ in 0..<iterations {
            for i in rs.indices { rs[i] = 0 }
            for x in e { rs[Int(x.row)] += x.flux }
            for i in e.indices { let r = Int(e[i].row); if rs[r] > 0 && rowTarget[r] > 0 { e[i].flux *= rowTarget[r] / rs[r] } }
            for i in cs.indices { cs[i] = 0 }
            for x in e { cs[Int(x.col)] += x.flux }
            var change = 0.0
            for i in e.indices {
                let c = Int(e[i].col)
                if cs[c] > 0 { let f = colTarget[c] / cs[c]; e[i].flux *= f; change = max(change, abs(f - 1)) }
            }
            if change < 1e-10 { break }
        }
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
