import Foundation
import Model
import Store

/// Inputs the pipeline can make without external data: the gray medium of the validation problems and
/// structured box meshes.
public enum SyntheticIngest {
    public static func writeGray(
        polar: Int, azimuthal: Int, speed: Double, meanFreePath: Double,
        heatCapacity: Double, temperature: Double, to path: String
    ) throws -> Material {
        guard polar >= 1, azimuthal >= 2, azimuthal % 2 == 0, speed > 0, meanFreePath > 0, heatCapacity > 0, temperature > 0 else {
            throw IngestError.invalidArgument(
                "gray medium needs polar ≥ 1, an even azimuthal count ≥ 2, and positive speed, mean free path, heat capacity and temperature")
        }
        let mat = GrayMedium.make(
            polar: polar, azimuthal: azimuthal, speed: speed, meanFreePath: meanFreePath,
            heatCapacity: heatCapacity, temperature: temperature)
        let prov = try Provenance(inputs: [], checksums: [])
        try MaterialFile.write(
            mat, to: path, sourceFormat: "gray-synthetic", provenance: prov,
            diagnostics: MaterialDiagnostics(kappaRTA: mat.modes.kappaRTA(), energyResidual: 0, spectralRadius: 1))
        return mat
    }

    /// `poreCells` > 0: a square pore of that many cells a side, centred in x–y and through the whole z extent,
    /// its walls tagged `pore` (the periodic cell of a porous film).
    public static func writeBox(cells: (Int, Int, Int), lengths: Vector3, poreCells: Int = 0, to path: String) throws -> TetMesh {
        guard cells.0 > 0, cells.1 > 0, cells.2 > 0, lengths.x > 0, lengths.y > 0, lengths.z > 0 else {
            throw IngestError.invalidArgument("box needs positive cell counts and lengths")
        }
        if poreCells != 0 {
            guard cells.0 == cells.1, lengths.x == lengths.y else {
                throw IngestError.invalidArgument(
                    "a pore needs a square cell: equal cells and lengths along x and y, found \(cells.0)×\(cells.1) cells, \(lengths.x) × \(lengths.y) m")
            }
            guard poreCells > 0, poreCells < cells.0, (cells.0 - poreCells) % 2 == 0 else {
                throw IngestError.invalidArgument(
                    "--pore-cells: expected 0 < P < \(cells.0) with \(cells.0) − P even (a centred pore), found \(poreCells)")
            }
        }
        let mesh =
            poreCells == 0
            ? BoxMesh.make(cells: cells, lengths: lengths)
            : BoxMesh.porousCell(cells: cells.0, poreCells: poreCells, layers: cells.2, lengths: lengths)
        try MeshFile.write(mesh, to: path, provenance: try Provenance(inputs: [], checksums: []))
        return mesh
    }
}

public enum IngestError: Error, CustomStringConvertible {
    case invalidArgument(String)
    public var description: String {
        switch self {
        case .invalidArgument(let s): return s
        }
    }
}
