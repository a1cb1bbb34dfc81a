import XCTest
import Model
import Solve
import Config

/// The canonical form a resume compares: reformatting a configuration keeps it, changing any value changes it.
final class CanonicalConfigTests: XCTestCase {
    static let original = """
        [run]
        material = "gray.h5"
        mesh = "slab.h5"
        [events]
        max_events = 40
        tolerance = 1e-9
        krylov_tolerance = 1e-10
        [[source]]
        kind = "gaussian"
        power_density = "1e15 W m-3"
        center = "0 0 0.5 um"
        width = "100 nm"
        [[wall]]
        boundary = "zmin"
        kind = "black"
        temperature = "1 K"
        [[wall]]
        boundary = "zmax"
        kind = "rough"
        roughness = "0.2 nm"
        [[interface]]
        boundary = "mid"
        kind = "smm"
        spacing = "9.57 nm"
        bin_width = "0.5 THz"
        """

    /// The same values: comments, blank lines, CRLF, key and table order, number spellings, other units that give
    /// the same SI double ("9.57 nm" = "0.00957 um", "0.5 THz" = "500 GHz"), a path spelled through "./".
    static let reformatted =
        "# the same run, written by someone else\r\n"
            + """
            [[wall]]
            kind = "rough"      # Ziman–Soffer
            roughness = "0.20 nm"
            boundary = "zmax"

            [[interface]]
            bin_width = "500 GHz"
            kind = "smm"
            boundary = "mid"
            spacing = "0.00957 um"

            [events]
            krylov_tolerance = 0.0000000001
            tolerance = 1.0e-9
            max_events = 40

            [run]
            mesh = "./slab.h5"
            material = "gray.h5"

            [[source]]
            width = "1e2 nm"
            center = "0.0 0 5e-1 um"
            power_density = "1000000000000000 W m-3"
            kind = "gaussian"

            [[wall]]
            temperature = "1 K"
            boundary = "zmin"
            kind = "black"
            """.replacingOccurrences(of: "\n", with: "\r\n")

    func canonical(_ text: String) throws -> String { try RunConfig.parse(text, file: "/tmp/runs/run.toml").canonical }

    func testReformattingKeepsTheCanonicalForm() throws {
        let a = try canonical(Self.original), b = try canonical(Self.reformatted)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(Self.original, Self.reformatted)
        // Units applied, paths absolute, every default present, no line numbers.
        XCTAssertTrue(a.contains("run.mesh = \"/tmp/runs/slab.h5\""), a)
        XCTAssertTrue(a.contains("model.smm.spacing = 9.57e-09"), a)
        XCTAssertTrue(a.contains("run.events.krylovRestart = 30"), a)
        XCTAssertFalse(a.contains("line"), a)
    }

    /// Every value that changes what is solved changes the form (each edit alone).
    func testEveryChangedValueChangesTheCanonicalForm() throws {
        let base = try canonical(Self.original)
        let edits: [(String, String)] = [
            ("max_events = 40", "max_events = 41"), ("tolerance = 1e-9", "tolerance = 2e-9"),
            ("\"1 K\"", "\"1.5 K\""), ("\"0.2 nm\"", "\"0.3 nm\""), ("\"100 nm\"", "\"101 nm\""),
            ("\"0 0 0.5 um\"", "\"0 0 0.6 um\""), ("\"9.57 nm\"", "\"9.58 nm\""), ("\"0.5 THz\"", "\"0.25 THz\""),
            ("mesh = \"slab.h5\"", "mesh = \"slab2.h5\""), ("kind = \"rough\"\nroughness = \"0.2 nm\"", "kind = \"diffuse\""),
            ("krylov_tolerance = 1e-10", "krylov_tolerance = 1e-10\nkrylov_restart = 31"),
            // 0.1 um is 1.0000000000000001e-07 m, 100 nm is 1e-07 m: another double, so another value.
            ("\"100 nm\"", "\"0.1 um\""),
            ("[[interface]]", "[output]\nprecision = \"float32\"\n[[interface]]")
        ]
        var seen = Set([base])
        for (from, to) in edits {
            XCTAssertTrue(Self.original.contains(from), from)
            let changed = try canonical(Self.original.replacingOccurrences(of: from, with: to))
            XCTAssertTrue(seen.insert(changed).inserted, "\(from) → \(to) left the canonical form unchanged")
        }
    }

    /// The form does not depend on the directory the file was read from once paths are resolved; two sources
    /// in another order are another sum, so their order stays.
    func testPathsAndSourceOrder() throws {
        let here = FileManager.default.currentDirectoryPath
        let rel = try RunConfig.parse(Self.original, file: "run.toml").canonical
        XCTAssertTrue(rel.contains("run.mesh = \"\((here as NSString).appendingPathComponent("slab.h5"))\""), rel)
        let two = Self.original + "\n[[source]]\nkind = \"uniform\"\npower_density = \"1 W m-3\"\n"
        let swapped = Self.original.replacingOccurrences(of: "[[source]]", with: "[[source]]\nkind = \"uniform\"\npower_density = \"1 W m-3\"\n[[source]]")
        XCTAssertNotEqual(try canonical(two), try canonical(swapped))
    }

    func testCanonicalFormOfNestedValues() {
        struct Inner { var x = 1.5; var line = 9 }
        enum Kind { case plain, with(p: Double) }
        struct Outer { var name = "a\"b"; var inner = Inner(); var kinds: [Kind] = [.plain, .with(p: 0.1)]; var table = ["b": 2, "a": 1]; var none: Int? = nil }
        XCTAssertEqual(
            CanonicalForm.text(of: Outer(), root: "o"),
            """
            o.name = "a\\"b"
            o.inner.x = 1.5
            o.kinds.count = 2
            o.kinds[0] = plain
            o.kinds[1] = with
            o.kinds[1].with.p = 0.1
            o.table.count = 2
            o.table["a"] = 1
            o.table["b"] = 2
            o.none = none

            """)
    }
}
