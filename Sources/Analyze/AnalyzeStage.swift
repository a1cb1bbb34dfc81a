import Foundation
import Model
import Store

/// The analyze stage: a run file → CF-1.11 NetCDF products (+ an XDMF sidecar for ParaView). Never re-solves;
/// reads one event's ψ at a time so memory does not grow with the number of events.
public enum AnalyzeStage {
    public static func run(
        runPath: String, output: String, options: AnalysisOptions,
        commandLine: String = "", progress: ((String) -> Void)? = nil
    ) throws {
        try InputOutputGuard.refuseOverwrite(output: output, inputs: [runPath])
        for sidecar in XDMFWriter.outputs(for: output) { try InputOutputGuard.refuseOverwrite(output: sidecar, inputs: [runPath]) }
        if TransientRunReader.filetype(of: runPath) == Schema.transient.filetype {
            return try TransientAnalysis.run(runPath: runPath, output: output, options: options, commandLine: commandLine, progress: progress)
        }
        let run = try RunFileReader(path: runPath)
        defer { run.close() }
        guard run.complete else {
            throw StoreError(
                .invalidArgument, file: runPath, object: "/@complete", operation: "analyze",
                message: "the run is not complete (an interrupted solve); resume it with `pbte-pipeline solve` first")
        }
        let mesh = run.mesh
        let topo = MeshTopology(mesh: mesh)
        let geo = MeshGeometry(mesh: mesh, topology: topo)
        let observables = run.regions.map { NodeObservables(modes: $0.modes, nodeCount: $0.nodes) }
        let bins = SpatialBins(mesh: mesh, tetVolume: geo.volume, binning: options.binning)
        let tags = run.boundaryTags
        let arrivals = SurfaceArrivals(regions: run.regions, tags: tags, bins: options.energyBins)
        /// A nodal field of the whole mesh from each region's part.
        func gather(_ parts: [[Double]], width: Int = 1) -> [Double] {
            var out = [Double](repeating: .nan, count: width * mesh.nodeCount)
            for (r, p) in parts.enumerated() {
                for (i, g) in run.regions[r].nodeIndex.enumerated() { for c in 0..<width { out[width * Int(g) + c] = p[width * i + c] } }
            }
            return out
        }
        let ne = run.events, nn = mesh.nodeCount, nb = bins.count, nf = options.energyBins
        let runSum = try SHA256.file(runPath)

        var eventTemperatures: [[Double]] = [], steadyFields: [XDMFWriter.Field] = []
        var sidecarsWritten = false
        do {
            try NetCDFFile.writeAtomically(output) { nc in
                try nc.defineDimension("event", length: ne)
                try nc.defineDimension("node", length: nn)
                try nc.defineDimension(bins.coordinateName, length: nb)
                try nc.defineDimension("nv", length: 2)
                try nc.defineDimension("frequency", length: nf)
                try nc.defineDimension("boundary", length: tags.count)
                try nc.defineDimension("vector", length: 3)
                try nc.defineDimension("tet", length: mesh.tetCount)
                try nc.defineDimension("tet_node", length: 4)
                let cf = CFWriter(file: nc)
                try ProductHeader.writeProvenance(
                    nc, title: "pbte-pipeline products",
                    source: .init(
                        runPath: runPath, runChecksum: runSum, inputFiles: run.inputFiles, inputChecksums: run.inputChecksums,
                        config: run.config, counting: run.counting), options: options, commandLine: commandLine)

                try cf.variable("event", Int32.self, ["event"], units: "1", long: "scattering event index m", values: (0..<ne).map(Int32.init))
                try ProductHeader.writeMesh(cf, nc, mesh: mesh, tetVolume: geo.volume, bins: bins, tags: tags)
                let c = bins.coordinateName
                try cf.coordinate("frequency", units: "THz", long: "phonon frequency", edges: arrivals.frequencyEdges, axis: nil)

                let tEvent = try cf.define(
                    "temperature_event", ["event", "node"], units: "K",
                    long: "temperature rise carried by event m (equivalent-equilibrium definition)", chunk: [1, nn])
                let axisName = ["x", "y", "z"][options.axis]
                let tPlus = try cf.define(
                    "temperature_emitted_plus_event", ["event", "node"], units: "K",
                    long: "emitted temperature of event m: modes moving toward +\(axisName)", chunk: [1, nn])
                let tMinus = try cf.define(
                    "temperature_emitted_minus_event", ["event", "node"], units: "K",
                    long: "emitted temperature of event m: modes moving toward −\(axisName)", chunk: [1, nn])
                let qEvent = try cf.define(
                    "heat_flux_event", ["event", "node", "vector"], units: "W m-2",
                    long: "heat flux carried by event m", chunk: [1, nn, 3])
                let tBinEvent = try cf.define(
                    "temperature_binned_event", ["event", c], units: "K",
                    long: "temperature rise carried by event m, averaged over \(c) bins", cellMethods: "\(c): mean")
                let tBinCum = try cf.define(
                    "temperature_binned_cumulative", ["event", c], units: "K",
                    long: "temperature rise of events 0..m, averaged over \(c) bins", cellMethods: "\(c): mean")
                let surf = try cf.define(
                    "surface_power", ["event", "boundary", "frequency"], units: "W",
                    long: "power reaching each boundary at event m, per frequency bin")
                // Directions on the particle, not geographic coordinates: polar angle from +z in bins of equal cos θ
                // and azimuth from +x, so that every bin covers the same solid angle 4π/(nθ·nφ).
                let nlat = options.angularBins, nlon = 2 * options.angularBins
                try nc.defineDimension("polar_angle", length: nlat)
                try nc.defineDimension("azimuth", length: nlon)
                try cf.coordinate(
                    "polar_angle", units: "degree", long: "polar angle from +z of the surface point seen from the centre (bins of equal solid angle)",
                    edges: SurfaceArrivals.polarEdges(nlat).map { $0 * 180 / Double.pi }, axis: nil)
                try cf.coordinate(
                    "azimuth", units: "degree", long: "azimuth from +x (toward +y) of the surface point seen from the centre",
                    edges: (0...nlon).map { -180 + 360 * Double($0) / Double(nlon) }, axis: nil)
                let angular = try cf.define(
                    "surface_power_angular", ["event", "polar_angle", "azimuth"], units: "W sr-1",
                    long: "power reaching the boundary at event m per solid angle, by direction of the surface point from the centre")
                let (blo, bhi) = mesh.bounds
                let center: Vector3 = {
                    if case .radial(let c?, _, _) = options.binning { return c }
                    return 0.5 * (blo + bhi)
                }()
                var cumulative = [Double](repeating: 0, count: nn)
                var angularTotal = [Double](repeating: 0, count: nlat * nlon)
                eventTemperatures.reserveCapacity(ne)
                for m in 0..<ne {
                    let psiM = try run.regions.indices.map { try run.psi(region: $0, event: m) }
                    let t = gather(run.regions.indices.map { observables[$0].temperature(psiM[$0]) })
                    try tPlus.write(
                        gather(run.regions.indices.map { observables[$0].emittedTemperature(psiM[$0], axis: options.axis, positive: true) }),
                        start: [m, 0], count: [1, nn])
                    try tMinus.write(
                        gather(run.regions.indices.map { observables[$0].emittedTemperature(psiM[$0], axis: options.axis, positive: false) }),
                        start: [m, 0], count: [1, nn])
                    try qEvent.write(gather(run.regions.indices.map { observables[$0].heatFlux(psiM[$0]) }, width: 3), start: [m, 0, 0], count: [1, nn, 3])
                    for n in 0..<nn { cumulative[n] += t[n] }
                    try tEvent.write(t, start: [m, 0], count: [1, nn])
                    eventTemperatures.append(t)
                    try tBinEvent.write(bins.average(t), start: [m, 0], count: [1, nb])
                    try tBinCum.write(bins.average(cumulative), start: [m, 0], count: [1, nb])
                    var p = [Double](repeating: 0, count: tags.count * nf)
                    for r in run.regions.indices {
                        arrivals.add(flux: try run.boundaryFlux(region: r, event: m), region: run.regions[r], mesh: mesh, geometry: geo, into: &p)
                    }
                    try surf.write(p, start: [m, 0, 0], count: [1, tags.count, nf])
                    var ang = [Double](repeating: 0, count: nlat * nlon)
                    for r in run.regions.indices {
                        arrivals.addAngular(
                            flux: try run.boundaryFlux(region: r, event: m), region: run.regions[r], mesh: mesh, geometry: geo,
                            center: center, latitudes: nlat, longitudes: nlon, into: &ang)
                    }
                    try angular.write(ang, start: [m, 0, 0], count: [1, nlat, nlon])
                    for i in 0..<ang.count { angularTotal[i] += ang[i] }
                    progress?("analyzed event \(m + 1)/\(ne)")
                }
                // Mode spectra of each region: lifetime versus frequency, group speed versus direction.
                for r in run.regions {
                    let m = r.modes, d = "mode_\(r.name)"
                    try nc.defineDimension(d, length: m.count)
                    try cf.variable(
                        "\(r.name)_frequency", Double.self, [d], units: "THz", long: "\(r.name): phonon frequency",
                        values: m.omega.map { $0 / (2 * Double.pi * 1e12) })
                    try cf.variable(
                        "\(r.name)_lifetime", Double.self, [d], units: "s", long: "\(r.name): relaxation time (fill: excluded mode)",
                        values: m.tau.map { $0.isFinite ? $0 : .nan })
                    let speed = (0..<m.count).map { m.speed($0) }
                    try cf.variable("\(r.name)_group_speed", Double.self, [d], units: "m s-1", long: "\(r.name): group velocity magnitude", values: speed)
                    try cf.variable(
                        "\(r.name)_velocity_polar_angle", Double.self, [d], units: "degree", long: "\(r.name): angle of the group velocity from +z",
                        values: (0..<m.count).map { speed[$0] > 0 ? acos(max(-1, min(1, m.vz[$0] / speed[$0]))) * 180 / Double.pi : .nan })
                    try cf.variable(
                        "\(r.name)_velocity_azimuth", Double.self, [d], units: "degree", long: "\(r.name): azimuth of the group velocity from +x",
                        values: (0..<m.count).map { speed[$0] > 0 ? atan2(m.vy[$0], m.vx[$0]) * 180 / Double.pi : .nan })
                }
                try cf.variable(
                    "surface_power_angular_total", Double.self, ["polar_angle", "azimuth"], units: "W sr-1",
                    long: "power reaching the boundary per solid angle, summed over the stored events, by direction from the centre", values: angularTotal)
                try cf.variable(
                    "injected_power", Double.self, ["event"], units: "W", long: "power injected at event m (volume + walls)",
                    values: zip(try run.balance("injected_volume"), try run.balance("injected_boundary")).map { $0 + $1 })
                try cf.variable(
                    "scattered_power", Double.self, ["event"], units: "W", long: "power scattered out of event m",
                    values: try run.balance("scattered"))
                let steadyParts = try run.regions.indices.map { try run.accumulatedPsi(region: $0) }
                if steadyParts.allSatisfy({ $0 != nil }) {
                    let t = gather(run.regions.indices.map { observables[$0].temperature(steadyParts[$0]!) })
                    let q = gather(run.regions.indices.map { observables[$0].heatFlux(steadyParts[$0]!) }, width: 3)
                    try cf.variable(
                        "temperature", Double.self, ["node"], units: "K",
                        long: "steady temperature rise (all events and the remainder)", values: t)
                    try cf.variable("heat_flux", Double.self, ["node", "vector"], units: "W m-2", long: "steady heat flux", values: q)
                    steadyFields = [
                        .init(name: "temperature", type: "Scalar", width: 1), .init(name: "heat_flux", type: "Vector", width: 3),
                        .init(name: "temperature_emitted_plus", type: "Scalar", width: 1),
                        .init(name: "temperature_emitted_minus", type: "Scalar", width: 1)
                    ]
                    for (sign, label) in [(true, "plus"), (false, "minus")] {
                        try cf.variable(
                            "temperature_emitted_\(label)", Double.self, ["node"], units: "K",
                            long: "steady emitted temperature: modes moving toward \(sign ? "+" : "−")\(["x", "y", "z"][options.axis])",
                            values: gather(run.regions.indices.map { observables[$0].emittedTemperature(steadyParts[$0]!, axis: options.axis, positive: sign) })
                        )
                    }
                    try cf.variable(
                        "temperature_binned", Double.self, [c], units: "K", long: "steady temperature rise averaged over \(c) bins",
                        values: bins.average(t), cellMethods: "\(c): mean")
                    let interfaces = try run.interfaces()
                    if run.regions.count > 1, !interfaces.isEmpty {
                        let tags = interfaces.map(\.tag)
                        let tir = try InterfaceResistance.compute(
                            run: run, psi: steadyParts.map { $0! }, interfaceTags: tags,
                            axis: options.axis, margin: options.tirMargin)
                        if !tir.isEmpty {
                            try writeInterfaces(tir, landauer: tir.map { r in interfaces.first { $0.tag == r.tag }?.landauer ?? .nan }, cf: cf, nc: nc)
                            if case .slab = options.binning {
                                try writeDecay(
                                    run: run, psi: steadyParts.map { $0! }, arrivals: arrivals, bins: bins,
                                    interface: tir[0].position, margin: options.tirMargin, cf: cf, nc: nc)
                            }
                        }
                    }
                }
                // The sidecars are complete before the NetCDF they describe is renamed into place.
                try XDMFWriter.write(
                    runPath: runPath, runChecksum: runSum, productsPath: output, mesh: mesh,
                    steady: steadyFields + [.init(name: "node_volume", type: "Scalar", width: 1)],
                    eventTemperatures: eventTemperatures)
                sidecarsWritten = true
            }
        } catch {
            if sidecarsWritten { XDMFWriter.remove(for: output) }
            throw error
        }
    }

