import XCTest
import Foundation
import Store

/// The transient solve end to end: a configuration with [transient] writes a valid pbte-transient file, analyze
/// turns it into CF products on an elapsed-time axis, and a killed run resumes from its last resume state to the
/// uninterrupted result bit for bit.
final class TransientCommandTests: XCTestCase {
    func config(steps: Int, storeEvery: Int, checkpointEvery: Int, extra: String = "") -> String {
        """
        [run]
        material = "gray.h5"
        mesh = "slab.h5"
        [events]
        counting = "bulk-and-boundary"
        [transient]
        time_step = "50 ps"
        steps = \(steps)
        scheme = "bdf2"
        events = 2
        mean_events = true
        store_every = \(storeEvery)
        checkpoint_every = \(checkpointEvery)
        krylov_tolerance = 1e-12
        \(extra)
        [[wall]]
        boundary = "zmin"
        kind = "black"
        [[wall]]
        boundary = "zmax"
        kind = "diffuse"
        [[wall]]
        boundary = "xmin"
        kind = "periodic"
        partner = "xmax"
        [[wall]]
        boundary = "xmax"
        kind = "periodic"
        partner = "xmin"
        [[wall]]
        boundary = "ymin"
        kind = "specular"
        [[wall]]
        boundary = "ymax"
        kind = "specular"
        [[source]]
        kind = "gaussian"
        power_density = "1e15 W m-3"
        center = "0.5 0.5 0.3 um"
        width = "0.1 um"
        """
    }

    func prepare(_ name: String, cells: Int) throws -> String {
        let dir = try CLI.temporaryDirectory(name)
        XCTAssertEqual(try CLI.run(["ingest", "gray", "-o", "gray.h5", "--mean-free-path", "0.5 um", "--polar", "8", "--azimuthal", "4"], in: dir).status, 0)
        XCTAssertEqual(try CLI.run(["ingest", "box", "-o", "slab.h5", "--cells", "1", "1", "\(cells)", "--lengths", "1 1 1 um"], in: dir).status, 0)
        return dir
    }

