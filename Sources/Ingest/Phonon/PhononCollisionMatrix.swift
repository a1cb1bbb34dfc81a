/// A full collision operator A read from a file: ψ basis (ψ = n − n̄), dψ_μ/dt|coll = −Σ_ν A_μν ψ_ν, rates in s⁻¹,
/// dense row-major, mode μ = iq·nbranch + s in the order of the accompanying mode files.
public struct PhononCollisionMatrix: Sendable {
    public var size: Int
    public var values: [Double]
    /// 0-based modes the producer flagged (rows and columns zero).
    public var zeroModes: [Int]
    public var temperature: Double?
    public var qCount: Int?
    public var branchCount: Int?
    /// Frequencies (THz) the producer stored beside the matrix, for checking the mode order.
    public var frequencyTHz: [Double]?
    public var path: String
    /// Every file the matrix was read from (one, or a phono3py per-grid-point set), for provenance.
    public var inputFiles: [String]
    public var warnings: [String]

    public init(
        size: Int, values: [Double], zeroModes: [Int] = [], temperature: Double? = nil, qCount: Int? = nil,
        branchCount: Int? = nil, frequencyTHz: [Double]? = nil, path: String = "", warnings: [String] = []
    ) {
        precondition(values.count == size * size)
        self.size = size; self.values = values; self.zeroModes = zeroModes; self.temperature = temperature
        self.qCount = qCount; self.branchCount = branchCount; self.frequencyTHz = frequencyTHz
        self.path = path; self.inputFiles = [path]; self.warnings = warnings
    }

    @inlinable public subscript(i: Int, j: Int) -> Double { values[i * size + j] }

    /// Largest matrix the readers will allocate (modes); 20000² doubles is 3.2 GB.
    public static let maximumSize = 20_000

    /// Reads any of the formats: phono3py's own collision files (which need the mode table to convert), the
    /// project's HDF5 or its scattering text, told apart by the HDF5 signature and the datasets.
    public static func read(
        _ path: String, modes: PhononModeTable? = nil,
        progress: (@Sendable (String) -> Void)? = nil
    ) throws -> PhononCollisionMatrix {
        if Phono3pyCollisionReader.recognizes(path) {
            guard let modes else {
                throw PhononIngestError(
                    .unsupported, file: path,
                    "phono3py's collision files are converted with the modes of the same run; ingest them with `ingest phono3py KAPPA --collision`")
            }
            return try Phono3pyCollisionReader.read(path, modes: modes)
        }
        if let h = FileHandleProbe.firstBytes(path, count: 8), h == [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A] {
            return try CollisionHDF5Reader.read(path)
        }
        return try ScatteringTextReader.read(path, progress: progress)
    }
}

import Foundation

enum FileHandleProbe {
    static func firstBytes(_ path: String, count: Int) -> [UInt8]? {
        guard let h = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? h.close() }
        return (try? h.read(upToCount: count)).map { [UInt8]($0) }
    }
}