    static func writeInterfaces(_ tir: [InterfaceResistance.Result], landauer: [Double], cf: CFWriter, nc: NetCDFFile) throws {
        try nc.defineDimension("interface", length: tir.count)
        try cf.variable("interface", Int32.self, ["interface"], units: "1", long: "interface boundary tag", values: tir.map(\.tag))
        try cf.variable(
            "interface_position", Double.self, ["interface"], units: "m", long: "position of the interface plane along the fit axis",
            values: tir.map(\.position))
        try cf.variable(
            "interface_heat_flux", Double.self, ["interface"], units: "W m-2", long: "mean heat flux through the stack along the fit axis",
            values: tir.map(\.flux))
        try cf.variable(
            "heat_flux_spread", Double.self, ["interface"], units: "1", long: "(max − min)/mean of the nodal heat flux along the axis: uniformity check",
            values: tir.map(\.fluxSpread))
        try cf.variable(
            "tir_equivalent", Double.self, ["interface"], units: "m2 K W-1",
            long: "interface resistance from equivalent-equilibrium temperatures (fits extrapolated to the interface)", values: tir.map(\.equivalent))
        try cf.variable(
            "tir_emitted", Double.self, ["interface"], units: "m2 K W-1",
            long: "interface resistance from emitted temperatures (modes moving toward the interface)", values: tir.map(\.emitted))
        try cf.variable(
            "conductance_equivalent", Double.self, ["interface"], units: "W m-2 K-1", long: "1 / tir_equivalent", values: tir.map { 1 / $0.equivalent })
        try cf.variable("conductance_emitted", Double.self, ["interface"], units: "W m-2 K-1", long: "1 / tir_emitted", values: tir.map { 1 / $0.emitted })
        try cf.variable(
            "conductance_landauer", Double.self, ["interface"], units: "W m-2 K-1",
            long: "Landauer conductance from the kernel's transmission (emitted-temperature definition)", values: landauer)
    }

