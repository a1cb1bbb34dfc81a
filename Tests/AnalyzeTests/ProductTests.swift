import XCTest
import Foundation
import Model
import Store
import Solve
import Config
@testable import Analyze

/// Every product against values computed here directly from the stored ψ, and xarray opening the file.
final class ProductTests: XCTestCase {
    nonisolated(unsafe) static var dir = ""
    nonisolated(unsafe) static var runPath = "", ncPath = ""

    override class func setUp() {
        dir = NSTemporaryDirectory() + "pbte-analyze-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let mat = GrayMedium.make(polar: 6, azimuthal: 4, speed: 1000, meanFreePath: 2e-7, heatCapacity: 1e6)
        let mesh = BoxMesh.make(cells: (2, 2, 6), lengths: Vector3(3e-7, 3e-7, 6e-7))
        let prov = try! Provenance(inputs: [], checksums: [])
        try! MaterialFile.write(mat, to: dir + "/gray.h5", sourceFormat: "gray-synthetic", provenance: prov)
        try! MeshFile.write(mesh, to: dir + "/box.h5", provenance: prov)
        let toml = """
            [run]
            material = "gray.h5"
            mesh = "box.h5"
            [events]
            max_events = 6
            counting = "bulk-only"
            [[wall]]
            boundary = "zmin"
            kind = "black"
            temperature = "2 K"
            [[wall]]
            boundary = "zmax"
            kind = "black"
            [[wall]]
            boundary = "xmin"
            kind = "diffuse"
            [[wall]]
            boundary = "xmax"
            kind = "specular"
            [[wall]]
            boundary = "ymin"
            kind = "diffuse"
            [[wall]]
            boundary = "ymax"
            kind = "partially-specular"
            specularity = 0.4
            [[source]]
            kind = "gaussian"
            power_density = "1e18 W m-3"
            center = "150 150 300 nm"
            width = "100 nm"
            """
        try! toml.write(toFile: dir + "/run.toml", atomically: true, encoding: .utf8)
        let cfg = try! RunConfig.load(path: dir + "/run.toml")
        runPath = dir + "/run.h5"; ncPath = dir + "/products.nc"
        _ = try! SolveStage.run(config: cfg, output: runPath)
        var o = AnalysisOptions()
        o.binning = .slab(axis: 2, bins: 6)
        o.energyBins = 3
        try! AnalyzeStage.run(runPath: runPath, output: ncPath, options: o)
    }

    override class func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func testTemperaturePerEventMatchesDirectSum() throws {
        let run = try RunFileReader(path: Self.runPath)
        let nc = try NetCDFFile.open(Self.ncPath)
        let tv = try nc.variable("temperature_event").read(as: Double.self)
        let m = run.regions[0].modes, nn = run.mesh.nodeCount
        var c = 0.0
        for mu in 0..<m.count { c += m.volumeWeight[mu] * m.heatCapacity(mu) }
        for e in 0..<run.events {
            let psi = try run.psi(region: 0, event: e)
            for n in 0..<nn {
                var s = 0.0
                for mu in 0..<m.count { s += m.volumeWeight[mu] * m.energy(mu) * psi[mu * nn + n] }
                XCTAssertEqual(tv[e * nn + n], s / c, accuracy: 1e-12 * max(1, abs(s / c)))
            }
        }
    }

    func testSlabBinsAndCumulativeMatchDirectAverages() throws {
        let run = try RunFileReader(path: Self.runPath)
        let nc = try NetCDFFile.open(Self.ncPath)
        let cum = try nc.variable("temperature_binned_cumulative").read(as: Double.self)
        let tv = try nc.variable("temperature_event").read(as: Double.self)
        let mesh = run.mesh, nn = mesh.nodeCount
        let geo = MeshGeometry(mesh: mesh, topology: MeshTopology(mesh: mesh))
        var running = [Double](repeating: 0, count: nn)
        for e in 0..<run.events {
            for n in 0..<nn { running[n] += tv[e * nn + n] }
            var s = [Double](repeating: 0, count: 6), v = s
            for t in 0..<mesh.tetCount {
                let z = (0..<4).map { mesh.node(mesh.corner(t, $0)).z }.reduce(0, +) / 4
                let k = min(5, Int(z / 6e-7 * 6))
                s[k] += geo.volume[t] * (0..<4).map { running[mesh.corner(t, $0)] }.reduce(0, +) / 4
                v[k] += geo.volume[t]
            }
            for k in 0..<6 { XCTAssertEqual(cum[e * 6 + k], s[k] / v[k], accuracy: 1e-12 * max(1, abs(s[k] / v[k]))) }
        }
    }

    /// Summed over frequency, the surface map must equal the solver's own per-tag leaving power.
    func testSurfacePowerMatchesTheSolversBalance() throws {
        let run = try RunFileReader(path: Self.runPath)
        let nc = try NetCDFFile.open(Self.ncPath)
        let p = try nc.variable("surface_power").read(as: Double.self)
        let leaving = try run.balance("leaving")
        let nt = run.boundaryTags.count
        for e in 0..<run.events {
            for t in 0..<nt {
                let s = (0..<3).reduce(0.0) { $0 + p[(e * nt + t) * 3 + $1] }
                XCTAssertEqual(s, leaving[e * nt + t], accuracy: 1e-9 * max(1e-30, abs(leaving[e * nt + t])) + 1e-25)
            }
        }
    }