    func testTransientRunValidatesAndAnalyzes() throws {
        let dir = try prepare("transient", cells: 10)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try config(steps: 12, storeEvery: 4, checkpointEvery: 5).write(toFile: dir + "/t.toml", atomically: true, encoding: .utf8)
        let r = try CLI.run(["solve", "t.toml", "-o", "t.h5"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("step 12/12"), "progress on stderr")
        XCTAssertEqual(try CLI.run(["solve", "t.toml", "-o", "q.h5", "--quiet"], in: dir).stderr, "", "--quiet")
        XCTAssertEqual(try CLI.run(["validate", "t.h5"], in: dir).status, 0)
        let f = try HDF5File.open(dir + "/t.h5")
        XCTAssertEqual(try f.readDataset("/transient/step", as: Int32.self), [4, 8, 12])
        XCTAssertEqual(try f.attribute("checkpoint_step", as: Int64.self), 12)
        try f.close()
        let s = try XCTUnwrap(try TransientRunReader(path: dir + "/t.h5").summary())
        XCTAssertEqual(s.steps, 12)
        XCTAssertGreaterThanOrEqual(s.sweeps, 12)
        let a = try CLI.run(["analyze", "t.h5", "-o", "t.nc", "--binning", "slab-z", "--bins", "5"], in: dir)
        XCTAssertEqual(a.status, 0, a.stderr)
        for side in ["t.xmf", "t.time.xmf", "t.time.h5"] { XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/" + side), side) }
        let nc = try NetCDFFile.open(dir + "/t.nc")
        XCTAssertEqual(try nc.variable("elapsed_time").read(as: Double.self).map { ($0 * 1e12).rounded() }, [200, 400, 600])
        let fraction = try nc.variable("energy_fraction").read(as: Double.self)
        XCTAssertEqual(fraction.count, 12)
        XCTAssertLessThan(fraction.last!, fraction.first!, "energy leaves through the black wall")
        let mean = try nc.variable("mean_events").read(as: Double.self)
        XCTAssertGreaterThan(mean.last!, mean.first!)
        // Energy per step: E_{n} from the history against the time integral of the power leaving (BDF2 rule).
        let leaving = try nc.variable("power_leaving").read(as: Double.self), energy = try nc.variable("energy").read(as: Double.self)
        let tags = try nc.variable("boundary").read(as: Int32.self)
        let black = tags.firstIndex(of: 5)!
        let e0 = energy[0] / fraction[0]
        let lhs = 3 * energy[5] - 4 * energy[4] + energy[3], rhs = -2 * 50e-12 * leaving[5 * tags.count + black]
        XCTAssertEqual(lhs, rhs, accuracy: 1e-9 * e0, "stored leaving power closes the BDF2 balance")
        try nc.close()
        // A wrong key in [transient] names the file and line.
        try config(steps: 0, storeEvery: 1, checkpointEvery: 1).write(toFile: dir + "/bad.toml", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["solve", "bad.toml", "-o", "bad.h5"], in: dir)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("bad.toml:8") && bad.stderr.contains("steps"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/bad.h5"))
    }

    /// A pump pulse in a closed box (diffuse and specular walls, nothing leaves): backward Euler evaluates the drive
    /// at the end of each step, so the energy after n steps is Δt Σ_k Q V exp(−(t_k − t0)²/2σ²) to round-off, and the
    /// pulse is deposited at the right times.
    func testPulseDriveDepositsItsTimeIntegralAtTheRightTimes() throws {
        let dir = try prepare("transient-pulse", cells: 4)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let toml = """
            [run]
            material = "gray.h5"
            mesh = "slab.h5"
            [transient]
            time_step = "20 ps"
            steps = 30
            scheme = "backward-euler"
            drive = "pulse"
            pulse_center = "300 ps"
            pulse_width = "80 ps"
            checkpoint_every = 0
            krylov_tolerance = 1e-12
            [[wall]]
            boundary = "zmin"
            kind = "diffuse"
            [[wall]]
            boundary = "zmax"
            kind = "diffuse"
            [[wall]]
            boundary = "xmin"
            kind = "specular"
            [[wall]]
            boundary = "xmax"
            kind = "specular"
            [[wall]]
            boundary = "ymin"
            kind = "specular"
            [[wall]]
            boundary = "ymax"
            kind = "specular"
            [[source]]
            kind = "uniform"
            power_density = "1e15 W m-3"
            """
        try toml.write(toFile: dir + "/p.toml", atomically: true, encoding: .utf8)
        let r = try CLI.run(["solve", "p.toml", "-o", "p.h5", "--quiet"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try CLI.run(["analyze", "p.h5", "-o", "p.nc", "--quiet"], in: dir).status, 0)
        let nc = try NetCDFFile.open(dir + "/p.nc")
        let energy = try nc.variable("energy").read(as: Double.self), time = try nc.variable("history_time").read(as: Double.self)
        try nc.close()
        XCTAssertEqual(energy.count, 30)
        let power = 1e15 * 1e-18, dt = 20e-12
        var expected = 0.0, worst = 0.0
        for (n, t) in time.enumerated() {
            expected += dt * power * exp(-(t - 300e-12) * (t - 300e-12) / (2 * 80e-12 * 80e-12))
            worst = max(worst, abs(energy[n] - expected))
        }
        XCTAssertEqual(time.last!, 600e-12, accuracy: 1e-21)
        XCTAssertLessThan(worst, 1e-9 * expected, "energy \(energy.last!) J against the deposited \(expected) J")
        XCTAssertEqual(expected, power * 80e-12 * (2 * Double.pi).squareRoot(), accuracy: 0.01 * expected, "the whole pulse is deposited")
    }

    /// A transient solve and its analysis into a full disk: exit 1 naming the cause, nothing left behind, and the
    /// same command succeeds once there is room (tmpfs mounts need root; skipped otherwise).
    func testFullDiskIsAnErrorAndLeavesNothing() throws {
        let dir = try prepare("transient-full", cells: 20)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try config(steps: 12, storeEvery: 2, checkpointEvery: 4).write(toFile: dir + "/t.toml", atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLI.run(["solve", "t.toml", "-o", "reference.h5", "--quiet"], in: dir).status, 0)
        let size = (try FileManager.default.attributesOfItem(atPath: dir + "/reference.h5")[.size] as? Int) ?? 0
        let mnt = dir + "/full"
        try FileManager.default.createDirectory(atPath: mnt, withIntermediateDirectories: true)
        func tool(_ path: String, _ args: [String]) throws -> Int32 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: path)
            p.arguments = args
            p.standardError = FileHandle.nullDevice
            try p.run(); p.waitUntilExit()
            return p.terminationStatus
        }
        guard try tool("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt]) == 0 else {
            throw XCTSkip("cannot mount a tmpfs here (needs root): full-disk test skipped")
        }
        _ = try tool("/bin/umount", [mnt])
        for fraction in [0.1, 0.5, 0.9] {
            XCTAssertEqual(try tool("/bin/mount", ["-t", "tmpfs", "-o", "size=\(max(8, Int(Double(size) * fraction) / 1024))k", "tmpfs", mnt]), 0)
            defer { _ = try? tool("/bin/umount", [mnt]) }
            let r = try CLI.run(["solve", "t.toml", "-o", "full/run.h5", "--quiet"], in: dir)
            XCTAssertEqual(r.status, 1, "fraction \(fraction): \(r.stderr)")
            XCTAssertTrue(r.stderr.lowercased().contains("no space left"), r.stderr)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: mnt), [], "fraction \(fraction): files left")
            let a = try CLI.run(["analyze", "reference.h5", "-o", "full/t.nc", "--quiet"], in: dir)
            if a.status != 0 {
                XCTAssertEqual(a.status, 1, a.stderr)
                XCTAssertTrue(a.stderr.lowercased().contains("no space left"), a.stderr)
                XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: mnt), [], "analyze left files")
            }
        }
        XCTAssertEqual(try CLI.run(["solve", "t.toml", "-o", "again.h5", "--quiet"], in: dir).status, 0)
    }

    func testKilledTransientResumesBitForBit() throws {
        let dir = try prepare("transient-kill", cells: 60)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try config(steps: 100, storeEvery: 10, checkpointEvery: 7).write(toFile: dir + "/t.toml", atomically: true, encoding: .utf8)
        let t0 = Date()
        XCTAssertEqual(try CLI.run(["solve", "t.toml", "-o", "reference.h5", "--quiet"], in: dir).status, 0)
        let whole = Date().timeIntervalSince(t0)
        let out = dir + "/run.h5"
        var killed = false
        // Each killed solve resumes from the last checkpoint of the one before, so the delays must add up to less
        // than one whole run (here at most 0.85 of it) or the run finishes before the last kill.
        let delays = [0.15, 0.2, 0.25].map { $0 * whole } + [Double.random(in: 0.05...0.25) * whole]
        print("transient run \(String(format: "%.2f", whole)) s; kill delays (s): \(delays.map { String(format: "%.2f", $0) }.joined(separator: " "))")
        for delay in delays {
            let p = try CLI.start(["solve", "t.toml", "-o", "run.h5", "--quiet"], in: dir)
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .uncaughtSignal {
                XCTAssertFalse(FileManager.default.fileExists(atPath: out), "a killed solve must not leave run.h5")
                killed = true
            } else {
                try? FileManager.default.removeItem(atPath: out)
            }
        }
        XCTAssertTrue(killed, "the solve finished before any kill")
        let r = try CLI.run(["solve", "t.toml", "-o", "run.h5"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("resuming after step"), r.stderr)
        let a = try HDF5File.open(dir + "/reference.h5"), b = try HDF5File.open(out)
        for path in [
            "/regions/bulk/transient/psi", "/regions/bulk/transient/mean_events_psi", "/transient/history/energy",
            "/transient/history/leaving", "/transient/time"
        ] {
            XCTAssertEqual(try a.readDataset(path, as: Double.self), try b.readDataset(path, as: Double.self), path)
        }
    }
}
