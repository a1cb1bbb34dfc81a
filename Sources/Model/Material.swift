/// A material as the solver sees it: modes, how they scatter, and where they came from.
public struct Material: Sendable, Equatable {
    public var name: String
    public var modes: ModeSet
    public var collision: CollisionOperator
    /// Primitive-cell volume Ω (m³), q-mesh and branch count, when the material came from a crystal.
    public var cellVolume: Double
    public var qMesh: [Int]
    public var branchCount: Int
    /// Polarisation vectors and mode Grüneisen data from the crystal's force constants, when ingest was given them.
    public var harmonics: ModeHarmonics?

    public init(
        name: String, modes: ModeSet, collision: CollisionOperator,
        cellVolume: Double, qMesh: [Int], branchCount: Int, harmonics: ModeHarmonics? = nil
    ) {
        self.name = name; self.modes = modes; self.collision = collision
        self.cellVolume = cellVolume; self.qMesh = qMesh; self.branchCount = branchCount
        self.harmonics = harmonics
    }
}
