import Foundation
import Model
import Config

public enum InterfaceError: Error, CustomStringConvertible {
    case unmatched(tag: Int32, detail: String)
    case notFlat(tag: Int32)
    public var description: String {
        switch self {
        case .unmatched(let t, let d): return "interface \(t): \(d)"
        case .notFlat(let t): return "interface \(t) is not flat: one kernel per interface needs a single normal"
        }
    }
}

/// The interface recursion S^{A,m+1} = R_A S^{A,m} + T_{B→A} S^{B,m} (and the same for B) on boundary traces:
/// energy arriving at each interface face corner from either side is redistributed by the kernel and re-emitted
/// through the consistent face mass, so energy is conserved per corner exactly.
public struct InterfaceCoupling: InterfaceExchange {
    public let tag: Int32
    public let regionA: Int, regionB: Int
    /// Unit normal pointing from A into B.
    public let normal: Vector3
    public let kernel: InterfaceKernel
    /// Paired faces: boundary-face index in A, in B, and B's corner holding A's corner k.
    let faceA: [Int], faceB: [Int], cornerB: [[Int]]

    public init(
        regions: [Transport], regionA a: Int, regionB b: Int, tag: Int32,
        kernel build: (ModeSet, ModeSet, Vector3) throws -> InterfaceKernel
    ) throws {
        self.tag = tag; regionA = a; regionB = b
        let ma = regions[a].mesh, mb = regions[b].mesh
        let fa = ma.mesh.boundaryFaces.indices.filter { ma.mesh.boundaryFaces[$0].tag == tag }
        let fb = mb.mesh.boundaryFaces.indices.filter { mb.mesh.boundaryFaces[$0].tag == tag }
        guard !fa.isEmpty, fa.count == fb.count else {
            throw InterfaceError.unmatched(tag: tag, detail: "\(fa.count) faces on one side, \(fb.count) on the other")
        }
        let (lo, hi) = ma.mesh.bounds
        let tol = 1e-8 * (hi - lo).norm
        struct Key: Hashable { let x: Int64, y: Int64, z: Int64 }
        func key(_ p: Vector3) -> Key { Key(x: Int64((p.x / tol).rounded()), y: Int64((p.y / tol).rounded()), z: Int64((p.z / tol).rounded())) }
        func centroidKey(_ m: SweepMesh, _ f: Int) -> Key {
            key((1.0 / 3) * (0..<3).reduce(Vector3.zero) { $0 + m.mesh.node(Int(m.boundaryNode[3 * f + $1])) })
        }
        var byCentroid = [Key: Int]()
        for f in fb { byCentroid[centroidKey(mb, f)] = f }
        var pa = [Int](), pb = [Int](), perm = [[Int]]()
        let n0 = ma.boundaryNormal(fa[0]).normalized
        for f in fa {
            guard let g = byCentroid[centroidKey(ma, f)] else {
                throw InterfaceError.unmatched(
                    tag: tag, detail: "face \(f) of region \(a) has no coincident face in region \(b) (interface nodes must be duplicated, one copy per side)")
            }
            guard (ma.boundaryNormal(f).normalized - n0).norm < 1e-6 else { throw InterfaceError.notFlat(tag: tag) }
            let pts = (0..<3).map { ma.mesh.node(Int(ma.boundaryNode[3 * f + $0])) }
            let qts = (0..<3).map { mb.mesh.node(Int(mb.boundaryNode[3 * g + $0])) }
            let p = pts.map { p in qts.firstIndex { ($0 - p).norm < tol } ?? -1 }
            guard !p.contains(-1) else { throw InterfaceError.unmatched(tag: tag, detail: "face \(f): corners do not coincide") }
            pa.append(f); pb.append(g); perm.append(p)
        }
        faceA = pa; faceB = pb; cornerB = perm
        normal = n0
        kernel = try build(regions[a].modes, regions[b].modes, n0)
    }

