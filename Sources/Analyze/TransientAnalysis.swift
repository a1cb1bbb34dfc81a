import Foundation
import Model
import Store

/// Analyze for a transient run file: T(r, t), heat flux, event-labelled parts, the mean number of events suffered,
/// the energy in each region and the power leaving through each boundary, on an elapsed-time axis
/// (data-schema/analysis.md, Transient products).
enum TransientAnalysis {
    static func run(
        runPath: String, output: String, options: AnalysisOptions, commandLine: String,
        progress: ((String) -> Void)?
    ) throws {
        let run = try TransientRunReader(path: runPath)
        defer { run.close() }
        guard run.complete else {
            throw StoreError(
                .invalidArgument, file: runPath, object: "/@complete", operation: "analyze",
                message: "the transient run is not complete (an interrupted solve); resume it with `pbte-pipeline solve` first")
        }
        let mesh = run.mesh
        let geo = MeshGeometry(mesh: mesh, topology: MeshTopology(mesh: mesh))
        let observables = run.regions.map { NodeObservables(modes: $0.modes, nodeCount: $0.nodes) }
        let bins = SpatialBins(mesh: mesh, tetVolume: geo.volume, binning: options.binning)
        let tags = run.boundaryTags
        let nn = mesh.nodeCount, nb = bins.count, nt = run.times.count, nh = run.historyTimes.count, np = run.parts
        let c = bins.coordinateName
        func gather(_ parts: [[Double]], width: Int = 1) -> [Double] {
            var out = [Double](repeating: .nan, count: width * nn)
            for (r, p) in parts.enumerated() {
                for (i, g) in run.regions[r].nodeIndex.enumerated() { for k in 0..<width { out[width * Int(g) + k] = p[width * i + k] } }
            }
            return out
        }
        let runSum = try SHA256.file(runPath)
        var series = XDMFWriter.Series.time
        series.times = run.times
        var written = false
        do {
            try NetCDFFile.writeAtomically(output) { nc in
                for (name, n) in [
                    ("elapsed_time", nt), ("history_time", nh), ("node", nn), (c, nb), ("nv", 2), ("part", np),
                    ("boundary", tags.count), ("region", run.regions.count), ("vector", 3), ("tet", mesh.tetCount), ("tet_node", 4)
                ] {
                    try nc.defineDimension(name, length: n)
                }
                let cf = CFWriter(file: nc)
                try ProductHeader.writeProvenance(
                    nc, title: "pbte-pipeline transient products",
                    source: .init(
                        runPath: runPath, runChecksum: runSum, inputFiles: run.inputFiles, inputChecksums: run.inputChecksums,
                        config: run.config, counting: run.counting), options: options, commandLine: commandLine,
                    extra: [
                        (
                            "comment",
                            "elapsed_time is time after the start of the run in seconds; it carries no reference date, since decoding one into calendar times would lose the picosecond steps"
                        ),
                        ("time_scheme", run.scheme)
                    ])
                try cf.variable(
                    "elapsed_time", Double.self, ["elapsed_time"], units: "s", long: "time after the start of the run (stored steps)",
                    values: run.times, fill: false)
                try cf.variable(
                    "history_time", Double.self, ["history_time"], units: "s", long: "time after the start of the run (every step)",
                    values: run.historyTimes, fill: false)
                try ProductHeader.writeMesh(cf, nc, mesh: mesh, tetVolume: geo.volume, bins: bins, tags: tags)
                let part = try cf.variable(
                    "part", Int32.self, ["part"], units: "1",
                    long: "events suffered: m for the labelled parts, the last part holds every later event", values: (0..<np).map(Int32.init))
                try part.setAttribute("comment", "part \(np - 1) is the rest (events ≥ \(np - 1))")
                try cf.variable(
                    "region", Int32.self, ["region"], units: "1", long: "material region (solver order)", values: (0..<run.regions.count).map(Int32.init))
                try nc.variable("region").setAttribute("region_names", run.regions.map(\.name).joined(separator: " "))

                let tv = try cf.define(
                    "temperature", ["elapsed_time", "node"], units: "K", long: "temperature rise (equivalent-equilibrium definition)", chunk: [1, nn])
                let qv = try cf.define("heat_flux", ["elapsed_time", "node", "vector"], units: "W m-2", long: "heat flux", chunk: [1, nn, 3])
                let tb = try cf.define(
                    "temperature_binned", ["elapsed_time", c], units: "K", long: "temperature rise averaged over \(c) bins", cellMethods: "\(c): mean")
                let tp =
                    np > 1
                    ? try cf.define(
                        "temperature_part", ["elapsed_time", "part", "node"], units: "K",
                        long: "temperature rise carried by the population that has suffered m events", chunk: [1, 1, nn]) : nil
                let tpb =
                    np > 1
                    ? try cf.define(
                        "temperature_part_binned", ["elapsed_time", "part", c], units: "K",
                        long: "temperature rise of part m averaged over \(c) bins", cellMethods: "\(c): mean") : nil
                let mb =
                    run.meanEvents
                    ? try cf.define(
                        "mean_events_binned", ["elapsed_time", c], units: "1",
                        long: "mean number of scattering events suffered by the energy in each \(c) bin") : nil
                for k in 0..<nt {
                    let psi = try run.regions.indices.map { try run.psi(region: $0, row: k) }
                    var total: [[Double]] = [], partT: [[Double]] = []
                    for (r, g) in run.regions.enumerated() {
                        let block = g.modes.count * g.nodes
                        var sum = [Double](repeating: 0, count: block)
                        for p in 0..<np { for i in 0..<block { sum[i] += psi[r][p * block + i] } }
                        total.append(sum)
                    }
                    let t = gather(run.regions.indices.map { observables[$0].temperature(total[$0]) })
                    try tv.write(t, start: [k, 0], count: [1, nn])
                    try qv.write(gather(run.regions.indices.map { observables[$0].heatFlux(total[$0]) }, width: 3), start: [k, 0, 0], count: [1, nn, 3])
                    let tBinned = bins.average(t)
                    try tb.write(tBinned, start: [k, 0], count: [1, nb])
                    series.values.append(t)
                    if let tp, let tpb {
                        for p in 0..<np {
                            let tpart = gather(
                                run.regions.indices.map { r -> [Double] in
                                    let block = run.regions[r].modes.count * run.regions[r].nodes
                                    return observables[r].temperature(Array(psi[r][(p * block)..<((p + 1) * block)]))
                                })
                            partT.append(tpart)
                            try tp.write(tpart, start: [k, p, 0], count: [1, 1, nn])
                            try tpb.write(bins.average(tpart), start: [k, p, 0], count: [1, 1, nb])
                        }
                    }
                    if let mb {
                        let chi = gather(try run.regions.indices.map { observables[$0].temperature(try run.meanEventsPsi(region: $0, row: k)) })
                        let cb = bins.average(chi)
                        try mb.write((0..<nb).map { abs(tBinned[$0]) > 0 ? cb[$0] / tBinned[$0] : .nan }, start: [k, 0], count: [1, nb])
                    }
                    progress?("analyzed stored step \(k + 1)/\(nt)")
                }
                let carried = np + (run.meanEvents ? 1 : 0)
                let e = try run.history("energy", units: "J")
                let e0 = run.initialEnergy
                let whole = (0..<nh).map { h in (0..<np).reduce(0.0) { $0 + e[h * carried + $1] } }
                try cf.variable("energy", Double.self, ["history_time"], units: "J", long: "energy of the excess population in the whole body", values: whole)
                let start = e0.prefix(np).reduce(0, +)
                if start > 0 {
                    try cf.variable(
                        "energy_fraction", Double.self, ["history_time"], units: "1", long: "energy left, as a fraction of the initial population's",
                        values: whole.map { $0 / start })
                }
                try cf.variable(
                    "energy_part", Double.self, ["history_time", "part"], units: "J", long: "energy of the population that has suffered m events",
                    values: (0..<nh).flatMap { h in (0..<np).map { e[h * carried + $0] } })
                if run.meanEvents {
                    try cf.variable(
                        "mean_events", Double.self, ["history_time"], units: "1",
                        long: "mean number of scattering events suffered, energy-weighted over the body",
                        values: (0..<nh).map { h in whole[h] != 0 ? e[h * carried + np] / whole[h] : .nan })
                }
                try cf.variable(
                    "energy_region", Double.self, ["history_time", "region"], units: "J", long: "energy of the excess population in each region",
                    values: try run.history("region_energy", units: "J"))
                try cf.variable(
                    "power_leaving", Double.self, ["history_time", "boundary"], units: "W", long: "net power leaving through each boundary (outflow − inflow)",
                    values: try run.history("leaving", units: "W"))
                try XDMFWriter.write(
                    runPath: runPath, runChecksum: runSum, productsPath: output, mesh: mesh,
                    steady: [.init(name: "node_volume", type: "Scalar", width: 1)], series: series)
                written = true
            }
        } catch {
            if written { XDMFWriter.remove(for: output) }
            throw error
        }
    }
}
