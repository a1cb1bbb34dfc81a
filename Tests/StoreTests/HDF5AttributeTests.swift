import Foundation
import Store
import XCTest

final class HDF5AttributeTests: XCTestCase {
    func testAttributesOnFileGroupAndDataset() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("attrs.h5")
        do {
            let file = try HDF5File.create(path)
            try file.setAttribute("title", "pbte ✓ run")
            try file.setAttribute("version", Int64(3))
            let group = try file.createGroup("events/0")
            try group.setAttribute("temperature", 300.5)
            try group.setAttribute("q_points", [Int64(1), 2, Int64.max, Int64.min])
            let dataset = try group.createDataset("gamma", of: Double.self, shape: [2])
            try dataset.setAttribute("units", "1/ps")
            try dataset.setAttribute("weights", [0.25, -1.5, 1e-300])
            try dataset.setAttribute("empty", [Double]())
            try file.close()
        }
        let file = try HDF5File.open(path)
        XCTAssertEqual(try file.stringAttribute("title"), "pbte ✓ run")
        XCTAssertEqual(try file.attribute("version", as: Int64.self), 3)
        XCTAssertEqual(try file.attributeShape("version"), [])
        XCTAssertEqual(try file.attributeNames(), ["title", "version"])
        let group = try file.openGroup("events/0")
        XCTAssertEqual(try group.attribute("temperature", as: Double.self), 300.5)
        XCTAssertEqual(try group.arrayAttribute("temperature", as: Double.self), [300.5])
        XCTAssertEqual(try group.arrayAttribute("q_points", as: Int64.self), [1, 2, .max, .min])
        XCTAssertEqual(try group.attributeShape("q_points"), [4])
        let dataset = try group.openDataset("gamma")
        XCTAssertEqual(try dataset.stringAttribute("units"), "1/ps")
        XCTAssertEqual(try dataset.arrayAttribute("weights", as: Double.self), [0.25, -1.5, 1e-300])
        XCTAssertEqual(try dataset.arrayAttribute("empty", as: Double.self), [])
        XCTAssertEqual(try dataset.attributeNames(), ["empty", "units", "weights"])
        XCTAssertEqual(try dataset.attributeType("units").typeClass, .string)
        XCTAssertTrue(try dataset.attributeType("units").isVariableLengthString)
        XCTAssertTrue(try dataset.hasAttribute("units"))
        XCTAssertFalse(try dataset.hasAttribute("nope"))
    }

    func testOverwriteChangesTypeAndRemove() throws {
        let dir = try TemporaryDirectory()
        let file = try HDF5File.create(dir.path("over.h5"))
        try file.setAttribute("x", 1.5)
        try file.setAttribute("x", "now a string")
        XCTAssertEqual(try file.stringAttribute("x"), "now a string")
        try file.setAttribute("x", [Int32(1), 2, 3])
        XCTAssertEqual(try file.arrayAttribute("x", as: Int64.self), [1, 2, 3])
        try file.removeAttribute("x")
        XCTAssertEqual(try file.attributeNames(), [])
        assertStoreError(.notFound) { try file.removeAttribute("x") }
    }

    func testAttributeErrors() throws {
        let dir = try TemporaryDirectory()
        let file = try HDF5File.create(dir.path("attrerr.h5"))
        let group = try file.createGroup("g")
        try group.setAttribute("s", "text")
        try group.setAttribute("d", 2.5)
        try group.setAttribute("v", [1.0, 2.0])
        let missing = assertStoreError(.notFound) { try group.attribute("missing", as: Double.self) }
        XCTAssertEqual(missing?.object, "/g@missing")
        XCTAssertTrue(missing?.description.contains("/g@missing") ?? false)
        assertStoreError(.typeMismatch) { try group.attribute("s", as: Double.self) }
        assertStoreError(.typeMismatch) { try group.stringAttribute("d") }
        assertStoreError(.typeMismatch) { try group.attribute("d", as: Int64.self) }
        assertStoreError(.shapeMismatch) { try group.attribute("v", as: Double.self) }
    }
}