    /// The products carry the mesh (UGRID) and node volumes that make a weighted mean the volume mean: they sum to
    /// the box's volume, and the weighted mean of a linear field (a node coordinate) is its value at the centroid.
    func testProductsCarryTheMeshAndNodeVolumes() throws {
        let nc = try NetCDFFile.open(Self.ncPath)
        XCTAssertEqual(try nc.variable("mesh").attribute("topology_dimension", as: Int32.self), 3)
        XCTAssertEqual(try nc.variable("mesh").stringAttribute("node_coordinates"), "node_x node_y node_z")
        let tets = try nc.variable("mesh_tet_nodes").read(as: Int32.self)
        XCTAssertEqual(tets.count, 4 * 2 * 2 * 6 * 6)
        let v = try nc.variable("node_volume").read(as: Double.self)
        XCTAssertEqual(v.reduce(0, +), 3e-7 * 3e-7 * 6e-7, accuracy: 1e-12 * 5.4e-20)
        for (name, extent) in [("node_x", 3e-7), ("node_y", 3e-7), ("node_z", 6e-7)] {
            let x = try nc.variable(name).read(as: Double.self)
            let mean = zip(v, x).map { $0 * $1 }.reduce(0, +) / v.reduce(0, +)
            let base = try nc.variable(name).read(as: Double.self).min()!
            XCTAssertEqual(mean, base + extent / 2, accuracy: 1e-12 * extent, name)
        }
        XCTAssertEqual(try nc.variable("temperature").stringAttribute("cell_measures"), "volume: node_volume")
        XCTAssertEqual(try nc.variable("temperature").stringAttribute("mesh"), "mesh")
    }

    /// The angular map redistributes the same power over directions: per event, W sr⁻¹ times the bins' equal solid
    /// angle sums to the boundary total; the polar bins are of equal solid angle (uniform in cos θ).
    func testAngularMapConservesSurfacePower() throws {
        let nc = try NetCDFFile.open(Self.ncPath)
        let p = try nc.variable("surface_power").read(as: Double.self)
        let a = try nc.variable("surface_power_angular").read(as: Double.self)
        let ne = try nc.dimension("event").length
        let nth = try nc.dimension("polar_angle").length, nph = try nc.dimension("azimuth").length
        XCTAssertEqual(try nc.variable("surface_power_angular").stringAttribute("units"), "W sr-1")
        let bounds = try nc.variable("polar_angle_bounds").read(as: Double.self)
        for i in 0..<nth {
            let omega = (cos(bounds[2 * i] * .pi / 180) - cos(bounds[2 * i + 1] * .pi / 180)) * 2 * .pi
            XCTAssertEqual(omega, 4 * .pi / Double(nth), accuracy: 1e-12)
        }
        let binSolidAngle = 4 * Double.pi / Double(nth * nph)
        let perEvent = p.count / ne, perMap = a.count / ne
        for e in 0..<ne {
            let total = p[(e * perEvent)..<((e + 1) * perEvent)].reduce(0, +)
            let ang = a[(e * perMap)..<((e + 1) * perMap)].reduce(0, +) * binSolidAngle
            XCTAssertEqual(ang, total, accuracy: 1e-12 * abs(total) + 1e-30)
        }
    }

    /// For a gray medium with no mode at v_z = 0, half the heat capacity moves each way, so the equivalent-equilibrium
    /// temperature is the mean of the two emitted temperatures, event by event and in the steady state.
    func testEmittedTemperaturesAverageToTheEquivalentOne() throws {
        let nc = try NetCDFFile.open(Self.ncPath)
        for (eq, plus, minus) in [
            ("temperature_event", "temperature_emitted_plus_event", "temperature_emitted_minus_event"),
            ("temperature", "temperature_emitted_plus", "temperature_emitted_minus")
        ] {
            let t = try nc.variable(eq).read(as: Double.self)
            let p = try nc.variable(plus).read(as: Double.self), m = try nc.variable(minus).read(as: Double.self)
            for i in t.indices { XCTAssertEqual(t[i], 0.5 * (p[i] + m[i]), accuracy: 1e-12 * max(1, abs(t[i])), eq) }
        }
    }

    /// Mode spectra in the products are the run's modes.
    func testModeSpectraMatchTheRun() throws {
        let run = try RunFileReader(path: Self.runPath)
        let nc = try NetCDFFile.open(Self.ncPath)
        let r = run.regions[0]
        let f = try nc.variable("\(r.name)_frequency").read(as: Double.self)
        let s = try nc.variable("\(r.name)_group_speed").read(as: Double.self)
        for mu in 0..<r.modes.count {
            XCTAssertEqual(f[mu], r.modes.omega[mu] / (2 * Double.pi * 1e12), accuracy: 1e-12)
            XCTAssertEqual(s[mu], r.modes.speed(mu), accuracy: 1e-9)
        }
    }

    func testXarrayOpensTheProducts() throws {
        guard let py = ProcessInfo.processInfo.environment["PBTE_PYTHON"] else { throw XCTSkip("PBTE_PYTHON not set") }
        let script = """
            import sys, xarray as xr, numpy as np
            d = xr.open_dataset(sys.argv[1])
            assert d.attrs["Conventions"] == "CF-1.11"
            for v in ["temperature_event", "temperature_binned_cumulative", "surface_power", "temperature", "heat_flux"]:
                assert "units" in d[v].attrs and "long_name" in d[v].attrs, v
            assert d.temperature_binned_cumulative.dims == ("event", "z")
            assert d.z.attrs["bounds"] == "z_bounds" and np.all(np.diff(d.z.values) > 0)
            last = d.temperature_binned_cumulative.isel(event=-1).values
            assert np.all(np.isfinite(last))
            print("ok", d.sizes["event"])
            """
        let p = Process()
        // Under coreutils' timeout: a Python that hangs fails the test instead of CI.
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments = ["--kill-after=10", "600", py, "-c", script, Self.ncPath]
        let err = Pipe(); p.standardError = err
        try p.run()
        let msg = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, msg)
    }
}
