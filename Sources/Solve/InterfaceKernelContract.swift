// TEMPORARY: the contract of Interfaces/InterfaceKernel.swift (being written alongside); removed when it lands.
import Model

public struct InterfaceKernel: Sendable {
    public var name: String
    public var description: String
    public var transmitAB: SparseMatrix
    public var transmitBA: SparseMatrix
    public var reflectA: SparseMatrix
    public var reflectB: SparseMatrix
    public init(name: String, description: String, transmitAB: SparseMatrix, transmitBA: SparseMatrix,
                reflectA: SparseMatrix, reflectB: SparseMatrix) {
        self.name = name; self.description = description
        self.transmitAB = transmitAB; self.transmitBA = transmitBA; self.reflectA = reflectA; self.reflectB = reflectB
    }
}
