/// Why phonon data could not be ingested. The description names the file, then the line (text formats) or the
/// dataset (HDF5), what was expected and what was found.
public struct PhononIngestError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case io // file missing or unreadable
        case truncated // fewer records than the header or a sibling file promises
        case columnCount // a record with the wrong number of fields
        case syntax // a field that is not a number of the required form (including Fortran `****`)
        case nonFinite // NaN or ±∞
        case negativeLinewidth
        case countMismatch // q-point or mode counts that disagree between files
        case missingData // a required key, dataset or crystal datum is absent
        case unknownUnit
        case unsupported // valid input the pipeline does not handle (ibrav, basis, polar crystal…)
        case notSquare
        case duplicateEntry
        case invalidValue // out of range, inconsistent between files, or physically impossible
        case tooLarge // a declared size the file cannot hold or memory cannot take
        case irreducibleMesh // phono3py k-star file that cannot be unfolded
    }

    public let kind: Kind
    public let file: String
    public let line: Int?
    public let dataset: String?
    public let message: String

    public init(_ kind: Kind, file: String, line: Int? = nil, dataset: String? = nil, _ message: String) {
        self.kind = kind; self.file = file; self.line = line; self.dataset = dataset; self.message = message
    }

    public var description: String {
        var prefix = file
        if let line { prefix += ":\(line)" }
        if let dataset { prefix += ": dataset '\(dataset)'" }
        return "\(prefix): \(message)"
    }
}
