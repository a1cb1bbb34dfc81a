import Foundation
import Store
import XCTest

final class ConcurrencyTests: XCTestCase {
    /// Many threads hammering HDF5 and netCDF at once must neither crash nor corrupt data:
    /// every call is serialized through StoreLock.
    func testConcurrentWritersOnSeparateFiles() throws {
        let dir = try TemporaryDirectory()
        let failures = FailureLog()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            do {
                let values = (0..<2_000).map { Double(worker * 10_000 + $0) }
                if worker % 2 == 0 {
                    let file = try HDF5File.create(dir.path("w\(worker).h5"))
                    let dataset = try file.createDataset(
                        "d", of: Double.self, shape: [20, 100],
                        options: .compressed(chunk: [1, 100]))
                    for row in 0..<20 {
                        try dataset.write(Array(values[(row * 100)..<((row + 1) * 100)]), offset: [row, 0], count: [1, 100])
                        try dataset.setAttribute("last_row", Int64(row))
                    }
                    try file.close()
                    if try HDF5File.open(dir.path("w\(worker).h5")).readDataset("d", as: Double.self) != values {
                        failures.add("hdf5 worker \(worker) read back wrong data")
                    }
                } else {
                    let file = try NetCDFFile.create(dir.path("w\(worker).nc"))
                    try file.defineDimension("row", length: nil)
                    try file.defineDimension("col", length: 100)
                    let variable = try file.defineVariable("d", of: Double.self, dimensions: ["row", "col"])
                    for row in 0..<20 {
                        try variable.write(Array(values[(row * 100)..<((row + 1) * 100)]), start: [row, 0], count: [1, 100])
                    }
                    try file.close()
                    if try NetCDFFile.open(dir.path("w\(worker).nc")).variable("d").read(as: Double.self) != values {
                        failures.add("netcdf worker \(worker) read back wrong data")
                    }
                }
            } catch {
                failures.add("worker \(worker): \(error)")
            }
        }
        XCTAssertEqual(failures.all, [])
    }

    func testConcurrentHyperslabWritesIntoOneDataset() throws {
        let dir = try TemporaryDirectory()
        let file = try HDF5File.create(dir.path("shared.h5"))
        let dataset = try file.createDataset("events", of: Double.self, shape: [16, 50], options: .compressed(chunk: [1, 50]))
        let failures = FailureLog()
        DispatchQueue.concurrentPerform(iterations: 16) { event in
            do {
                try dataset.write((0..<50).map { Double(event * 50 + $0) }, offset: [event, 0], count: [1, 50])
            } catch {
                failures.add("\(error)")
            }
        }
        XCTAssertEqual(failures.all, [])
        XCTAssertEqual(try dataset.read(as: Double.self), (0..<800).map(Double.init))
    }
}

final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var all: [String] { lock.withLock { messages } }
}
