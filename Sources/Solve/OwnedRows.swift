import Model
import Config

extension Material {
    /// The material with only the given rows of its collision matrix: G's rows for the owned modes need M's rows
    /// for them (against every mode's ψ), so an MPI process keeps its share of M and nothing more.
    func keepingRows(_ rows: Range<Int>) -> Material {
        var m = self
        switch collision {
        case .relaxationToTemperature: break
        case .dense(let d):
            m.collision = .dense(
                DenseMatrix(
                    rows: rows.count, columns: d.columns,
                    values: Array(d.values[(rows.lowerBound * d.columns)..<(rows.upperBound * d.columns)])))
        case .sparse(let s):
            let a = s.rowStart[rows.lowerBound], b = s.rowStart[rows.upperBound]
            m.collision = .sparse(
                SparseMatrix(
                    rows: rows.count, columns: s.columns,
                    rowStart: s.rowStart[rows.lowerBound...rows.upperBound].map { $0 - a },
                    columnIndex: Array(s.columnIndex[a..<b]), values: Array(s.values[a..<b])))
        }
        return m
    }
}
