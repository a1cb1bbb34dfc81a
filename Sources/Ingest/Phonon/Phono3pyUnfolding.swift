/// Spreads phono3py's irreducible q-points over the full Γ-centred mesh: each mesh point k = ±C q gets the
/// frequencies and linewidths of q and the rotated velocities ±C v (time reversal included).
enum Phono3pyUnfolding {
    static let maximumGrid = 1 << 24
    static func unfold(_ ir: IrreducibleModes, mesh: [Int], crystal: CrystalStructure, path: String) throws -> IrreducibleModes {
        let ops = CrystalSymmetry.rotations(crystal)
        let nir = ir.qReduced.count, nb = ir.frequency.count / max(nir, 1)
        let nGrid = mesh.reduce(1, *)
        // One entry per mesh point is allocated before any star is checked.
        guard nGrid <= Self.maximumGrid else {
            throw PhononIngestError(.irreducibleMesh, file: path, dataset: "mesh",
                "unfolding to \(mesh.map(String.init).joined(separator: "×")) = \(nGrid) points is beyond the \(Self.maximumGrid) this reader unfolds; run phono3py with --no-kappa-stars")
        }
        var source = [(iq: Int, op: Int, sign: Double)?](repeating: nil, count: nGrid)
        for iq in 0..<nir {
            let qc = crystal.cartesian(reduced: ir.qReduced[iq])
            var star = 0
            for (o, c) in ops.enumerated() {
                for sign in [1.0, -1.0] {
                    let k = crystal.reduced(cartesian: CrystalSymmetry.apply(c, qc).map { sign * $0 })
                    var address = [Int](repeating: 0, count: 3)
                    for d in 0..<3 {
                        let x = k[d] * Double(mesh[d])
                        // |x| < 2^52 also keeps Int(x.rounded()) from trapping on an absurd q-point.
                        guard abs(x) < 4.5e15, abs(x - x.rounded()) < 1e-6 else {
                            throw PhononIngestError(.irreducibleMesh, file: path, dataset: "qpoint",
                                "q-point \(iq) maps off the \(mesh) mesh under the crystal's symmetry; run phono3py with --no-kappa-stars")
                        }
                        address[d] = ((Int(x.rounded()) % mesh[d]) + mesh[d]) % mesh[d]
                    }
                    let gp = address[0] + mesh[0] * (address[1] + mesh[1] * address[2])
                    if source[gp] == nil { source[gp] = (iq, o, sign); star += 1 }
                }
            }
            guard star == ir.weight[iq] else {
                throw PhononIngestError(.irreducibleMesh, file: path, dataset: "weight",
                    "q-point \(iq) has weight \(ir.weight[iq]) but its star under the crystal's \(ops.count) rotations has \(star) new points; the crystal header may not match, run phono3py with --no-kappa-stars")
            }
        }
        var out = IrreducibleModes(qReduced: [], frequency: [], gamma: [], velocity: [], weight: [])
        for gp in 0..<nGrid {
            guard let (iq, o, sign) = source[gp] else {
                throw PhononIngestError(.irreducibleMesh, file: path, dataset: "qpoint",
                    "mesh point \(gp) is not in the star of any listed q-point; run phono3py with --no-kappa-stars")
            }
            let address = [gp % mesh[0], (gp / mesh[0]) % mesh[1], gp / (mesh[0] * mesh[1])]
            out.qReduced.append((0..<3).map { d in
                let a = address[d] >= (mesh[d] + 1) / 2 && mesh[d] > 1 ? address[d] - mesh[d] : address[d]
                return Double(a) / Double(mesh[d])
            })
            out.frequency += ir.frequency[(iq * nb)..<((iq + 1) * nb)]
            out.gamma += ir.gamma[(iq * nb)..<((iq + 1) * nb)]
            for s in 0..<nb {
                let v = Array(ir.velocity[(3 * (iq * nb + s))..<(3 * (iq * nb + s) + 3)])
                out.velocity += CrystalSymmetry.apply(ops[o], v).map { sign * $0 }
            }
            out.weight.append(1)
        }
        return out
    }
}
