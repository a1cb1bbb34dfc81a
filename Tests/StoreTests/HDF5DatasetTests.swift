import Foundation
import Store
import XCTest

final class HDF5DatasetTests: XCTestCase {
    private let shapes: [[Int]] = [[7], [3, 5], [2, 3, 4], [2, 3, 2, 3]]

    private func roundTrip<T: HDF5Scalar & Equatable>(_ type: T.Type, _ expected: StoreTypeInfo) throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("types.h5")
        do {
            let file = try HDF5File.create(path)
            for shape in shapes {
                let values = Pattern.values(T.self, count: shape.reduce(1, *))
                try file.writeDataset("rank\(shape.count)", values, shape: shape)
            }
            try file.close()
        }
        let file = try HDF5File.open(path)
        for shape in shapes {
            let dataset = try file.openDataset("rank\(shape.count)")
            XCTAssertEqual(try dataset.shape(), shape)
            XCTAssertEqual(try dataset.rank(), shape.count)
            XCTAssertEqual(try dataset.elementType(), expected)
            XCTAssertEqual(try dataset.read(as: T.self), Pattern.values(T.self, count: shape.reduce(1, *)))
        }
    }

    func testRoundTripFloat64() throws { try roundTrip(Double.self, StoreTypeInfo(.float64)) }
    func testRoundTripFloat32() throws { try roundTrip(Float.self, StoreTypeInfo(.float32)) }
    func testRoundTripInt32() throws { try roundTrip(Int32.self, StoreTypeInfo(.int32)) }
    func testRoundTripInt64() throws { try roundTrip(Int64.self, StoreTypeInfo(.int64)) }
    func testRoundTripUInt8() throws { try roundTrip(UInt8.self, StoreTypeInfo(.uint8)) }
    func testRoundTripInt() throws { try roundTrip(Int.self, StoreTypeInfo(.int64)) }

    func testSpecialFloatValuesSurviveBitExactly() throws {
        let dir = try TemporaryDirectory()
        let values: [Double] = [.pi, -0.0, 1e-300, .greatestFiniteMagnitude, .leastNonzeroMagnitude, .infinity, .nan]
        let file = try HDF5File.create(dir.path("special.h5"))
        try file.writeDataset("v", values, shape: [values.count])
        let back = try file.readDataset("v", as: Double.self)
        XCTAssertEqual(back.map(\.bitPattern), values.map(\.bitPattern))
    }

    func testScalarAndEmptyDatasets() throws {
        let dir = try TemporaryDirectory()
        let file = try HDF5File.create(dir.path("scalar.h5"))
        try file.writeDataset("scalar", [42.5], shape: [])
        try file.writeDataset("empty", [Double](), shape: [0, 3])
        XCTAssertEqual(try file.openDataset("scalar").shape(), [])
        XCTAssertEqual(try file.readDataset("scalar", as: Double.self), [42.5])
        XCTAssertEqual(try file.openDataset("empty").shape(), [0, 3])
        XCTAssertEqual(try file.readDataset("empty", as: Double.self), [])
    }

    func testChunkedCompressedDataset() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("compressed.h5")
        let shape = [64, 200]
        let values = (0..<(64 * 200)).map { Double($0 % 50) * 0.25 }
        do {
            let file = try HDF5File.create(path)
            try file.writeDataset("gamma", values, shape: shape, options: .compressed(chunk: [16, 100], level: 6))
            try file.writeDataset("plain", values, shape: shape)
            try file.close()
        }
        let file = try HDF5File.open(path)
        let dataset = try file.openDataset("gamma")
        XCTAssertEqual(try dataset.read(as: Double.self), values)
        let options = try dataset.creationOptions()
        XCTAssertEqual(options.chunk, [16, 100])
        XCTAssertEqual(options.deflateLevel, 6)
        XCTAssertTrue(options.shuffle)
        // Written without options: chunked only so that it carries a Fletcher32 checksum.
        let plain = try file.openDataset("plain").creationOptions()
        XCTAssertTrue(plain.checksum)
        XCTAssertEqual(plain.chunk, [64, 200])
        XCTAssertNil(plain.deflateLevel)
    }

    func testHyperslabWriteAndRead() throws {
        let dir = try TemporaryDirectory()
        let file = try HDF5File.create(dir.path("slab.h5"))
        let shape = [4, 6, 5] // events × modes × nodes
        let dataset = try file.createDataset(
            "blocks", of: Double.self, shape: shape,
            options: .compressed(chunk: [1, 6, 5]))
        var expected = [Double](repeating: 0, count: shape.reduce(1, *))
        for event in 0..<4 {
            let block = (0..<30).map { Double(event * 100 + $0) }
            try block.withUnsafeBufferPointer { try dataset.write($0, offset: [event, 0, 0], count: [1, 6, 5]) }
            for k in 0..<30 { expected[event * 30 + k] = block[k] }
        }
        XCTAssertEqual(try dataset.read(as: Double.self), expected)

        // An interior box: events 1...2, modes 2...4, nodes 1...3.
        let box = try dataset.read(as: Double.self, offset: [1, 2, 1], count: [2, 3, 3])
        var boxExpected: [Double] = []
        for e in 1...2 { for m in 2...4 { for n in 1...3 { boxExpected.append(expected[flatIndex([e, m, n], shape)]) } } }
        XCTAssertEqual(box, boxExpected)

        // Overwrite that box and check only it changed.
        let patch = (0..<18).map { -Double($0) - 1 }
        try dataset.write(patch, offset: [1, 2, 1], count: [2, 3, 3])
        var k = 0
        for e in 1...2 { for m in 2...4 { for n in 1...3 { expected[flatIndex([e, m, n], shape)] = patch[k]; k += 1 } } }
        XCTAssertEqual(try dataset.read(as: Double.self), expected)

        // Reading into caller memory.
        var row = [Double](repeating: .nan, count: 5)
        try row.withUnsafeMutableBufferPointer { try dataset.read(into: $0, offset: [3, 5, 0], count: [1, 1, 5]) }
        XCTAssertEqual(row, Array(expected[(3 * 30 + 25)..<(3 * 30 + 30)]))
    }

    func testHyperslabBoundsAreChecked() throws {
        let dir = try TemporaryDirectory()
        let file = try HDF5File.create(dir.path("bounds.h5"))
        let dataset = try file.createDataset("d", of: Double.self, shape: [3, 4])
        let error = assertStoreError(.shapeMismatch) { try dataset.write([1.0, 2.0], offset: [2, 3], count: [1, 2]) }
        XCTAssertEqual(error?.object, "/d")
        assertStoreError(.shapeMismatch) { try dataset.write([1.0], offset: [0], count: [1]) }
        assertStoreError(.shapeMismatch) { try dataset.write([1.0, 2.0, 3.0], offset: [0, 0], count: [1, 2]) }
        assertStoreError(.shapeMismatch) { try dataset.write([1.0, 2.0]) }
    }

    func testFloat32ReadsAsFloat64ButNotTheReverse() throws {
        let dir = try TemporaryDirectory()
        let file = try HDF5File.create(dir.path("conv.h5"))
        let floats = Pattern.values(Float.self, count: 10)
        try file.writeDataset("f32", floats, shape: [10])
        try file.writeDataset("f64", Pattern.values(Double.self, count: 10), shape: [10])
        try file.writeDataset("i32", Pattern.values(Int32.self, count: 10), shape: [10])
        XCTAssertEqual(try file.readDataset("f32", as: Double.self), floats.map(Double.init))
        XCTAssertEqual(try file.readDataset("i32", as: Int64.self), Pattern.values(Int32.self, count: 10).map(Int64.init))
        XCTAssertEqual(try file.readDataset("i32", as: Double.self), Pattern.values(Int32.self, count: 10).map(Double.init))
        let error = assertStoreError(.typeMismatch) { try file.readDataset("f64", as: Float.self) }
        XCTAssertEqual(error?.object, "/f64")
        assertStoreError(.typeMismatch) { try file.readDataset("f64", as: Int32.self) }
        assertStoreError(.typeMismatch) { try file.readDataset("f32", as: Int64.self) }
        assertStoreError(.typeMismatch) { try file.openDataset("f32").write(Pattern.values(Double.self, count: 10)) }
    }

    func testUnlimitedDatasetGrows() throws {
        let dir = try TemporaryDirectory()
        let file = try HDF5File.create(dir.path("grow.h5"))
        let dataset = try file.createDataset(
            "events", of: Double.self, shape: [0, 4],
            options: HDF5DatasetOptions(chunk: [2, 4], maxShape: [nil, 4]))
        XCTAssertEqual(try dataset.maxShape(), [nil, 4])
        for event in 0..<5 {
            try dataset.extend(to: [event + 1, 4])
            try dataset.write((0..<4).map { Double(event * 10 + $0) }, offset: [event, 0], count: [1, 4])
        }
        XCTAssertEqual(try dataset.shape(), [5, 4])
        XCTAssertEqual(try dataset.read(as: Double.self), (0..<5).flatMap { e in (0..<4).map { Double(e * 10 + $0) } })
        XCTAssertEqual(try dataset.creationOptions().maxShape, [nil, 4])
    }

    func testInvalidCreationOptionsThrow() throws {
        let dir = try TemporaryDirectory()
        let file = try HDF5File.create(dir.path("opts.h5"))
        assertStoreError(.invalidArgument) {
            try file.createDataset("a", of: Double.self, shape: [4], options: HDF5DatasetOptions(deflateLevel: 4))
        }
        assertStoreError(.invalidArgument) {
            try file.createDataset("b", of: Double.self, shape: [4, 4], options: .compressed(chunk: [4]))
        }
        assertStoreError(.invalidArgument) {
            try file.createDataset("c", of: Double.self, shape: [4], options: HDF5DatasetOptions(maxShape: [nil]))
        }
        assertStoreError(.invalidArgument) { try file.createDataset("d", of: Double.self, shape: [-1]) }
    }
}
