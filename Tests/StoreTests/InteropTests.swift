import Foundation
import Store
import XCTest

/// Round trips with h5py and xarray. Runs only when PBTE_PYTHON names a Python that has
/// h5py, xarray, netCDF4 and numpy; otherwise skipped.
final class InteropTests: XCTestCase {
    private var python: String!
    private var script: String!

    override func setUpWithError() throws {
        guard let python = ProcessInfo.processInfo.environment["PBTE_PYTHON"], !python.isEmpty else {
            throw XCTSkip("set PBTE_PYTHON to a Python with h5py, xarray, netCDF4 and numpy")
        }
        self.python = python
        // Resolve symlinks so the script is found from isolated builds too.
        let repo = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        script =
            ProcessInfo.processInfo.environment["PBTE_INTEROP_SCRIPT"]
            ?? repo.appendingPathComponent("tests/python/interop_check.py").path
        guard FileManager.default.fileExists(atPath: script) else {
            throw XCTSkip("interop script not found at \(script!)")
        }
    }

    func testPythonReadsSwiftFiles() throws {
        let dir = try TemporaryDirectory("interop")
        try writeSwiftHDF5(dir.path("swift.h5"))
        try writeSwiftNetCDF(dir.path("swift.nc"))
        try runPython("check", dir.url.path)
    }

    func testSwiftReadsPythonFiles() throws {
        let dir = try TemporaryDirectory("interop")
        try runPython("write", dir.url.path)
        try checkPythonHDF5(dir.path("py.h5"))
        try checkPythonNetCDF(dir.path("py.nc"))
    }

    // MARK: Swift → Python

    private func writeSwiftHDF5(_ path: String) throws {
        try HDF5File.writeAtomically(path) { file in
            try file.writeDataset("f64", Pattern.values(Double.self, count: 60), shape: [3, 4, 5])
            try file.writeDataset("f32", Pattern.values(Float.self, count: 6), shape: [2, 3])
            try file.writeDataset("i32", Pattern.values(Int32.self, count: 7), shape: [7])
            try file.writeDataset("i64", Pattern.values(Int64.self, count: 16), shape: [2, 2, 2, 2])
            try file.writeDataset("u8", Pattern.values(UInt8.self, count: 10), shape: [10])
            let special: [Double] = [.pi, -0.0, 1e-300, .greatestFiniteMagnitude, .leastNonzeroMagnitude, .infinity, .nan]
            try file.writeDataset("special", special, shape: [special.count])
            try file.writeDataset("scalar", [42.5], shape: [])
            let gamma = try file.createDataset(
                "events/0/gamma", of: Double.self, shape: [6, 50],
                options: .compressed(chunk: [1, 50], level: 4))
            let values = Pattern.values(Double.self, count: 300)
            for event in 0..<6 {
                try values[(event * 50)..<((event + 1) * 50)].withContiguousStorageIfAvailable {
                    try gamma.write($0, offset: [event, 0], count: [1, 50])
                }
            }
            try file.setAttribute("title", "pbte ✓ interop")
            try file.setAttribute("version", Int64(3))
            try file.setAttribute("temperature", 300.5)
            try file.openGroup("events").setAttribute("q", [Int64(1), 2, .max, .min])
            try gamma.setAttribute("weights", [0.25, -1.5, 1e-300])
            try gamma.setAttribute("units", "1/ps")
        }
    }

    private func writeSwiftNetCDF(_ path: String) throws {
        try NetCDFFile.writeAtomically(path) { file in
            try file.defineDimension("time", length: nil)
            try file.defineDimension("x", length: 4)
            try file.defineDimension("y", length: 3)
            let temp = try file.defineVariable(
                "temp", of: Double.self, dimensions: ["time", "x", "y"],
                options: .compressed(chunk: [1, 4, 3], level: 5), fillValue: -999.0)
            try temp.setAttribute("units", "K")
            try temp.setAttribute("scale", [0.5, 2.0])
            let count = try file.defineVariable("count", of: Int32.self, dimensions: ["x"])
            let big = try file.defineVariable("big", of: Int64.self, dimensions: ["y"])
            let single = try file.defineVariable("single", of: Float.self, dimensions: ["x"])
            try file.setAttribute("title", "pbte ✓ netcdf")
            try file.setAttribute("version", Int32(2))
            let values = Pattern.values(Double.self, count: 24)
            for record in 0..<2 {
                try temp.write(Array(values[(record * 12)..<((record + 1) * 12)]), start: [record, 0, 0], count: [1, 4, 3])
            }
            try count.write(Pattern.values(Int32.self, count: 4))
            try big.write(Pattern.values(Int64.self, count: 3))
            try single.write(Pattern.values(Float.self, count: 4))
        }
    }

    // MARK: Python → Swift

