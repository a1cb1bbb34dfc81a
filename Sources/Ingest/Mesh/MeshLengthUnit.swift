import Foundation

/// The length unit of a mesh file's coordinates; gmsh files carry none, so the caller states it.
public enum MeshLengthUnit: String, Sendable, CaseIterable {
    case m, mm, um, nm, angstrom

    /// Metres per unit.
    public var metres: Double {
        switch self {
        case .m: 1
        case .mm: 1e-3
        case .um: 1e-6
        case .nm: 1e-9
        case .angstrom: 1e-10
        }
    }

    /// Accepts the case names plus the usual spellings (`µm`, `μm`, `Å`, `A`).
    public init?(symbol: String) {
        switch symbol.trimmingCharacters(in: .whitespaces) {
        case "m": self = .m
        case "mm": self = .mm
        case "um", "µm", "μm": self = .um
        case "nm": self = .nm
        case "angstrom", "Å", "A", "Angstrom": self = .angstrom
        default: return nil
        }
    }

    static func parse(_ symbol: String, file: String) throws(MeshIngestError) -> MeshLengthUnit {
        guard let unit = MeshLengthUnit(symbol: symbol) else {
            throw MeshIngestError(
                .unknownUnit, file: file,
                "unknown length unit '\(symbol)'; expected one of m, mm, um, nm, angstrom")
        }
        return unit
    }
}
