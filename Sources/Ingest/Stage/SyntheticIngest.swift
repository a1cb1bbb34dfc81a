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

    public static func writeBox(cells: (Int, Int, Int), lengths: Vector3, to path: String) throws -> TetMesh {
        guard cells.0 > 0, cells.1 > 0, cells.2 > 0, lengths.x > 0, lengths.y > 0, lengths.z > 0 else {
            throw IngestError.invalidArgument("box needs positive cell counts and lengths")
        }
        let mesh = BoxMesh.make(cells: cells, lengths: lengths)
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
