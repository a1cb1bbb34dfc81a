import XCTest
import Foundation
import Store

/// The interface pipeline end to end from the command line: a gray bilayer joined by a diffuse sheet, solved and
/// analyzed; the interface resistance in the NetCDF products obeys R·(Cv/4) = (1−t)/t + 0.0657 (docs/physics.md §7.6)
/// within 2%, and with both walls at one temperature no heat flows.
final class InterfaceRunTests: XCTestCase {
    func config(kind: String, extra: String, hot: String, cold: String) -> String {
        bilayerConfig(
            kind: kind, extra: extra, hot: hot, cold: cold,
            events: """
                [events]
                max_events = 4
                krylov_tolerance = 1e-9
                krylov_restart = 60
                max_sweeps = 600
                """)
    }

    func testDiffuseSheetResistanceThroughThePipeline() throws {
        let dir = try CLI.temporaryDirectory("interface")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(
            try CLI.run(
                [
                    "ingest", "gray", "-o", "gray.h5", "--mean-free-path", "1 um", "--speed", "1000 m/s",
                    "--heat-capacity", "1e6 J m-3 K-1", "--polar", "32", "--azimuthal", "4"
                ], in: dir
            ).status, 0)
        let mesh = try CLI.run(
            [
                "ingest", "heterostructure", "-o", "bilayer.h5", "--cells", "1", "1", "80",
                "--lengths", "1 1 40 um", "--split", "20 um"
            ], in: dir)
        XCTAssertEqual(mesh.status, 0, mesh.stderr)
        try config(kind: "diffuse-sheet", extra: "transmissivity = 0.5", hot: "1 K", cold: "0 K")
            .write(toFile: dir + "/sheet.toml", atomically: true, encoding: .utf8)
        let solve = try CLI.run(["solve", "sheet.toml", "-o", "sheet.run.h5"], in: dir)
        XCTAssertEqual(solve.status, 0, solve.stderr)
        XCTAssertEqual(try CLI.run(["validate", "sheet.run.h5"], in: dir).status, 0)
        let an = try CLI.run(["analyze", "sheet.run.h5", "-o", "sheet.nc", "--binning", "slab-z", "--bins", "40", "--tir-margin", "5 um", "--quiet"], in: dir)
        XCTAssertEqual(an.status, 0, an.stderr)
        let nc = try NetCDFFile.open(dir + "/sheet.nc")
        let r = try nc.variable("tir_equivalent").read(as: Double.self)[0]
        let g = try nc.variable("conductance_landauer").read(as: Double.self)[0]
        let cv4 = 1e6 * 1000 / 4
        XCTAssertEqual(r * cv4, 1.0657, accuracy: 0.02 * 1.0657, "R·Cv/4")
        // Landauer G = t Σ_{v·n>0} ρC|v·n|, which the 32-point polar quadrature puts within 0.1% of t·Cv/4.
        XCTAssertEqual(g, 0.5 * cv4, accuracy: 2e-3 * cv4, "Landauer G = t·Cv/4 for a gray sheet")
        XCTAssertLessThan(try nc.variable("heat_flux_spread").read(as: Double.self)[0], 0.01)
    }

    func testEquilibriumAcrossADMMInterface() throws {
        let dir = try CLI.temporaryDirectory("interface-eq")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(try CLI.run(["ingest", "gray", "-o", "gray.h5", "--mean-free-path", "1 um", "--polar", "8", "--azimuthal", "4"], in: dir).status, 0)
        XCTAssertEqual(
            try CLI.run(
                [
                    "ingest", "heterostructure", "-o", "bilayer.h5", "--cells", "1", "1", "12",
                    "--lengths", "1 1 6 um", "--split", "3 um"
                ], in: dir
            ).status, 0)
        try config(kind: "dmm", extra: "", hot: "1 K", cold: "1 K").write(toFile: dir + "/eq.toml", atomically: true, encoding: .utf8)
        let solve = try CLI.run(["solve", "eq.toml", "-o", "eq.run.h5", "--quiet"], in: dir)
        XCTAssertEqual(solve.status, 0, solve.stderr)
        let f = try HDF5File.open(dir + "/eq.run.h5")
        let t = try f.readDataset("/accumulated/temperature", as: Double.self)
        let q = try f.readDataset("/accumulated/heat_flux", as: Double.self)
        XCTAssertLessThan(t.map { abs($0 - 1) }.max()!, 1e-9)
        XCTAssertLessThan(q.map(abs).max()! / (1e6 * 1000 / 4), 1e-10)
    }

