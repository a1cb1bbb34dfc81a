import Foundation
import Model
import Config

public enum WallError: Error, CustomStringConvertible {
    case untagged(Int32)
    case noMirror(tag: Int32, mode: Int)
    case periodicMismatch(tag: Int32, partner: Int32, detail: String)
    public var description: String {
        switch self {
        case .untagged(let t): return "boundary tag \(t) has no wall condition in the run configuration"
        case .noMirror(let t, let mu):
            return "specular wall \(t): mode \(mu) has no mirror partner in the mode set (the q-mesh must be symmetric under reflection in the wall plane)"
        case .periodicMismatch(let t, let p, let d): return "periodic walls \(t)/\(p) do not match: \(d)"
        }
    }
}

/// The bounce operator: maps the boundary traces of one event (ψ leaving at every boundary face corner) to the
/// inflow data of the next. Works on the consistent face mass of the DG scheme so energy is conserved exactly.
public struct WallOperator: Sendable {
    public let kinds: [Int32: WallKind]
    let faceKind: [WallKind]
    /// For each boundary face, the mirror mode of each mode (specular and rough walls), else empty.
    let mirror: [[Int32]]
    /// Specularity per (face, mode) for rough walls, per face for fixed p.
    let specularity: [[Double]]
    /// Periodic partner face and the corner permutation (partner corner of local corner k).
    let partner: [(face: Int32, corner: (Int8, Int8, Int8))?]

    public init(mesh: SweepMesh, modes: ModeSet, kinds: [Int32: WallKind]) throws {
        self.kinds = kinds
        let faces = mesh.mesh.boundaryFaces
        var fk = [WallKind]()
        for bf in faces {
            guard let k = kinds[bf.tag] else { throw WallError.untagged(bf.tag) }
            fk.append(k)
        }
        faceKind = fk
        // Mirror maps are shared by faces with the same unit normal.
        var mirrorCache = [Vector3: [Int32]]()
        var mirror = [[Int32]](repeating: [], count: faces.count)
        var spec = [[Double]](repeating: [], count: faces.count)
        for (b, bf) in faces.enumerated() {
            let kind = fk[b]
            switch kind {
            case .specular, .partiallySpecular, .rough:
                let n = mesh.boundaryNormal(b).normalized
                let key = Vector3((n.x * 1e9).rounded() / 1e9, (n.y * 1e9).rounded() / 1e9, (n.z * 1e9).rounded() / 1e9)
                if mirrorCache[key] == nil { mirrorCache[key] = try Self.mirrorMap(modes: modes, normal: n, tag: bf.tag) }
                mirror[b] = mirrorCache[key]!
                if case .partiallySpecular(let p) = kind { spec[b] = [p] }
                if case .rough(let eta) = kind {
                    spec[b] = (0..<modes.count).map { mu in
                        let q2 = modes.qx[mu] * modes.qx[mu] + modes.qy[mu] * modes.qy[mu] + modes.qz[mu] * modes.qz[mu]
                        let v = modes.velocity(mu)
                        let c = v.norm > 0 ? v.normalized.dot(n) : 0
                        return exp(-4 * eta * eta * q2 * c * c)
                    }
                }
            default: break
            }
        }
        self.mirror = mirror
        specularity = spec
        partner = try Self.periodicPairs(mesh: mesh, kinds: fk)
    }

    /// μ → the mode whose velocity is the reflection of v_μ in the plane with normal n, at the same frequency.
    static func mirrorMap(modes: ModeSet, normal n: Vector3, tag: Int32) throws -> [Int32] {
        struct Key: Hashable { let a: Int64, b: Int64, c: Int64, w: Int64 }
        let scale = (0..<modes.count).map { modes.speed($0) }.max() ?? 1
        let wscale = modes.omega.max() ?? 1
        func key(_ v: Vector3, _ w: Double) -> Key {
            let r = 1e6
            return Key(
                a: Int64((v.x / scale * r).rounded()), b: Int64((v.y / scale * r).rounded()),
                c: Int64((v.z / scale * r).rounded()), w: Int64((w / wscale * r).rounded()))
        }
        var index = [Key: Int32]()
        for mu in 0..<modes.count { index[key(modes.velocity(mu), modes.omega[mu])] = Int32(mu) }
        var map = [Int32](repeating: 0, count: modes.count)
        for mu in 0..<modes.count {
            let v = modes.velocity(mu)
            let r = v - (2 * v.dot(n)) * n
            guard let m = index[key(r, modes.omega[mu])] else { throw WallError.noMirror(tag: tag, mode: mu) }
            map[mu] = m
        }
        return map
    }

