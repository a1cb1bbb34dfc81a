import Foundation
import Store
import XCTest

final class NetCDFTests: XCTestCase {
    func testRoundTripWithDimensionsVariablesAttributes() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("round.nc")
        let temps = (0..<24).map { Pattern.float64($0) }
        do {
            let file = try NetCDFFile.create(path)
            try file.defineDimension("time", length: nil)
            try file.defineDimension("x", length: 4)
            try file.defineDimension("y", length: 3)
            let temp = try file.defineVariable(
                "temp", of: Double.self, dimensions: ["time", "x", "y"],
                options: .compressed(chunk: [1, 4, 3], level: 5), fillValue: -999.0)
            let count = try file.defineVariable("count", of: Int32.self, dimensions: ["x"])
            let big = try file.defineVariable("big", of: Int64.self, dimensions: ["y"])
            let single = try file.defineVariable("single", of: Float.self, dimensions: ["x"])
            let scalar = try file.defineVariable("scalar", of: Double.self, dimensions: [])
            try file.setAttribute("title", "pbte ✓ netcdf")
            try file.setAttribute("version", Int32(2))
            try temp.setAttribute("units", "K")
            try temp.setAttribute("scale", [0.5, 2.0])
            try temp.write(Array(temps[0..<12]), start: [0, 0, 0], count: [1, 4, 3])
            try temp.write(Array(temps[12..<24]), start: [1, 0, 0], count: [1, 4, 3])
            try count.write(Pattern.values(Int32.self, count: 4))
            try big.write(Pattern.values(Int64.self, count: 3))
            try single.write(Pattern.values(Float.self, count: 4))
            try scalar.write([6.25])
            try file.close()
        }
        let file = try NetCDFFile.open(path)
        XCTAssertEqual(
            try file.dimensions(),
            [
                NetCDFDimension(name: "time", length: 2, isUnlimited: true),
                NetCDFDimension(name: "x", length: 4, isUnlimited: false),
                NetCDFDimension(name: "y", length: 3, isUnlimited: false)
            ])
        XCTAssertEqual(try file.variableNames(), ["temp", "count", "big", "single", "scalar"])
        XCTAssertEqual(try file.stringAttribute("title"), "pbte ✓ netcdf")
        XCTAssertEqual(try file.attribute("version", as: Int32.self), 2)
        XCTAssertEqual(try file.attributeNames(), ["title", "version"])

        let temp = try file.variable("temp")
        XCTAssertEqual(try temp.shape(), [2, 4, 3])
        XCTAssertEqual(try temp.dimensionNames(), ["time", "x", "y"])
        XCTAssertEqual(try temp.elementType(), StoreTypeInfo(.float64))
        XCTAssertEqual(try temp.read(as: Double.self), temps)
        XCTAssertEqual(try temp.read(as: Double.self, start: [1, 2, 0], count: [1, 2, 3]), Array(temps[18..<24]))
        XCTAssertEqual(try temp.storageOptions(), .compressed(chunk: [1, 4, 3], level: 5))
        XCTAssertEqual(try temp.fillValue(as: Double.self), -999)
        XCTAssertEqual(try temp.stringAttribute("units"), "K")
        XCTAssertEqual(try temp.arrayAttribute("scale", as: Double.self), [0.5, 2.0])
        XCTAssertEqual(try temp.attributeNames(), ["_FillValue", "units", "scale"])

        XCTAssertEqual(try file.variable("count").read(as: Int32.self), Pattern.values(Int32.self, count: 4))
        XCTAssertEqual(try file.variable("count").read(as: Int64.self), Pattern.values(Int32.self, count: 4).map(Int64.init))
        XCTAssertEqual(try file.variable("big").read(as: Int64.self), Pattern.values(Int64.self, count: 3))
        XCTAssertEqual(try file.variable("single").read(as: Double.self), Pattern.values(Float.self, count: 4).map(Double.init))
        XCTAssertEqual(try file.variable("scalar").read(as: Double.self), [6.25])
        XCTAssertNil(try file.variable("count").fillValue(as: Int32.self))
    }

    func testUnwrittenRecordsReadAsFillValue() throws {
        let dir = try TemporaryDirectory()
        let file = try NetCDFFile.create(dir.path("fill.nc"))
        try file.defineDimension("n", length: 4)
        let v = try file.defineVariable("v", of: Double.self, dimensions: ["n"], fillValue: -1.0)
        try v.write([5.0], start: [2], count: [1])
        XCTAssertEqual(try v.read(as: Double.self), [-1, -1, 5, -1])
    }

    func testErrorsCarryNamesAndLibraryText() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("err.nc")
        let file = try NetCDFFile.create(path)
        try file.defineDimension("n", length: 3)
        let v = try file.defineVariable("v", of: Double.self, dimensions: ["n"])
        let missing = assertStoreError(.notFound) { try file.variable("nope") }
        XCTAssertEqual(missing?.object, "var:nope")
        XCTAssertEqual(missing?.file, path)
        XCTAssertFalse(missing?.message.isEmpty ?? true)
        assertStoreError(.notFound) { try file.defineVariable("w", of: Double.self, dimensions: ["absent"]) }
        assertStoreError(.netCDF) { try file.defineDimension("n", length: 5) }
        assertStoreError(.notFound) { try v.stringAttribute("units") }
        assertStoreError(.shapeMismatch) { try v.write([1.0, 2.0]) }
        assertStoreError(.typeMismatch) { try v.write([Int64(1), 2, 3]) }
        XCTAssertNoThrow(try v.write([Int32(1), 2, 3]))
        assertStoreError(.typeMismatch) { try v.read(as: Float.self) }
        let edge = assertStoreError(.netCDF) { try v.write([1.0, 2.0], start: [2], count: [2]) }
        XCTAssertNotNil(edge?.code)
        try file.close()
        assertStoreError(.closed) { try file.variable("v") }

        let text = dir.path("text.nc")
        try Data("not netcdf".utf8).write(to: URL(fileURLWithPath: text))
        assertStoreError(.netCDF) { try NetCDFFile.open(text) }
        assertStoreError(.notFound) { try NetCDFFile.open(dir.path("absent.nc")) }
    }

    func testNetCDFFileIsReadableAsHDF5() throws {
        // netCDF-4 is HDF5 underneath; both layers share one lock and one libhdf5.
        let dir = try TemporaryDirectory()
        let path = dir.path("both.nc")
        do {
            let file = try NetCDFFile.create(path)
            try file.defineDimension("n", length: 3)
            try file.defineVariable("v", of: Double.self, dimensions: ["n"]).write([1.0, 2.0, 3.0])
            try file.close()
        }
        XCTAssertEqual(try HDF5File.open(path).readDataset("v", as: Double.self), [1, 2, 3])
    }
}