    /// `trace` and `inflow` cover every mode (`TransportSystem.wholeBoundaryOffset`).
    public func reemit(system: TransportSystem, trace: [Double], into inflow: inout [Double]) {
        let ta = system.regions[regionA], tb = system.regions[regionB]
        let cols = 3 * faceA.count
        // Energy (W) arriving at each paired corner, modes × corners, in A's corner order.
        let ea = arriving(ta, trace, offset: system.wholeBoundaryOffset[regionA], faces: faceA, corners: nil, cols: cols)
        let eb = arriving(tb, trace, offset: system.wholeBoundaryOffset[regionB], faces: faceB, corners: cornerB, cols: cols)
        var outA = [Double](repeating: 0, count: ta.modeCount * cols)
        var outB = [Double](repeating: 0, count: tb.modeCount * cols)
        multiplyAdd(kernel.reflectA, ea, &outA, cols)
        multiplyAdd(kernel.transmitBA, eb, &outA, cols)
        multiplyAdd(kernel.transmitAB, ea, &outB, cols)
        multiplyAdd(kernel.reflectB, eb, &outB, cols)
        emit(ta, outA, offset: system.wholeBoundaryOffset[regionA], faces: faceA, corners: nil, cols: cols, into: &inflow)
        emit(tb, outB, offset: system.wholeBoundaryOffset[regionB], faces: faceB, corners: cornerB, cols: cols, into: &inflow)
    }

    /// Per mode and corner, ρħω (v·N)/12 (ψ_k + Σψ) for modes leaving the region through the face.
    func arriving(_ t: Transport, _ trace: [Double], offset: Int, faces: [Int], corners: [[Int]]?, cols: Int) -> [Double] {
        var e = [Double](repeating: 0, count: t.modeCount * cols)
        let bs = 3 * t.boundaryFaceCount
        for (p, f) in faces.enumerated() {
            let nvec = t.mesh.boundaryNormal(f)
            for mu in 0..<t.modeCount {
                let vn = t.modes.velocity(mu).dot(nvec)
                guard vn > 0 else { continue }
                let w = t.modes.volumeWeight[mu] * t.modes.energy(mu) * vn / 12
                let base = offset + mu * bs + 3 * f
                let s = trace[base] + trace[base + 1] + trace[base + 2]
                for k in 0..<3 {
                    let c = corners?[p][k] ?? k
                    e[mu * cols + 3 * p + k] = w * (trace[base + c] + s)
                }
            }
        }
        return e
    }

    /// Inverts the consistent face mass: corner ψ whose energy per corner is the given one.
    func emit(_ t: Transport, _ out: [Double], offset: Int, faces: [Int], corners: [[Int]]?, cols: Int, into inflow: inout [Double]) {
        let bs = 3 * t.boundaryFaceCount
        for (p, f) in faces.enumerated() {
            let nvec = t.mesh.boundaryNormal(f)
            for mu in 0..<t.modeCount {
                let vn = t.modes.velocity(mu).dot(nvec)
                guard vn < 0 else { continue }
                let w = t.modes.volumeWeight[mu] * t.modes.energy(mu) * (-vn)
                let e0 = out[mu * cols + 3 * p], e1 = out[mu * cols + 3 * p + 1], e2 = out[mu * cols + 3 * p + 2]
                if e0 == 0 && e1 == 0 && e2 == 0 { continue }
                let sum = 3 * (e0 + e1 + e2) / w
                let psi = [12 * e0 / w - sum, 12 * e1 / w - sum, 12 * e2 / w - sum]
                let base = offset + mu * bs + 3 * f
                for k in 0..<3 { inflow[base + (corners?[p][k] ?? k)] += psi[k] }
            }
        }
    }

    func multiplyAdd(_ m: SparseMatrix, _ x: [Double], _ y: inout [Double], _ cols: Int) {
        for i in 0..<m.rows {
            for k in m.rowStart[i]..<m.rowStart[i + 1] {
                let v = m.values[k], j = Int(m.columnIndex[k])
                if v == 0 { continue }
                for c in 0..<cols { y[i * cols + c] += v * x[j * cols + c] }
            }
        }
    }
}
