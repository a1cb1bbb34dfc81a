import Foundation
import Model
import Config
import Ingest
import Solve

extension BenchRun {
    func sphereMesh(_ h: Double) throws -> TetMesh {
        guard MeshGenerators.gmshAvailable else { throw BenchError("bench needs gmsh for its irregular meshes (make deps)") }
        return try MeshGenerators.sphere(radius: 1, meshSize: h, unit: "m").mesh
    }

    /// A volume source that is smooth in space and differs by mode, so no sweep is trivially zero.
    func source(_ t: Transport) -> [Double] {
        let nn = t.nodeCount
        var g = [Double](repeating: 0, count: t.volumeSize)
        for mu in 0..<t.modeCount {
            for n in 0..<nn {
                let p = t.mesh.mesh.node(n)
                g[mu * nn + n] = 1 + 0.5 * sin(3 * p.x + Double(mu % 7)) * cos(2 * p.y - p.z)
            }
        }
        return g
    }

    func drift() throws {
        let h = quick ? 0.15 : 0.1
        let (polar, az) = quick ? (8, 16) : (16, 32)
        let mesh = try sphereMesh(h)
        let mat = GrayMedium.make(polar: polar, azimuthal: az, speed: 1, meanFreePath: 0.3, heatCapacity: 1)
        let t = try Transport(mesh: SweepMesh(mesh: mesh), material: mat, walls: [1: .black(temperature: 1)])
        var inflow = [Double](repeating: 0, count: t.boundarySize)
        t.walls.thermalEmission(mesh: t.mesh, modes: t.modes, into: &inflow)
        let g = source(t)
        var psi = [Double](), trace = [Double]()
        let work = Double(t.modeCount * mesh.tetCount)
        let label = "gmsh sphere \(mesh.tetCount) tets × \(t.modeCount) dirs"
        let reps = quick ? 2 : 3
        let one = Clock.time(repeats: reps) { Self.serialDrift(t, source: g, inflow: inflow, psi: &psi, trace: &trace) }
        let all = Clock.time(repeats: reps) { t.drift(source: g, inflow: inflow, psi: &psi, trace: &trace) }
        let us1 = one.best / work * 1e6, usN = all.best / work * 1e6
        table.add(
            "drift", "1 thread, \(label)", value: us1, unit: "µs/(mode·tet)", display: String(format: "%.3f µs/(mode·tet)", us1),
            limit: "≤ 0.5", ok: us1 <= 0.5, better: .lower, normalized: table.perTriad(one.best / work), spread: one.spread)
        table.add(
            "drift", "\(cores) threads, same", value: usN, unit: "µs/(mode·tet)", display: String(format: "%.3f µs/(mode·tet) wall", usN),
            better: .lower, normalized: table.perTriad(all.best / work), spread: all.spread)
        let speedup = one.best / all.best
        table.add(
            "drift", "speed-up on \(cores) cores", value: speedup, unit: "1", display: String(format: "%.2f×", speedup),
            limit: "≥ 1.8", ok: speedup >= 1.8, better: .higher, spread: one.spread + all.spread)
        let c = Self.cycleStatistics(t)
        table.add(
            "drift", "dependency cycles", value: Double(c.cyclicTets), unit: "tets",
            display: "\(c.modesWithCycles)/\(t.modeCount) dirs, \(c.cyclicTets) tets, \(c.passes) passes")
        // A structured box for comparison (Kuhn tets, no cycles).
        let n = quick ? 10 : 16
        let box = BoxMesh.make(cells: (n, n, n), lengths: Vector3(1, 1, 1))
        let tb = try Transport(
            mesh: SweepMesh(mesh: box), material: mat,
            walls: Dictionary(uniqueKeysWithValues: (1...6).map { (Int32($0), WallKind.black(temperature: 1)) }))
        var inb = [Double](repeating: 0, count: tb.boundarySize)
        tb.walls.thermalEmission(mesh: tb.mesh, modes: tb.modes, into: &inb)
        let gb = source(tb)
        let ob = Clock.time(repeats: reps) { Self.serialDrift(tb, source: gb, inflow: inb, psi: &psi, trace: &trace) }
        let wb = Double(tb.modeCount * box.tetCount), usb = ob.best / wb * 1e6
        table.add(
            "drift", "1 thread, box \(box.tetCount) tets × \(tb.modeCount) dirs", value: usb, unit: "µs/(mode·tet)",
            display: String(format: "%.3f µs/(mode·tet)", usb), limit: "≤ 0.5", ok: usb <= 0.5, better: .lower,
            normalized: table.perTriad(ob.best / wb), spread: ob.spread)
    }

    /// Sweeps every mode of `t` on the calling thread only (the one-core figure of the drift kernel).
    static func serialDrift(_ t: Transport, source: [Double], inflow: [Double], psi: inout [Double], trace: inout [Double]) {
        let nn = t.nodeCount, bs = 3 * t.boundaryFaceCount
        if psi.count != t.volumeSize { psi = .init(repeating: 0, count: t.volumeSize) }
        if trace.count != t.boundarySize { trace = .init(repeating: 0, count: t.boundarySize) }
        var scratch = SweepScratch(tetCount: t.mesh.tetCount)
        source.withUnsafeBufferPointer { s in
            inflow.withUnsafeBufferPointer { i in
                psi.withUnsafeMutableBufferPointer { p in
                    trace.withUnsafeMutableBufferPointer { tr in
                        for mu in 0..<t.modeCount where t.inverseSpeed[mu] != 0 {
                            _ = t.mesh.sweep(
                                direction: t.direction[mu], sigma: t.sigma[mu], sourceScale: t.inverseSpeed[mu],
                                source: s.baseAddress! + mu * nn, inflow: i.baseAddress! + mu * bs,
                                psi: p.baseAddress! + mu * nn, trace: tr.baseAddress! + mu * bs, scratch: &scratch)
                        }
                    }
                }
            }
        }
    }

    /// Sweep statistics of one mode set on one mesh: modes with dependency cycles, tets in cycles, extra passes.
    static func cycleStatistics(_ t: Transport) -> (modesWithCycles: Int, cyclicTets: Int, passes: Int) {
        let nn = t.nodeCount, bs = 3 * t.boundaryFaceCount
        var scratch = SweepScratch(tetCount: t.mesh.tetCount)
        let src = [Double](repeating: 1, count: nn), inf = [Double](repeating: 0, count: bs)
        var psi = [Double](repeating: 0, count: nn), tr = [Double](repeating: 0, count: bs)
        var modes = 0, tets = 0, passes = 0
        for mu in 0..<t.modeCount where t.inverseSpeed[mu] != 0 {
            let r = t.mesh.sweep(
                direction: t.direction[mu], sigma: t.sigma[mu], sourceScale: 1, source: src,
                inflow: inf, psi: &psi, trace: &tr, scratch: &scratch)
            if r.cyclicTets > 0 { modes += 1 }
            tets += r.cyclicTets; passes += r.passes
        }
        return (modes, tets, passes)
    }
}
