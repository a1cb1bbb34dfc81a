import Foundation
import Model
import Config
import Store
import Solve

extension BenchRun {
    func collisions() throws {
        let (polar, az) = quick ? (16, 32) : (32, 48) // 512 or 1536 modes
        let mesh = try sphereMesh(quick ? 0.15 : 0.1)
        let gray = GrayMedium.make(polar: polar, azimuthal: az, speed: 1, meanFreePath: 0.3, heatCapacity: 1)
        let nm = gray.modes.count
        var vals = [Double](repeating: 0, count: nm * nm)
        for i in 0..<nm { for j in 0..<nm where i != j { vals[i * nm + j] = 1e-3 * Double((i * 31 + j * 17) % 101) } }
        var dense = gray
        dense.collision = .dense(DenseMatrix(rows: nm, columns: nm, values: vals))
        let t = try Transport(mesh: SweepMesh(mesh: mesh), material: dense, walls: [1: .black(temperature: nil)])
        let nn = t.nodeCount
        let psi = source(t)
        var g = [Double]()
        let flops = 2 * Double(nm) * Double(nm) * Double(nn)
        let reps = quick ? 3 : 5
        t.scatter(psi: psi, into: &g)
        let ts = Clock.time(repeats: reps) { t.scatter(psi: psi, into: &g) }
        let tg = Reference.dgemmSeconds(m: nm, n: nn, k: nm, repeats: reps)
        let ratio = tg.best / ts.best
        table.add(
            "collisions", "dense M·ψ (\(nm)×\(nm))·(\(nm)×\(nn))", value: flops / ts.best * 1e-9, unit: "GFLOP/s",
            display: String(format: "%.1f GFLOP/s = %.0f%% of dgemm %.1f GFLOP/s", flops / ts.best * 1e-9, 100 * ratio, flops / tg.best * 1e-9),
            limit: "≥ 70%", ok: ratio >= 0.7, better: .higher, normalized: (ratio, "of dgemm, same shapes"), spread: ts.spread + tg.spread)
        // RTA (rank one): memory-bound; compared with one streaming pass over ψ and G (read + write).
        let rta = try Transport(mesh: SweepMesh(mesh: mesh), material: gray, walls: [1: .black(temperature: nil)])
        let tr = Clock.time(repeats: reps) { rta.scatter(psi: psi, into: &g) }
        var copy = [Double](repeating: 0, count: psi.count)
        let tc = Clock.time(repeats: reps) {
            psi.withUnsafeBufferPointer { a in copy.withUnsafeMutableBufferPointer { b in b.baseAddress!.update(from: a.baseAddress!, count: a.count) } }
        }
        table.add(
            "collisions", "rank-one (RTA) M·ψ, same shape", value: tr.best * 1e3, unit: "ms",
            display: String(format: "%.1f ms = %.0f%% of a copy of ψ (%.1f ms)", tr.best * 1e3, 100 * tc.best / tr.best, tc.best * 1e3),
            better: .lower, normalized: (tr.best / tc.best, "copies of ψ"), spread: tr.spread + tc.spread)
    }

    func storage() throws {
        // The shape of one Si event on the end-to-end mesh: 3072 modes × ~3900 nodes (quick: 384 modes).
        let nm = quick ? 384 : 3072, nn = quick ? 1500 : 3900, nf = quick ? 1000 : 3000
        let events = quick ? 3 : 4
        let modes = GrayMedium.make(polar: nm / 32, azimuthal: 32, speed: 1, meanFreePath: 1, heatCapacity: 1).modes
        let mesh = BoxMesh.make(cells: (1, 1, 1), lengths: Vector3(1, 1, 1))
        let region = RunRegion(name: "bench", modes: modes, nodeIndex: (0..<nn).map(Int32.init), faceIndex: (0..<nf).map(Int32.init))
        // Smooth, realistic-looking data (compressible as real ψ is: neighbours alike, low bits noisy).
        var psi = [Double](repeating: 0, count: nm * nn)
        for mu in 0..<nm { for n in 0..<nn { psi[mu * nn + n] = 1e-3 * exp(-Double(n) / Double(nn)) * (1 + 0.1 * sin(Double(mu) + 0.01 * Double(n))) } }
        let flux = [Double](repeating: 1e-4, count: nm * nf), trace = [Double](repeating: 2e-4, count: nm * 3 * nf)
        let bytes = Double(8 * (psi.count + flux.count + trace.count))
        let raw = try Reference.rawWriteSeconds(bytes: Int(bytes) * events, path: dir + "/raw.bin") / Double(events)
        let rawRate = bytes / raw / 1e6
        table.add(
            "storage", "raw sequential write (fsync), \(nm)×\(nn) ψ + traces", value: rawRate, unit: "MB/s",
            display: String(format: "%.0f MB/s", rawRate), better: .higher, normalized: (rawRate / table.reference.writeMBps, "of the reference write"))
        // Fletcher32 is on in every run file; the rows without it state what the checksums cost.
        let cases: [(String, Int?, Bool)] = [
            ("no compression", nil, true), ("no compression, no checksum", nil, false),
            ("shuffle+deflate 1", 1, true), ("shuffle+deflate 1, no checksum", 1, false)
        ]
        let checksumDefault = HDF5DatasetOptions.checksumByDefault
        defer { HDF5DatasetOptions.checksumByDefault = checksumDefault }
        for (label, deflate, checksum) in cases {
            HDF5DatasetOptions.checksumByDefault = checksum && checksumDefault
            let path = dir + "/storage.h5"
            let header = RunFileWriter.Header(
                mesh: mesh, regions: [region], provenance: try Provenance(inputs: [], checksums: []),
                config: "bench", counting: "bulk-only", float32: false, deflate: deflate)
            var times: [Double] = []
            for _ in 0..<2 {
                let w = try RunFileWriter(outputPath: path, header: header, resume: false)
                defer { w.discard() }
                let s = try Clock.time {
                    for m in 0..<events {
                        try w.writeEvent(
                            m, regions: [RegionEvent(psi: psi, boundaryFlux: flux, trace: trace)], injectedVolume: 1,
                            injectedBoundary: 0, scattered: 1, leaving: [:], relativeChange: 1, sweeps: 1)
                    }
                    try w.synchronize()
                }
                times.append(s.best / Double(events))
            }
            let per = times.min()!, rate = bytes / per / 1e6
            table.add(
                "storage", "writeEvent, \(label)", value: rate, unit: "MB/s",
                display: String(format: "%.0f MB/s = %.0f%% of raw", rate, 100 * rate / rawRate),
                limit: "≥ 50%", ok: rate >= 0.5 * rawRate, better: .higher, normalized: (rate / rawRate, "of raw"),
                spread: (times.max()! - per) / per)
        }
    }
}