    static func periodicPairs(mesh: SweepMesh, kinds: [WallKind]) throws -> [(face: Int32, corner: (Int8, Int8, Int8))?] {
        let faces = mesh.mesh.boundaryFaces
        var result = [(face: Int32, corner: (Int8, Int8, Int8))?](repeating: nil, count: faces.count)
        var byTag = [Int32: [Int]]()
        for (b, bf) in faces.enumerated() { byTag[bf.tag, default: []].append(b) }
        let (lo, hi) = mesh.mesh.bounds
        let tol = 1e-8 * (hi - lo).norm
        func centroid(_ list: [Int]) -> Vector3 {
            var c = Vector3.zero
            for f in list { for k in 0..<3 { c = c + mesh.mesh.node(Int(mesh.boundaryNode[3 * f + k])) } }
            return (1 / Double(3 * list.count)) * c
        }
        // One pass per periodic wall: its faces, in order, and the partner wall they map onto.
        var walls: [(tag: Int32, partner: Int32, faces: [Int])] = []
        for (b, bf) in faces.enumerated() {
            guard case .periodic(let ptag) = kinds[b] else { continue }
            if let i = walls.firstIndex(where: { $0.tag == bf.tag && $0.partner == ptag }) {
                walls[i].faces.append(b)
            } else {
                walls.append((bf.tag, ptag, [b]))
            }
        }
        for w in walls {
            guard let cand = byTag[w.partner], !cand.isEmpty else {
                throw WallError.periodicMismatch(tag: w.tag, partner: w.partner, detail: "partner tag has no faces")
            }
            // Translation from the centroid of this wall to the centroid of the partner wall.
            let shift = centroid(cand) - centroid(byTag[w.tag]!)
            let found = FacePairing.match(w.faces, in: mesh, shift: shift, to: cand, in: mesh, tolerance: tol)
            for (b, m) in zip(w.faces, found) {
                guard let m else {
                    throw WallError.periodicMismatch(
                        tag: w.tag, partner: w.partner,
                        detail: "face \(b) has no translated partner (the meshes of the two walls must match node for node)")
                }
                result[b] = (Int32(m.face), (Int8(m.corner[0]), Int8(m.corner[1]), Int8(m.corner[2])))
            }
        }
        return result
    }

    /// Inflow data emitted by walls at a temperature (event 0): ψ = ∂n̄/∂T · ΔT on inward modes.
    public func thermalEmission(mesh: SweepMesh, modes: ModeSet, into inflow: inout [Double]) {
        let nb = mesh.boundaryFaceCount
        for b in 0..<nb {
            guard case .black(let t?) = faceKind[b] else { continue }
            let n = mesh.boundaryNormal(b)
            for mu in 0..<modes.count where modes.velocity(mu).dot(n) < 0 {
                for k in 0..<3 { inflow[mu * 3 * nb + 3 * b + k] = modes.dndT[mu] * t }
            }
        }
    }

    /// Next event's inflow data from this event's traces (both modes × 3·faces, mode-major).
    public func reemit(mesh: SweepMesh, modes: ModeSet, trace: UnsafePointer<Double>, into inflow: UnsafeMutablePointer<Double>) {
        let nb = mesh.boundaryFaceCount, nm = modes.count, stride = 3 * nb
        for i in 0..<(nm * stride) { inflow[i] = 0 }
        for b in 0..<nb {
            let kind = faceKind[b]
            if case .black = kind { continue }
            let nvec = mesh.boundaryNormal(b)
            if case .periodic = kind {
                guard let (pf, perm) = partner[b] else { continue }
                let p = [Int(perm.0), Int(perm.1), Int(perm.2)]
                // Inflow at this face comes from what left through the partner face.
                for mu in 0..<nm where modes.velocity(mu).dot(nvec) < 0 {
                    for k in 0..<3 { inflow[mu * stride + 3 * b + k] = trace[mu * stride + 3 * Int(pf) + p[k]] }
                }
                continue
            }
            var diffuseEnergy = (0.0, 0.0, 0.0)
            let spec = specularity[b]
            for mu in 0..<nm {
                let vn = modes.velocity(mu).dot(nvec)
                guard vn > 0 else { continue }
                let p: Double
                switch kind {
                case .diffuse: p = 0
                case .specular: p = 1
                case .partiallySpecular: p = spec[0]
                case .rough: p = spec[mu]
                default: p = 0
                }
                let t = (trace[mu * stride + 3 * b], trace[mu * stride + 3 * b + 1], trace[mu * stride + 3 * b + 2])
                if p > 0 {
                    let m = Int(mirror[b][mu])
                    inflow[m * stride + 3 * b] += p * t.0
                    inflow[m * stride + 3 * b + 1] += p * t.1
                    inflow[m * stride + 3 * b + 2] += p * t.2
                }
                if p < 1 {
                    let e = FaceMass.energies(t, weight: (1 - p) * modes.volumeWeight[mu] * modes.energy(mu) * vn)
                    diffuseEnergy.0 += e.0; diffuseEnergy.1 += e.1; diffuseEnergy.2 += e.2
                }
            }
            let total = diffuseEnergy.0 + diffuseEnergy.1 + diffuseEnergy.2
            guard total != 0 else { continue }
            // Reciprocity: what a wall scatters diffusely into mode μ' is weighted by μ''s own (1 − p).
            func diffuseShare(_ mu: Int) -> Double {
                switch kind {
                case .partiallySpecular: return 1 - spec[0]
                case .rough: return 1 - spec[mu]
                default: return 1
                }
            }
            var wIn = 0.0
            for mu in 0..<nm {
                let vn = modes.velocity(mu).dot(nvec)
                if vn < 0 { wIn += diffuseShare(mu) * modes.volumeWeight[mu] * modes.energy(mu) * (-vn) * modes.dndT[mu] }
            }
            // Corner amplitudes with exactly the energy per corner that left.
            let c = FaceMass.values(energies: diffuseEnergy, weight: wIn)
            for mu in 0..<nm where modes.velocity(mu).dot(nvec) < 0 {
                let d = diffuseShare(mu) * modes.dndT[mu]
                inflow[mu * stride + 3 * b] += c.0 * d
                inflow[mu * stride + 3 * b + 1] += c.1 * d
                inflow[mu * stride + 3 * b + 2] += c.2 * d
            }
        }
    }
}
