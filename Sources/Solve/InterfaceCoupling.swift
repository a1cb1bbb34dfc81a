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
        let matches = FacePairing.match(fa, in: ma, shift: .zero, to: fb, in: mb, tolerance: 1e-8 * (hi - lo).norm)
        var pa = [Int](), pb = [Int](), perm = [[Int]]()
        let n0 = ma.boundaryNormal(fa[0]).normalized
        for (f, m) in zip(fa, matches) {
            guard let m else {
                throw InterfaceError.unmatched(
                    tag: tag, detail: "face \(f) of region \(a) has no coincident face in region \(b) (interface nodes must be duplicated, one copy per side)")
            }
            guard (ma.boundaryNormal(f).normalized - n0).norm < 1e-6 else { throw InterfaceError.notFlat(tag: tag) }
            pa.append(f); pb.append(m.face); perm.append(m.corner)
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
                let base = offset + mu * bs + 3 * f
                // In the face's own corner order, then into A's.
                let mine = FaceMass.energies((trace[base], trace[base + 1], trace[base + 2]), weight: t.modes.volumeWeight[mu] * t.modes.energy(mu) * vn)
                for k in 0..<3 {
                    let c = corners?[p][k] ?? k
                    e[mu * cols + 3 * p + k] = c == 0 ? mine.0 : c == 1 ? mine.1 : mine.2
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
                let v = FaceMass.values(energies: (e0, e1, e2), weight: w)
                let psi = [v.0, v.1, v.2]
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
