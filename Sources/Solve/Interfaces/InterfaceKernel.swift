import Foundation
import Model
import Config

/// Energy redistribution at a flat interface between side A and side B; `normal` is the unit normal pointing from A
/// into B. Each matrix acts on per-mode ENERGY fluxes (W) arriving at the interface: column μ says where the energy
/// arriving in mode μ goes, as fractions. Arriving modes: on A those with v·n > 0, on B those with v·n < 0.
/// Outgoing modes: into B those with v·n > 0, into A those with v·n < 0. All matrices are full size
/// (rows/columns = mode counts of the sides they map to/from) with zero rows/columns for modes of the wrong direction.
public struct InterfaceKernel: Sendable {
    public var name: String
    public var description: String // parameters with units, for provenance
    public var transmitAB: SparseMatrix // nB × nA
    public var transmitBA: SparseMatrix // nA × nB
    public var reflectA: SparseMatrix // nA × nA
    public var reflectB: SparseMatrix // nB × nB
    /// The normal the kernel was built for (from A into B); `check` and `landauerConductance` need it to tell
    /// arriving from outgoing modes. Nil for kernels assembled by hand without one.
    public var normal: Vector3?
    /// Width (THz) of the frequency bins inside which the kernel is elastic; nil when it is elastic per mode set
    /// (one bin, e.g. gray media). `check` tests detailed balance per bin of this width.
    public var binWidth: Double?
    /// Things a user should know about this kernel (e.g. the Born approximation stretched, data imbalance).
    public var warnings: [String]

    public init(
        name: String, description: String, transmitAB: SparseMatrix, transmitBA: SparseMatrix,
        reflectA: SparseMatrix, reflectB: SparseMatrix, normal: Vector3? = nil, binWidth: Double? = nil,
        warnings: [String] = []
    ) {
        self.name = name; self.description = description
        self.transmitAB = transmitAB; self.transmitBA = transmitBA; self.reflectA = reflectA; self.reflectB = reflectB
        self.normal = normal; self.binWidth = binWidth; self.warnings = warnings
    }
}

/// Why a kernel could not be built.
public enum InterfaceKernelError: Error, CustomStringConvertible, Equatable {
    case invalidParameter(String)
    /// A diffuse sheet whose t_AB makes t_BA = t_AB W_A/W_B exceed 1 in some frequency bin (detailed balance).
    case transmissivityTooLarge(bin: Int, frequencyTHz: Double, tBA: Double)

    public var description: String {
        switch self {
        case .invalidParameter(let s): return "interface kernel: \(s)"
        case .transmissivityTooLarge(let b, let f, let t):
            return String(
                format: "interface kernel: in frequency bin %d (%.3f THz) detailed balance needs t_BA = %.4f > 1; "
                    + "lower t_AB, swap the sides, or use overflow: .clamp", b, f, t)
        }
    }
}
