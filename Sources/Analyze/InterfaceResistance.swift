import Foundation
import Model
import Store

/// Thermal interface resistance of a bilayer between hot and cold walls (docs/physics.md §7.6): straight-line fits of
/// the temperature on each side, away from walls and the interface, extrapolated to the interface plane,
/// R = ΔT/q, for the equivalent-equilibrium temperature and for the emitted temperature (modes moving toward the
/// interface), with the heat flux checked for uniformity through the stack.
struct InterfaceResistance {
    struct Result {
        var tag: Int32
        var position: Double
        var flux: Double
        var fluxSpread: Double
        var equivalent: Double
        var emitted: Double
        var jumpEquivalent: Double
        var jumpEmitted: Double
    }

    /// `psi` holds each region's steady ψ (modes × region nodes).
    static func compute(run: RunFileReader, psi: [[Double]], interfaceTags: [Int32], axis: Int, margin: Double) throws -> [Result] {
        let mesh = run.mesh
        let geo = MeshGeometry(mesh: mesh, topology: MeshTopology(mesh: mesh))
        let tagsOfRegion: [Set<Int32>] = run.regions.map { r in Set(r.faceIndex.map { mesh.boundaryFaces[Int($0)].tag }) }
        var results: [Result] = []
        let (lo, hi) = mesh.bounds
        for tag in interfaceTags {
            let sides = run.regions.indices.filter { tagsOfRegion[$0].contains(tag) }
            guard sides.count == 2 else { continue }
            let faces = mesh.boundaryFaces.enumerated().filter { $0.element.tag == tag }
            var pos = 0.0
            for (_, f) in faces {
                for c in TetMesh.faceCorners[Int(f.face)] { pos += mesh.node(mesh.corner(Int(f.tet), c))[axis] }
            }
            pos /= Double(3 * faces.count)
            var fits: [(eq: (Double, Double), em: (Double, Double))] = []
            var fluxes: [Double] = [], weights: [Double] = []
            for r in sides {
                let g = run.regions[r], m = g.modes
                let below = (0..<g.nodes).map { mesh.node(Int(g.nodeIndex[$0]))[axis] }.reduce(0, +) / Double(g.nodes) < pos
                // Modes moving toward the interface carry the emitted temperature of this side.
                let toward = (0..<m.count).map { mu in below ? m.velocity(mu)[axis] > 0 : m.velocity(mu)[axis] < 0 }
                var cAll = 0.0, cToward = 0.0
                for mu in 0..<m.count {
                    cAll += m.volumeWeight[mu] * m.heatCapacity(mu)
                    if toward[mu] { cToward += m.volumeWeight[mu] * m.heatCapacity(mu) }
                }
                var xs: [Double] = [], eq: [Double] = [], em: [Double] = [], ws: [Double] = []
                let p = psi[r]
                for i in 0..<g.nodes {
                    let gn = Int(g.nodeIndex[i])
                    let x = mesh.node(gn)[axis]
                    var e = 0.0, et = 0.0, q = 0.0
                    for mu in 0..<m.count {
                        let v = m.volumeWeight[mu] * m.energy(mu) * p[mu * g.nodes + i]
                        e += v; q += v * m.velocity(mu)[axis]
                        if toward[mu] { et += v }
                    }
                    fluxes.append(q); weights.append(geo.nodeVolume[gn])
                    let wallSide = below ? lo[axis] : hi[axis]
                    guard abs(x - pos) >= margin, abs(x - wallSide) >= margin else { continue }
                    xs.append(x); eq.append(e / cAll); em.append(et / cToward); ws.append(geo.nodeVolume[gn])
                }
                guard xs.count >= 2, Set(xs.map { ($0 * 1e12).rounded() }).count >= 2 else {
                    throw StoreError(
                        .invalidArgument, file: run.path, object: "/regions/\(g.name)", operation: "interface resistance",
                        message: "fewer than two node layers lie farther than the margin from the walls and the interface; reduce --tir-margin")
                }
                fits.append((line(xs, eq, ws), line(xs, em, ws)))
            }
            let wsum = weights.reduce(0, +)
            let q = zip(fluxes, weights).reduce(0) { $0 + $1.0 * $1.1 } / wsum
            let spread = (fluxes.max()! - fluxes.min()!) / abs(q)
            let jumpEq = (fits[0].eq.0 * pos + fits[0].eq.1) - (fits[1].eq.0 * pos + fits[1].eq.1)
            let jumpEm = (fits[0].em.0 * pos + fits[0].em.1) - (fits[1].em.0 * pos + fits[1].em.1)
            // The side listed first is the one the run ordered first; make the jump hot-minus-cold along the flux.
            let sign: Double = q >= 0 ? 1 : -1
            let firstBelow = run.regions[sides[0]].nodeIndex.map { mesh.node(Int($0))[axis] }.reduce(0, +) / Double(run.regions[sides[0]].nodes) < pos
            let orient = firstBelow ? sign : -sign
            results.append(
                Result(
                    tag: tag, position: pos, flux: q, fluxSpread: spread,
                    equivalent: orient * jumpEq / abs(q), emitted: orient * jumpEm / abs(q),
                    jumpEquivalent: orient * jumpEq, jumpEmitted: orient * jumpEm))
        }
        return results
    }

    /// Weighted least-squares line (slope, intercept).
    static func line(_ x: [Double], _ y: [Double], _ w: [Double]) -> (Double, Double) {
        let sw = w.reduce(0, +)
        let mx = zip(x, w).reduce(0) { $0 + $1.0 * $1.1 } / sw, my = zip(y, w).reduce(0) { $0 + $1.0 * $1.1 } / sw
        var sxy = 0.0, sxx = 0.0
        for i in x.indices { sxy += w[i] * (x[i] - mx) * (y[i] - my); sxx += w[i] * (x[i] - mx) * (x[i] - mx) }
        let slope = sxy / sxx
        return (slope, my - slope * mx)
    }
}
