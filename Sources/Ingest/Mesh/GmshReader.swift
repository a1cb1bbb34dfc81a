import Foundation
import Model

/// Reads gmsh MSH 2.2 and 4.1 ASCII meshes of linear tetrahedra into a checked `TetMesh`.
///
/// Physical volumes become regions, physical surfaces become tagged boundary faces; a tagged triangle between two
/// tetrahedra is an interface and is recorded once for each side. See data-schema/gmsh-input.md.
public enum GmshReader {
    /// Reads `url`, whose coordinates are in `unit` (`m`, `mm`, `um`, `nm`, `angstrom`).
    public static func read(
        contentsOf url: URL, unit: String = "m",
        allowDisconnected: Bool = false
    ) throws(MeshIngestError) -> MeshIngestResult {
        let name = url.lastPathComponent
        let lengthUnit = try MeshLengthUnit.parse(unit, file: name)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw MeshIngestError(.io, file: name, "cannot read \(url.path): \(error.localizedDescription)")
        }
        return try parse([UInt8](data), fileName: name, unit: lengthUnit, allowDisconnected: allowDisconnected)
    }

    /// Parses MSH text already in memory; `fileName` is used in error messages.
    public static func parse(
        text: String, fileName: String, unit: String = "m",
        allowDisconnected: Bool = false
    ) throws(MeshIngestError) -> MeshIngestResult {
        try parse(
            Array(text.utf8), fileName: fileName, unit: MeshLengthUnit.parse(unit, file: fileName),
            allowDisconnected: allowDisconnected)
    }

    public static func parse(
        _ bytes: [UInt8], fileName: String, unit: MeshLengthUnit,
        allowDisconnected: Bool = false
    ) throws(MeshIngestError) -> MeshIngestResult {
        var parser = GmshParser(bytes: bytes, file: fileName)
        let raw = try parser.parse()
        let (mesh, report) = try GmshMeshAssembler(
            raw: raw, file: fileName, unit: unit,
            allowDisconnected: allowDisconnected
        ).assemble()
        return MeshIngestResult(mesh: mesh, report: report)
    }
}
