/// Per-tetrahedron geometry shared by every mode: volumes, basis gradients and outward face area-normals,
/// structure-of-arrays so the sweep streams through it. Lumped node volumes make nodal averaging conservative.
public struct MeshGeometry: Sendable {
    public let volume: [Double] // |V| per tet
    /// ∇φ_c for corner c: entries 12t + 3c + {0,1,2} (1/m).
    public let gradient: [Double]
    /// Outward area-normal A_f n_f of local face f: entries 12t + 3f + {0,1,2} (m²).
    public let faceNormal: [Double]
    public let faceArea: [Double] // 4 per tet
    /// Σ over tets touching the node of V/4 (m³): ∫ψ = Σ_n nodeVolume_n ψ_n for nodal ψ.
    public let nodeVolume: [Double]

    public init(mesh: TetMesh, topology: MeshTopology) {
        let nt = mesh.tetCount
        var vol = [Double](repeating: 0, count: nt)
        var grad = [Double](repeating: 0, count: 12 * nt)
        var fn = [Double](repeating: 0, count: 12 * nt)
        var fa = [Double](repeating: 0, count: 4 * nt)
        var nv = [Double](repeating: 0, count: mesh.nodeCount)
        for t in 0..<nt {
            let p = (0..<4).map { mesh.node(mesh.corner(t, $0)) }
            let v6 = (p[1] - p[0]).dot((p[2] - p[0]).cross(p[3] - p[0]))
            vol[t] = abs(v6) / 6
            for f in 0..<4 {
                let c = TetMesh.faceCorners[f]
                var n = 0.5 * (p[c[1]] - p[c[0]]).cross(p[c[2]] - p[c[0]])
                // Orient outward: away from the opposite corner f.
                if n.dot(p[f] - p[c[0]]) > 0 { n = -n }
                // Interior faces: take the normal from the lower-numbered tet so both sides are exact negatives.
                let nb = Int(topology.neighbor[4 * t + f])
                if nb >= 0 && nb < t {
                    let g = (0..<4).first { Int(topology.neighbor[4 * nb + $0]) == t && Self.sameFace(mesh, t, f, nb, $0) }!
                    n = Vector3(-fn[12 * nb + 3 * g], -fn[12 * nb + 3 * g + 1], -fn[12 * nb + 3 * g + 2])
                }
                fn[12 * t + 3 * f] = n.x; fn[12 * t + 3 * f + 1] = n.y; fn[12 * t + 3 * f + 2] = n.z
                fa[4 * t + f] = n.norm
                // ∇φ_f = −A_f n_f /(3V): the gradient of the hat function points away from the opposite face.
                let s = -1 / (3 * vol[t])
                grad[12 * t + 3 * f] = s * n.x; grad[12 * t + 3 * f + 1] = s * n.y; grad[12 * t + 3 * f + 2] = s * n.z
            }
            for c in 0..<4 { nv[mesh.corner(t, c)] += vol[t] / 4 }
        }
        volume = vol; gradient = grad; faceNormal = fn; faceArea = fa; nodeVolume = nv
    }

    private static func sameFace(_ mesh: TetMesh, _ t: Int, _ f: Int, _ u: Int, _ g: Int) -> Bool {
        let a = Set(TetMesh.faceCorners[f].map { mesh.tets[4 * t + $0] })
        let b = Set(TetMesh.faceCorners[g].map { mesh.tets[4 * u + $0] })
        return a == b
    }

    @inlinable public func normal(_ t: Int, _ f: Int) -> Vector3 {
        Vector3(faceNormal[12 * t + 3 * f], faceNormal[12 * t + 3 * f + 1], faceNormal[12 * t + 3 * f + 2])
    }
}
