import Foundation
import Model
import Config

extension InterfaceKernel {
    /// p·K1 + (1 − p)·K2 (docs/physics.md §7.4: partial specularity, e.g. AMM and DMM). Every property (i)–(iv) is linear
    /// in the kernel, so a convex combination of two kernels that satisfy them on the same mode sets does too. Both
    /// kernels must share the normal; the mix is checked per bin of the wider of the two bin widths.
    public static func mix(_ k1: InterfaceKernel, _ k2: InterfaceKernel, p: Double) throws -> InterfaceKernel {
        guard p >= 0 && p <= 1 else { throw InterfaceKernelError.invalidParameter("mixing weight p = \(p) outside [0, 1]") }
        guard k1.transmitAB.rows == k2.transmitAB.rows && k1.transmitAB.columns == k2.transmitAB.columns else {
            throw InterfaceKernelError.invalidParameter("kernels \(k1.name) and \(k2.name) are for different mode sets")
        }
        if let n1 = k1.normal, let n2 = k2.normal, (n1.normalized - n2.normalized).norm > 1e-12 {
            throw InterfaceKernelError.invalidParameter("kernels \(k1.name) and \(k2.name) have different normals")
        }
        func combine(_ x: SparseMatrix, _ y: SparseMatrix) -> SparseMatrix {
            var t = [(Int, Int, Double)]()
            t.reserveCapacity(x.values.count + y.values.count)
            for (m, f) in [(x, p), (y, 1 - p)] where f > 0 {
                for i in 0..<m.rows { for k in m.rowStart[i]..<m.rowStart[i + 1] { t.append((i, Int(m.columnIndex[k]), f * m.values[k])) } }
            }
            return SparseMatrix(rows: x.rows, columns: x.columns, triplets: t)
        }
        // A bin-elastic kernel mixed with a per-set-elastic one is elastic per the wider bins only.
        let width: Double? = {
            switch (k1.binWidth, k2.binWidth) {
            case (nil, _), (_, nil): return nil
            case (let x?, let y?): return x == y ? x : nil
            }
        }()
        return InterfaceKernel(
            name: "mix(\(k1.name),\(k2.name))",
            description: "p*K1 + (1-p)*K2 with p = \(p); K1: \(k1.description); K2: \(k2.description)",
            transmitAB: combine(k1.transmitAB, k2.transmitAB), transmitBA: combine(k1.transmitBA, k2.transmitBA),
            reflectA: combine(k1.reflectA, k2.reflectA), reflectB: combine(k1.reflectB, k2.reflectB),
            normal: k1.normal ?? k2.normal, binWidth: width, warnings: k1.warnings + k2.warnings)
    }
}