    /// Energy-binned populations beyond local equilibrium versus position, and their decay lengths on both sides
    /// of the (first) interface.
    static func writeDecay(
        run: RunFileReader, psi: [[Double]], arrivals: SurfaceArrivals, bins: SpatialBins,
        interface pos: Double, margin: Double, cf: CFWriter, nc: NetCDFFile
    ) throws {
        let dev = DecayLengths.deviation(run: run, psi: psi, arrivals: arrivals)
        let nf = dev.count, nb = bins.count, c = bins.coordinateName
        var profile = [Double](), lengths = [Double](repeating: .nan, count: 2 * nf), errors = lengths
        let centers = (0..<nb).map { 0.5 * (bins.edges[$0] + bins.edges[$0 + 1]) }
        for b in 0..<nf {
            let p = bins.average(dev[b])
            profile += p
            for side in 0..<2 {
                var d = [Double](), y = [Double]()
                // Leave out the bin cut by the interface and the bins within the margin of the outer walls.
                for k in 0..<nb
                where !(bins.edges[k] < pos && bins.edges[k + 1] > pos)
                    && centers[k] - bins.edges[0] >= margin && bins.edges[nb] - centers[k] >= margin
                {
                    let below = centers[k] < pos
                    if (side == 0) == below { d.append(abs(centers[k] - pos)); y.append(p[k]) }
                }
                if let f = DecayLengths.fit(distance: d, value: y) { lengths[side * nf + b] = f.length; errors[side * nf + b] = f.uncertainty }
            }
        }
        try nc.defineDimension("side", length: 2)
        try cf.variable("side", Int32.self, ["side"], units: "1", long: "0: below the interface along the axis, 1: above", values: [0, 1])
        try cf.variable(
            "population_deviation_binned", Double.self, ["frequency", c], units: "J m-3",
            long: "energy density of each frequency bin beyond its local-equilibrium share, averaged over \(c) bins",
            values: profile, cellMethods: "\(c): mean")
        try cf.variable(
            "decay_length", Double.self, ["side", "frequency"], units: "m",
            long: "decay length of the population deviation away from the interface (fit A exp(-d/l) + c)", values: lengths)
        try cf.variable(
            "decay_length_uncertainty", Double.self, ["side", "frequency"], units: "m",
            long: "half-width of the decay-length interval where the fit residual grows by its variance", values: errors)
    }
}