    private func checkPythonHDF5(_ path: String) throws {
        let file = try HDF5File.open(path)
        let f64 = try file.openDataset("f64")
        XCTAssertEqual(try f64.shape(), [3, 4])
        XCTAssertEqual(try f64.read(as: Double.self), Pattern.values(Double.self, count: 12))
        XCTAssertEqual(try file.readDataset("f32", as: Float.self), Pattern.values(Float.self, count: 5))
        XCTAssertEqual(try file.readDataset("f32", as: Double.self), Pattern.values(Float.self, count: 5).map(Double.init))
        XCTAssertEqual(try file.readDataset("i32", as: Int32.self), Pattern.values(Int32.self, count: 6))
        XCTAssertEqual(try file.readDataset("i64", as: Int64.self), Pattern.values(Int64.self, count: 6))
        let special: [Double] = [.pi, -0.0, 1e-300, .greatestFiniteMagnitude, .leastNonzeroMagnitude, .infinity, .nan]
        XCTAssertEqual(try file.readDataset("special", as: Double.self).map(\.bitPattern), special.map(\.bitPattern))

        let data = try file.openDataset("nested/a/b/data")
        XCTAssertEqual(try data.read(as: Double.self), Pattern.values(Double.self, count: 2000))
        XCTAssertEqual(
            try data.read(as: Double.self, offset: [10, 0], count: [1, 20]),
            Array(Pattern.values(Double.self, count: 2000)[200..<220]))
        var fromPython = HDF5DatasetOptions.compressed(chunk: [10, 20], level: 4)
        fromPython.checksum = false
        XCTAssertEqual(try data.creationOptions(), fromPython)
        XCTAssertEqual(try data.stringAttribute("units"), "1/ps")
        XCTAssertEqual(try file.openGroup("nested/a").stringAttribute("note"), "group attribute")
        XCTAssertEqual(try file.memberNames(), ["f32", "f64", "i32", "i64", "nested", "special"])

        XCTAssertEqual(try file.stringAttribute("title"), "h5py ✓ interop")
        XCTAssertEqual(try file.stringAttribute("fixed"), "fixed-ascii")
        XCTAssertFalse(try file.attributeType("fixed").isVariableLengthString)
        XCTAssertEqual(try file.stringAttribute("fixed_utf8"), "héllo")
        XCTAssertEqual(try file.attribute("count", as: Int64.self), 7)
        XCTAssertEqual(try file.attribute("small", as: Int32.self), -12)
        XCTAssertEqual(try file.attribute("temperature", as: Double.self), 300.5)
        XCTAssertEqual(try file.arrayAttribute("vec", as: Double.self), [1.5, 2.5, 3.5])
        XCTAssertEqual(try file.arrayAttribute("ivec", as: Int64.self), [1, -2, 1 << 40])
        XCTAssertEqual(
            Set(try file.attributeNames()),
            ["title", "fixed", "fixed_utf8", "count", "small", "temperature", "vec", "ivec"])
    }

    private func checkPythonNetCDF(_ path: String) throws {
        let file = try NetCDFFile.open(path)
        XCTAssertEqual(
            try file.dimensions(),
            [
                NetCDFDimension(name: "x", length: 4, isUnlimited: false),
                NetCDFDimension(name: "y", length: 3, isUnlimited: false)
            ])
        XCTAssertEqual(Set(try file.variableNames()), ["temp", "counts", "big", "single", "x", "y"])
        XCTAssertEqual(try file.stringAttribute("title"), "xarray ✓ interop")
        XCTAssertEqual(try file.attribute("version", as: Int64.self), 2)

        let temp = try file.variable("temp")
        XCTAssertEqual(try temp.dimensionNames(), ["x", "y"])
        XCTAssertEqual(try temp.read(as: Double.self), Pattern.values(Double.self, count: 12))
        XCTAssertEqual(
            try temp.read(as: Double.self, start: [1, 1], count: [2, 2]),
            [4, 5, 7, 8].map { Pattern.float64($0) })
        XCTAssertEqual(try temp.storageOptions(), .compressed(chunk: [2, 3], level: 4))
        XCTAssertEqual(try temp.stringAttribute("units"), "K")
        XCTAssertEqual(try temp.arrayAttribute("scale", as: Double.self), [0.5, 2.0])
        XCTAssertTrue(try temp.fillValue(as: Double.self)?.isNaN ?? false, "xarray writes NaN as _FillValue")

        XCTAssertEqual(try file.variable("counts").read(as: Int32.self), Pattern.values(Int32.self, count: 4))
        XCTAssertEqual(try file.variable("big").read(as: Int64.self), Pattern.values(Int64.self, count: 3))
        XCTAssertEqual(try file.variable("single").read(as: Float.self), Pattern.values(Float.self, count: 4))
        XCTAssertEqual(try file.variable("x").read(as: Double.self), [0, 0.5, 1, 1.5])
        XCTAssertEqual(try file.variable("y").read(as: Int64.self), [10, 20, 30])
    }

    // MARK: Running Python

    private func runPython(_ mode: String, _ directory: String) throws {
        let process = Process()
        // Under coreutils' timeout: a Python that hangs fails the test instead of CI.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["--kill-after=10", "600", python, script, mode, directory]
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Drain both pipes before waiting so a chatty child cannot block on a full pipe.
        let errorData = ReadAll(stderr.fileHandleForReading)
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorText = errorData.wait()
        if process.terminationStatus != 0 || process.terminationReason != .exit {
            throw InteropFailure(
                message: """
                    \(python!) \(script!) \(mode) exited with status \(process.terminationStatus)
                    --- stderr ---
                    \(errorText)
                    --- stdout ---
                    \(String(decoding: outputData, as: UTF8.self))
                    """)
        }
    }
}

/// Thrown (and so reported by XCTest with its full text) when the Python side fails.
private struct InteropFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Reads a pipe to the end on a background thread.
private final class ReadAll: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
