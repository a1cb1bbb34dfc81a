import Foundation
import Store
import XCTest
@testable import Ingest

/// What `make fuzz` (fuzz-phono3py) found in the phono3py and collision HDF5 readers, each made as a tiny file:
/// before, a trap (Int overflow) or a read of gigabytes from a dataset declared huge but never written; now, an
/// error naming the file and the dataset.
final class Phono3pyFuzzRegressionTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try PhononFixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A kappa file of `nir` q-points with 6 branches (Si), with datasets replaced or declared as given.
    func kappa(
        _ name: String, nir: Int = 1, mesh: [Int64] = [1, 1, 1], weight: [Int64]? = nil, qpoint: [Double]? = nil,
        declareTemperatures: Int? = nil
    ) throws -> String {
        let path = dir.appendingPathComponent(name).path
        let f = try HDF5File.create(path)
        if let n = declareTemperatures {
            _ = try f.createDataset("temperature", of: Double.self, shape: [n]) // declared, never written
        } else {
            try f.writeDataset("temperature", [300.0], shape: [1])
        }
        try f.writeDataset("frequency", (0..<(6 * nir)).map { 1 + Double($0 % 6) }, shape: [nir, 6])
        try f.writeDataset("gamma", [Double](repeating: 0.01, count: 6 * nir), shape: [1, nir, 6])
        try f.writeDataset("group_velocity", [Double](repeating: 1, count: 18 * nir), shape: [nir, 6, 3])
        try f.writeDataset("qpoint", qpoint ?? [Double](repeating: 0, count: 3 * nir), shape: [nir, 3])
        try f.writeDataset("weight", weight ?? [Int64](repeating: 1, count: nir), shape: [nir])
        try f.writeDataset("mesh", mesh, shape: [3])
        try f.close()
        return path
    }

    func read(_ path: String) throws { _ = try Phono3pyReader.read(path, crystal: try PhononFixtures.crystal("si")) }

    func testMeshWhoseProductOverflowsIsRefused() throws {
        let p = try kappa("mesh.hdf5", mesh: [Int64(1) << 40, Int64(1) << 40, 4])
        assertPhononError(.invalidValue, file: p, dataset: "mesh", contains: ["each division must lie in"]) { try read(p) }
    }

    func testWeightsWhoseSumOverflowsAreRefused() throws {
        let p = try kappa("weight.hdf5", nir: 2, mesh: [2, 1, 1], weight: [.max, .max])
        assertPhononError(.invalidValue, file: p, dataset: "weight", contains: ["weights sum to more than"]) { try read(p) }
        let q = try kappa("weight-negative.hdf5", nir: 2, mesh: [2, 1, 1], weight: [.min, .min])
        assertPhononError(.invalidValue, file: q, dataset: "weight") { try read(q) }
    }

    func testIrreducibleQPointFarOffTheMeshIsRefusedNotTrapped() throws {
        let p = try kappa("far.hdf5", mesh: [2, 1, 1], weight: [2], qpoint: [1e300, 0, 0])
        assertPhononError(.irreducibleMesh, file: p, dataset: "qpoint", contains: ["maps off"]) { try read(p) }
    }

    func testUnfoldingAnAbsurdMeshIsRefusedBeforeAllocating() throws {
        let p = try kappa("huge.hdf5", mesh: [1024, 1024, 1024], weight: [1 << 30])
        assertPhononError(.irreducibleMesh, file: p, dataset: "mesh", contains: ["beyond the"]) { try read(p) }
    }

    func testTemperaturesDeclaredHugeAreNotRead() throws {
        let p = try kappa("temps.hdf5", declareTemperatures: 1 << 30)
        assertPhononError(.countMismatch, file: p, dataset: "temperature", contains: ["more than any phono3py run"]) { try read(p) }
    }
}
