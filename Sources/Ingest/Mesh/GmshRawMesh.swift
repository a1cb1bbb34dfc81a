/// What the MSH parsers extract before any geometry checks: coordinates in file units, linear tetrahedra with
/// their physical volume, physically tagged triangles, and where each came from for error messages.
struct GmshRawMesh {
    var version = ""
    var coords: [Double] = [] // 3 per node, file order, file units
    var nodeTags: [Int] = []
    var nodeIndex: [Int: Int32] = [:] // gmsh node tag → position in `coords`

    var tets: [Int32] = [] // 4 node positions per tetrahedron
    var tetRegion: [Int32] = []
    var tetElement: [Int] = [] // gmsh element tag
    var tetLine: [Int] = []

    var tris: [Int32] = [] // 3 node positions per tagged triangle
    var triTag: [Int32] = []
    var triElement: [Int] = []
    var triLine: [Int] = []

    var regionNames: [Int32: String] = [:]
    var boundaryNames: [Int32: String] = [:]
    var untaggedTriangles = 0
    var ignoredElements = 0
    var warnings: [String] = []

    var nodeCount: Int { coords.count / 3 }
}

/// gmsh element types: which are read, which are skipped, which are refused and why.
enum GmshElementType {
    case tetrahedron
    case triangle
    case ignored(nodes: Int)
    case rejected(String)

    init(_ type: Int) {
        switch type {
        case 4: self = .tetrahedron
        case 2: self = .triangle
        case 15: self = .ignored(nodes: 1)
        case 1: self = .ignored(nodes: 2)
        case 8: self = .ignored(nodes: 3)
        case 26, 27, 28: self = .ignored(nodes: type - 22)
        case 9, 11, 10, 12, 13, 14, 16, 17, 18, 19, 20...25, 29...31:
            let name = Self.names[type].map { " (\($0))" } ?? ""
            self = .rejected(
                "element type \(type)\(name) is higher-order; only linear tetrahedra (type 4) and "
                    + "triangles (type 2) are read: mesh with Mesh.ElementOrder = 1")
        case 3, 5, 6, 7:
            self = .rejected(
                "element type \(type) (\(Self.names[type]!)) is not supported; only linear tetrahedra "
                    + "(type 4) and triangles (type 2) are read: mesh volumes with tetrahedra only (no Recombine)")
        default:
            self = .rejected("unknown element type \(type); only linear tetrahedra (type 4) and triangles (type 2) are read")
        }
    }

    private static let names: [Int: String] = [
        3: "4-node quadrangle", 5: "8-node hexahedron", 6: "6-node prism", 7: "5-node pyramid",
        9: "6-node second-order triangle", 10: "9-node second-order quadrangle",
        11: "10-node second-order tetrahedron", 12: "27-node second-order hexahedron",
        13: "18-node second-order prism", 14: "14-node second-order pyramid",
        16: "8-node second-order quadrangle", 17: "20-node second-order hexahedron",
        18: "15-node second-order prism", 19: "13-node second-order pyramid",
        29: "20-node third-order tetrahedron", 30: "35-node fourth-order tetrahedron",
        31: "56-node fifth-order tetrahedron"
    ]
}
