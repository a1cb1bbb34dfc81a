import XCTest
import Solve
import Config

/// Keys of data-schema/run-config.md that no other test writes as TOML: each is parsed from text and reaches the
/// value the documentation says; a value out of its documented range is an error naming file and line.
final class RunConfigKeysTests: XCTestCase {
    static let text = """
        [run]
        material = "gray.h5"
        mesh = "slab.h5"
        [events]
        max_events = 7
        tolerance = 1e-5
        counting = "bulk-only"
        accelerate = false
        krylov_tolerance = 1e-9
        krylov_restart = 12
        max_sweeps = 77
        preconditioner = "diffusion"
        damping = 0.8
        [checks]
        on_violation = "warn"
        balance_tolerance = 1e-7
        undershoot = 0.25
        [output]
        precision = "float32"
        compression = 3
        [[wall]]
        boundary = "zmin"
        kind = "black"
        temperature = "1 K"
        [[wall]]
        boundary = "zmax"
        kind = "partially-specular"
        specularity = 0.3
        [[wall]]
        boundary = "xmin"
        kind = "rough"
        roughness = "0.2 nm"
        [[wall]]
        boundary = "xmax"
        kind = "diffuse"
        [[wall]]
        boundary = "ymin"
        kind = "periodic"
        partner = "ymax"
        [[wall]]
        boundary = "ymax"
        kind = "periodic"
        partner = "ymin"
        """

    func testEveryEventsChecksAndOutputKeyReachesItsValue() throws {
        let c = try RunConfig.parse(Self.text, file: "keys.toml")
        XCTAssertEqual(c.events.maxEvents, 7)
        XCTAssertEqual(c.events.tolerance, 1e-5)
        XCTAssertEqual(c.events.counting, .bulkOnly)
        XCTAssertFalse(c.events.accelerate)
        XCTAssertEqual(c.events.krylovTolerance, 1e-9)
        XCTAssertEqual(c.events.krylovRestart, 12)
        XCTAssertEqual(c.events.maxSweeps, 77)
        XCTAssertEqual(c.events.preconditioner, .diffusion)
        XCTAssertEqual(c.events.damping, 0.8)
        XCTAssertEqual(c.invariants.action, .warn)
        XCTAssertEqual(c.invariants.balanceTolerance, 1e-7)
        XCTAssertEqual(c.invariants.undershoot, 0.25)
        XCTAssertTrue(c.float32)
        XCTAssertEqual(c.deflate, 3)
        XCTAssertEqual(c.walls.count, 6)
        XCTAssertEqual(c.walls.first { $0.boundary == "ymin" }?.partnerName, "ymax")
    }

    func testOutOfRangeValuesNameTheirLine() throws {
        for (key, bad) in [
            ("damping = 0.8", "damping = 2.5"), ("precision = \"float32\"", "precision = \"float16\""),
            ("on_violation = \"warn\"", "on_violation = \"ignore\""), ("preconditioner = \"diffusion\"", "preconditioner = \"ilu\""),
            ("compression = 3", "compression = 12"), ("specularity = 0.3", "specularity = 1.5")
        ] {
            let text = Self.text.replacingOccurrences(of: key, with: bad)
            let line = text.components(separatedBy: "\n").firstIndex { $0 == bad }! + 1
            XCTAssertThrowsError(try RunConfig.parse(text, file: "keys.toml"), bad) { e in
                XCTAssertTrue("\(e)".contains("keys.toml:\(line)"), "\(bad): \(e)")
            }
        }
    }
}
