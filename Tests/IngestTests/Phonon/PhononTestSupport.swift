import Foundation
import Store
import XCTest
@testable import Ingest

/// Paths to the sample data and helpers shared by the phonon tests.
enum PhononFixtures {
    /// The repository root: the first directory above this file holding Package.swift and data/si, whether the
    /// file is compiled in place or through the symlinked helper package; /work/main otherwise.
    static let root: URL = {
        let here = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        var dir = here
        for _ in 0..<8 {
            let fm = FileManager.default
            if fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path),
                fm.fileExists(atPath: dir.appendingPathComponent("data/si").path)
            {
                return dir
            }
            dir.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: "/work/main")
    }()

    static func data(_ material: String, _ file: String) -> String {
        root.appendingPathComponent("data/\(material)/\(file)").path
    }

    static func scatterExample(_ file: String) -> String {
        root.appendingPathComponent("data/examples/scatter/\(file)").path
    }


    static func d3qFiles(_ material: String, mesh: String) -> D3QFiles {
        let p = "\(material).\(mesh)"
        return D3QFiles(
            q: data(material, "q.\(p).out"), frequencies: data(material, "freq.\(p).out"),
            velocities: data(material, "vel.\(p).out"), linewidth: data(material, "lw.\(p)_T300_s0.out"))
    }

    static func crystal(_ material: String) throws -> CrystalStructure {
        try CrystalHeaderReader.read(data(material, "crystal.\(material).txt"))
    }

    /// A κ tensor (3×3 row-major) from reference.json, walking `keys`.
    static func referenceKappa(_ material: String, _ keys: String...) throws -> [Double] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: data(material, "reference.json"))))
        var node: Any = json
        for k in keys { node = (node as! [String: Any])[k]! }
        return (node as! [[Double]]).flatMap { $0 }
    }

    /// The diagonal of phono3py's κ (`kappa` dataset, order xx yy zz yz xz xy) at temperature index 0.
    static func phono3pyKappaDiagonal(_ path: String) throws -> [Double] {
        let f = try HDF5File.open(path)
        defer { try? f.close() }
        return Array(try f.readDataset("kappa", as: Double.self)[0..<3])
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("phonon-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to a file named `name` in a temporary directory and returns its path.
    static func write(_ text: String, named name: String, in dir: URL) throws -> String {
        let p = dir.appendingPathComponent(name).path
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    static func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
}

/// Asserts that `body` throws a PhononIngestError of `kind` whose message names `file` (last path component),
/// the line or dataset when given, and contains every fragment.
func assertPhononError<T>(
    _ kind: PhononIngestError.Kind, file: String, line: Int? = nil, dataset: String? = nil,
    contains fragments: [String] = [], _ body: () throws -> T,
    sourceFile: StaticString = #filePath, sourceLine: UInt = #line
) {
    do {
        _ = try body()
        XCTFail("expected a \(kind) error, nothing was thrown", file: sourceFile, line: sourceLine)
    } catch let e as PhononIngestError {
        let text = e.description
        XCTAssertEqual(e.kind, kind, text, file: sourceFile, line: sourceLine)
        XCTAssertTrue(
            text.contains((file as NSString).lastPathComponent), "message lacks the file: \(text)",
            file: sourceFile, line: sourceLine)
        if let line {
            XCTAssertEqual(e.line, line, text, file: sourceFile, line: sourceLine)
            XCTAssertTrue(text.contains(":\(line):"), "message lacks the line: \(text)", file: sourceFile, line: sourceLine)
        }
        if let dataset {
            XCTAssertEqual(e.dataset, dataset, text, file: sourceFile, line: sourceLine)
            XCTAssertTrue(text.contains(dataset), "message lacks the dataset: \(text)", file: sourceFile, line: sourceLine)
        }
        for f in fragments {
            XCTAssertTrue(text.contains(f), "message lacks '\(f)': \(text)", file: sourceFile, line: sourceLine)
        }
    } catch {
        XCTFail("expected PhononIngestError, got \(error)", file: sourceFile, line: sourceLine)
    }
}

func assertRelative(
    _ a: Double, _ b: Double, _ tol: Double, _ what: String,
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertLessThanOrEqual(abs(a - b), tol * abs(b), "\(what): \(a) vs \(b)", file: file, line: line)
}
