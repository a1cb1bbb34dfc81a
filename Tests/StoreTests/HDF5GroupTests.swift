import Foundation
import Store
import XCTest

final class HDF5GroupTests: XCTestCase {
    func testNestedGroupsAndListing() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("groups.h5")
        do {
            let file = try HDF5File.create(path)
            let events = try file.createGroup("events")
            for event in [3, 1, 2] {
                try events.createGroup("\(event)").writeDataset("gamma", [Double(event)], shape: [1])
            }
            // Intermediate groups are created on demand, both for groups and datasets.
            try file.createGroup("deep/a/b")
            try file.writeDataset("meta/grid/q", [1.0, 2.0], shape: [2])
            try file.close()
        }
        let file = try HDF5File.open(path)
        XCTAssertEqual(
            try file.members(),
            [
                HDF5Member(name: "deep", kind: .group), HDF5Member(name: "events", kind: .group),
                HDF5Member(name: "meta", kind: .group)
            ])
        XCTAssertEqual(try file.openGroup("events").memberNames(), ["1", "2", "3"])
        XCTAssertEqual(try file.openGroup("events/2").members(), [HDF5Member(name: "gamma", kind: .dataset)])
        XCTAssertEqual(try file.readDataset("events/3/gamma", as: Double.self), [3])
        XCTAssertEqual(try file.openGroup("events").readDataset("/events/1/gamma", as: Double.self), [1])
        XCTAssertEqual(try file.openGroup("events/3").path, "/events/3")
        XCTAssertEqual(try file.openDataset("events/3/gamma").path, "/events/3/gamma")
        XCTAssertTrue(try file.exists("deep/a/b"))
        XCTAssertTrue(try file.exists("/meta/grid/q"))
        XCTAssertFalse(try file.exists("deep/x/b"))
        XCTAssertFalse(try file.exists("nothing/at/all"))
        XCTAssertTrue(try file.exists("/"))
    }

    func testRequireGroupAndRemove() throws {
        let dir = try TemporaryDirectory()
        let file = try HDF5File.create(dir.path("require.h5"))
        let first = try file.requireGroup("a/b")
        try first.writeDataset("x", [1.0], shape: [1])
        let second = try file.requireGroup("a/b")
        XCTAssertEqual(try second.memberNames(), ["x"])
        try second.remove("x")
        XCTAssertEqual(try second.memberNames(), [])
        assertStoreError(.notFound) { try second.remove("x") }
        assertStoreError(.hdf5) { try file.createGroup("a/b") }
    }

    func testOpeningWrongKindOfObject() throws {
        let dir = try TemporaryDirectory()
        let file = try HDF5File.create(dir.path("kind.h5"))
        try file.createGroup("g")
        try file.writeDataset("d", [1.0], shape: [1])
        assertStoreError(.typeMismatch) { try file.openDataset("g") }
        assertStoreError(.typeMismatch) { try file.openGroup("d") }
    }

    func testHandlesAfterCloseThrowInsteadOfCrashing() throws {
        let dir = try TemporaryDirectory()
        let file = try HDF5File.create(dir.path("closed.h5"))
        let dataset = try file.createDataset("d", of: Double.self, shape: [2])
        let group = try file.createGroup("g")
        try file.close()
        try file.close()
        XCTAssertFalse(file.isOpen)
        assertStoreError(.closed) { try dataset.read(as: Double.self) }
        assertStoreError(.closed) { try group.memberNames() }
        assertStoreError(.closed) { try file.openDataset("d") }
        // The file is really closed: it can be reopened and holds the dataset.
        XCTAssertEqual(try HDF5File.open(dir.path("closed.h5")).openDataset("d").shape(), [2])
    }

    func testReadWriteModeReopen() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("rw.h5")
        try HDF5File.create(path).writeDataset("d", [1.0, 2.0], shape: [2])
        do {
            let file = try HDF5File.open(path, mode: .readWrite)
            try file.openDataset("d").write([3.0, 4.0])
            try file.setAttribute("note", "edited")
        }
        let file = try HDF5File.open(path)
        XCTAssertEqual(try file.readDataset("d", as: Double.self), [3, 4])
        XCTAssertEqual(try file.stringAttribute("note"), "edited")
        assertStoreError(.hdf5) { try file.openDataset("d").write([5.0, 6.0]) }
    }
}