    /// `solve --dry-run` builds each interface kernel as the solve would and prints its Landauer conductance, here
    /// t·C·v/4 = 125 MW m⁻² K⁻¹ for a t = 0.5 sheet between gray media (C = 10⁶ J m⁻³ K⁻¹, v = 1000 m/s), and writes nothing.
    func testDryRunReportsTheInterfaceKernel() throws {
        let dir = try CLI.temporaryDirectory("interface-dry")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(
            try CLI.run(
                [
                    "ingest", "gray", "-o", "gray.h5", "--mean-free-path", "1 um", "--speed", "1000 m/s",
                    "--heat-capacity", "1e6 J m-3 K-1", "--polar", "32", "--azimuthal", "4"
                ], in: dir
            ).status, 0)
        XCTAssertEqual(
            try CLI.run(
                [
                    "ingest", "heterostructure", "-o", "bilayer.h5", "--cells", "1", "1", "4",
                    "--lengths", "1 1 4 um", "--split", "2 um"
                ], in: dir
            ).status, 0)
        try config(kind: "diffuse-sheet", extra: "transmissivity = 0.5", hot: "1 K", cold: "0 K")
            .write(toFile: dir + "/sheet.toml", atomically: true, encoding: .utf8)
        let dry = try CLI.run(["solve", "sheet.toml", "-o", "sheet.run.h5", "--dry-run"], in: dir)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        let line = try XCTUnwrap(dry.stdout.split(separator: "\n").first { $0.contains("Landauer conductance") }, dry.stdout)
        let words = line.split(separator: " ").map(String.init)
        let g = try XCTUnwrap(words.firstIndex(of: "conductance").flatMap { Double(words[$0 + 1]) }, String(line))
        XCTAssertEqual(g, 125, accuracy: 0.005 * 125, String(line))
        XCTAssertTrue(line.contains("diffuse-sheet"), String(line))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/sheet.run.h5"))
    }

    /// Every interface kernel is the same in every process: two solves of one configuration give the same bits.
    /// Swift seeds its hashing per process, so no result may depend on a dictionary's iteration order (the SMM's
    /// final-state shells once did: ψ differed at 1e-12 between two runs).
    func testInterfaceSolvesAreTheSameInEveryProcess() throws {
        let dir = try CLI.temporaryDirectory("interface-repeat")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = CLI.repositoryRoot + "/data"
        for m in ["si", "ge"] {
            let r = try CLI.run(["ingest", "phono3py", "\(data)/\(m)/kappa-m444.hdf5", "--crystal", "\(data)/\(m)/crystal.\(m).txt", "-o", "\(m).h5"], in: dir)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let mesh = try CLI.run(
            ["ingest", "heterostructure", "-o", "bilayer.h5", "--cells", "1", "1", "8", "--lengths", "25 25 200 nm", "--split", "100 nm", "--regions", "si,ge"],
            in: dir)
        XCTAssertEqual(mesh.status, 0, mesh.stderr)
        for (kind, extra) in [("smm", "bin_width = \"0.5 THz\""), ("amm", ""), ("dmm", "")] {
            let text = bilayerConfig(
                regions: ("si", "ge"), files: ("si.h5", "ge.h5"), kind: kind, extra: extra, hot: "1 K", cold: "0 K",
                events: "[events]\nmax_events = 3\nkrylov_tolerance = 1e-8\n")
            try text.write(toFile: dir + "/\(kind).toml", atomically: true, encoding: .utf8)
            var psi = [[Double]]()
            for i in 0..<2 {
                let r = try CLI.run(["solve", "\(kind).toml", "-o", "\(kind)\(i).h5", "--quiet"], in: dir)
                XCTAssertEqual(r.status, 0, r.stderr)
                let f = try HDF5File.open(dir + "/\(kind)\(i).h5")
                psi.append(try f.readDataset("/regions/si/events/psi", as: Double.self) + f.readDataset("/regions/ge/accumulated/psi", as: Double.self))
            }
            XCTAssertEqual(psi[0].count, psi[1].count)
            XCTAssertTrue(psi[0] == psi[1], "\(kind): two solves differ by up to \(zip(psi[0], psi[1]).map { abs($0 - $1) }.max() ?? 0)")
        }
    }
}
