import Foundation
import Store
import XCTest

final class HDF5ErrorTests: XCTestCase {
    func testMissingDatasetNamesPathAndFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("missing.h5")
        let file = try HDF5File.create(path)
        try file.createGroup("events")
        let error = assertStoreError(.notFound) { try file.openDataset("events/7/gamma") }
        XCTAssertEqual(error?.object, "/events/7/gamma")
        XCTAssertEqual(error?.file, path)
        XCTAssertTrue(error?.description.contains("/events/7/gamma") ?? false)
        XCTAssertTrue(error?.description.contains(path) ?? false)
        assertStoreError(.notFound) { try file.openGroup("nope") }
    }

    func testMissingFile() throws {
        let dir = try TemporaryDirectory()
        let error = assertStoreError(.notFound) { try HDF5File.open(dir.path("absent.h5")) }
        XCTAssertEqual(error?.file, dir.path("absent.h5"))
    }

    func testNonHDF5FileThrowsWithLibraryMessage() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("text.h5")
        try Data("this is not an HDF5 file\n".utf8).write(to: URL(fileURLWithPath: path))
        let error = assertStoreError(.hdf5) { try HDF5File.open(path) }
        XCTAssertEqual(error?.file, path)
        // HDF5's own innermost message ("file signature not found"), not a generic one.
        XCTAssertTrue(error?.message.lowercased().contains("signature") ?? false, error?.message ?? "")
        let empty = dir.path("empty.h5")
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        assertStoreError(.hdf5) { try HDF5File.open(empty) }
    }

    func testTruncatedFilesThrow() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("full.h5")
        do {
            let file = try HDF5File.create(path)
            try file.writeDataset(
                "a/b/big", (0..<20_000).map(Double.init), shape: [100, 200],
                options: .compressed(chunk: [10, 200]))
            try file.writeDataset("plain", (0..<5_000).map(Double.init), shape: [5_000])
            try file.setAttribute("title", "to be truncated")
            try file.close()
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for fraction in [0.01, 0.3, 0.6, 0.95] {
            let cut = dir.path("cut-\(fraction).h5")
            try bytes.prefix(Int(Double(bytes.count) * fraction)).write(to: URL(fileURLWithPath: cut))
            // Opening must fail cleanly (HDF5 checks the stored EOF); never crash.
            let error = assertStoreError(.hdf5) { () -> [Double] in
                let file = try HDF5File.open(cut)
                return try file.readDataset("a/b/big", as: Double.self) + file.readDataset("plain", as: Double.self)
            }
            XCTAssertEqual(error?.file, cut)
            XCTAssertFalse(error?.message.isEmpty ?? true)
        }
    }

    func testCreateWithoutOverwriteRefusesExistingFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("exists.h5")
        try HDF5File.create(path).close()
        assertStoreError(.hdf5) { try HDF5File.create(path, overwrite: false) }
        XCTAssertNoThrow(try HDF5File.create(path, overwrite: true).close())
    }

    func testErrorDescriptionIsReadable() {
        let error = StoreError(.hdf5, file: "/x.h5", object: "/g/d", operation: "read dataset", message: "boom")
        XCTAssertEqual(error.description, "read dataset failed for '/g/d' in '/x.h5': boom")
    }
}
