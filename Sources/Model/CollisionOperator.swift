/// How modes scatter into one another: `G_{m+1} = M ψ^(m)`, with `1/τ` on the diagonal of the full operator
/// `A = diag(1/τ) − M` (rates in s⁻¹, ψ basis: dψ_μ/dt|coll = −Σ A_μμ' ψ_μ').
public enum CollisionOperator: Sendable, Equatable {
    /// Relaxation to the local temperature (RTA that conserves energy): M = a bᵀ with
    /// a_μ = (∂n̄/∂T)_μ/τ_μ and b_μ' = ρ_μ' ħω_μ'/τ_μ' / Σ_ν ρ_ν C_ν/τ_ν. Rank one, so never stored dense.
    case relaxationToTemperature
    /// Dense M (s⁻¹), row-major nmodes × nmodes, diagonal zero.
    case dense(DenseMatrix)
    /// Sparse M (s⁻¹) in compressed rows.
    case sparse(SparseMatrix)
}

public struct DenseMatrix: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    public var values: [Double] // row-major
    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns)
        self.rows = rows; self.columns = columns; self.values = values
    }
    @inlinable public subscript(i: Int, j: Int) -> Double {
        get { values[i * columns + j] }
        set { values[i * columns + j] = newValue }
    }
}

public struct SparseMatrix: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    public var rowStart: [Int] // rows + 1 entries
    public var columnIndex: [Int32]
    public var values: [Double]
    public init(rows: Int, columns: Int, rowStart: [Int], columnIndex: [Int32], values: [Double]) {
        precondition(rowStart.count == rows + 1 && columnIndex.count == values.count)
        self.rows = rows; self.columns = columns
        self.rowStart = rowStart; self.columnIndex = columnIndex; self.values = values
    }

    /// Builds compressed rows from (row, column, value) triplets; duplicates are summed.
    public init(rows: Int, columns: Int, triplets: [(Int, Int, Double)]) {
        let sorted = triplets.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        var start = [Int](repeating: 0, count: rows + 1)
        var cols: [Int32] = [], vals: [Double] = []
        var last: (Int, Int)? = nil
        for (i, j, v) in sorted {
            if let l = last, l == (i, j) { vals[vals.count - 1] += v; continue }
            cols.append(Int32(j)); vals.append(v); start[i + 1] += 1; last = (i, j)
        }
        for i in 0..<rows { start[i + 1] += start[i] }
        self.init(rows: rows, columns: columns, rowStart: start, columnIndex: cols, values: vals)
    }

    public var dense: DenseMatrix {
        var d = DenseMatrix(rows: rows, columns: columns, values: [Double](repeating: 0, count: rows * columns))
        for i in 0..<rows { for k in rowStart[i]..<rowStart[i + 1] { d[i, Int(columnIndex[k])] = values[k] } }
        return d
    }
}
