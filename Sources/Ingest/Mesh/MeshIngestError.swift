/// Why a mesh could not be read or generated. The description always names the file, then the line (parse
/// errors) or the element tag (geometry errors), what was expected and what was found.
public struct MeshIngestError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case io // file could not be read
        case syntax // a field is not what the format requires
        case truncated // end of file inside a section
        case count // declared count disagrees with what follows
        case tooLarge // declared count cannot fit in the rest of the file
        case unsupportedVersion
        case binary
        case unsupportedElement // second-order or non-tetrahedral volume elements
        case unknownNode // element refers to a node tag not in $Nodes
        case missingPhysicalTag // tetrahedron outside every physical volume
        case ambiguousPhysicalTag // volume entity in several physical volumes
        case duplicateElement
        case degenerate
        case nonManifold
        case unmatchedTriangle
        case untaggedBoundary
        case disconnected
        case emptyMesh
        case unknownUnit
        case invalidArgument
        case gmshMissing
        case gmshFailed
    }

    public let kind: Kind
    public let file: String
    public let line: Int?
    public let element: Int?
    public let message: String

    public init(_ kind: Kind, file: String, line: Int? = nil, element: Int? = nil, _ message: String) {
        self.kind = kind; self.file = file; self.line = line; self.element = element; self.message = message
    }

    public var description: String {
        var prefix = file
        if let line { prefix += ":\(line)" }
        if let element { prefix += ": element \(element)" }
        return "\(prefix): \(message)"
    }
}
