import Foundation
import Model

/// Defaults of the interface kernels that the configuration states.
public enum InterfaceDefaults {
    /// Width of the frequency bins inside which a kernel is elastic (THz).
    public static let binWidthTHz = 0.5
}

/// Parameters of the acoustic mismatch model (docs/physics.md §7.4).
public struct AcousticMismatchParameters: Sendable, Equatable {
    /// Mass densities (kg m⁻³) that set the impedances Z = ρ c. Defaults: Si 2329, Ge 5323 (docs/physics.md §8).
    public var massDensityA: Double = 2329
    public var massDensityB: Double = 5323
    /// Frequency bins (THz) inside which the kernel is elastic; nil = one bin (gray media).
    public var binWidth: Double? = InterfaceDefaults.binWidthTHz
    /// A refracted state is matched to discrete modes no farther than this fraction of |q| in q∥.
    public var matchTolerance: Double = 0.3
    /// Number of discrete states (at most 4: the nearest per quadrant around the target) a refracted or diffracted state is
    /// shared between.
    public var neighbours: Int = 4

    public init(
        massDensityA: Double = 2329, massDensityB: Double = 5323, binWidth: Double? = InterfaceDefaults.binWidthTHz,
        matchTolerance: Double = 0.3, neighbours: Int = 4
    ) {
        self.massDensityA = massDensityA; self.massDensityB = massDensityB; self.binWidth = binWidth
        self.matchTolerance = matchTolerance; self.neighbours = neighbours
    }
}

/// Parameters of the strain mismatch model (docs/physics.md §7.5, docs/smm.md). Defaults: Si/Ge(001), full Lomer network
/// of 90° misfit edge dislocations, from docs/physics.md §8.
public struct StrainMismatchParameters: Sendable, Equatable {
    /// Dislocation spacing D (m): D = N a_Si/√2 with N = a_Ge/(a_Ge − a_Si) = 24.9 for full relaxation (docs/physics.md §8).
    public var spacing: Double = 9.57e-9
    /// Burgers vector |b| (m): a_Si/√2 = 0.3840 nm (docs/physics.md §8).
    public var burgers: Double = 0.3840e-9
    /// Poisson ratio ν for (001) biaxial strain, C12/(C11+C12) of Si = 0.278 (docs/physics.md §8).
    public var poisson: Double = 0.278
    /// Grüneisen parameters of side A and side B (Slack mode averages: Si 0.56, Ge 0.76; docs/physics.md §8, [U] there).
    public var gruneisenA: Double = 0.56
    public var gruneisenB: Double = 0.76
    /// In-plane direction of the first array's Burgers vector (the dislocation lines are ⟂ to it); the second array is
    /// rotated by 90° about the normal. Default [110] (projected onto the interface plane).
    public var arrayDirection: Vector3 = Vector3(1, 1, 0)
    /// Highest Fourier order n kept (nil: every order that can open a channel).
    public var maxOrder: Int? = nil
    /// Parameters of the specular (AMM) channel that carries the undiffracted fraction 1 − P_diff, and of the
    /// matching of discrete final states (bin width, tolerance, neighbours).
    public var specular: AcousticMismatchParameters = .init()
    /// Above this P_diff per hit the Born approximation is stretched; the kernel reports it.
    public var bornWarning: Double = 0.3
    /// How phonons couple to the strain: `gruneisen` (dilatation only, one γ per side, ê·ê′ = 1; docs/smm.md §2) or
    /// `forceConstants` (the full strain tensor through each material's fc3 and eigenvectors; docs/smm.md §7).
    public enum Coupling: String, Sendable, Equatable, CaseIterable { case gruneisen, forceConstants = "force-constants" }
    public var coupling: Coupling = .gruneisen
    /// Where the Born probability P of a mode exceeds what a probability can be: `cap` scales P > 1 down to 1;
    /// `exponential` takes the diffracted fraction 1 − e^{−P} (independent successive scatterings in one passage,
    /// the Poisson resummation), shared among the channels in proportion to their Born rates — below 1 by construction
    /// and equal to P to O(P²) where Born holds.
    public enum BornLimit: String, Sendable, Equatable, CaseIterable { case cap, exponential }
    public var bornLimit: BornLimit = .cap

    public init() {}

    /// A₀ = b(1 − 2ν)/[2D(1 − ν)] (dimensionless), the amplitude of the array's dilatation (docs/physics.md §7.5): 0.0123.
    public var amplitude: Double { burgers * (1 - 2 * poisson) / (2 * spacing * (1 - poisson)) }
    /// G₁ = 2π/D (1/m).
    public var firstReciprocal: Double { 2 * Double.pi / spacing }
}
