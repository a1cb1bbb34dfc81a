import ArgumentParser
import Foundation
import Store
import Model

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a readable summary of a material, mesh or run file, or of products (.nc, .xmf).")
    @Argument(help: "File to describe.") var file: String

    func run() throws {
        try failing {
            if ProductsValidator.isProducts(file) {
                let (summary, issues) = ProductsValidator.check(path: file)
                print(summary + (issues.isEmpty ? "" : " (\(issues.count) validation issues)"))
                for i in issues { FileHandle.standardError.write(Data("  \(i)\n".utf8)) }
                return
            }
            let (schema, issues) = SchemaValidator.validate(path: file)
            guard let schema else { throw SchemaCheckError(issues: issues) }
            print("\(file): \(schema.filetype), schema version \(schema.version)\(issues.isEmpty ? "" : " (\(issues.count) validation issues)")")
            switch schema.filetype {
            case Schema.material.filetype:
                let (m, d) = try MaterialFile.read(path: file)
                print(MaterialSummary(material: m, diagnostics: d).text)
            case Schema.mesh.filetype:
                let mesh = try MeshFile.read(path: file)
                print(MeshSummaryText(mesh: mesh).text)
            default:
                let run = try RunFileReader(path: file)
                defer { run.close() }
                print("  events stored: \(run.events), complete: \(run.complete ? "yes" : "no"), mesh: \(run.mesh.nodeCount) nodes, \(run.mesh.tetCount) tets")
                for r in run.regions { print("  region \(r.name): \(r.modes.count) modes, \(r.nodes) nodes, \(r.faces) boundary faces") }
                print("  counting: \(run.counting), precision: \(run.precision)")
                if let s = try run.summary() {
                    print(
                        String(
                            format: "  converged: %@, events %d, sweeps %d, max balance error %.1e", s.converged ? "yes" : "no", s.events,
                            s.sweeps, s.maxBalanceError))
                }
                let change = try run.relativeChanges()
                print("  relative change per event: " + change.map { String(format: "%.2e", $0) }.joined(separator: " "))
            }
        }
    }
}

struct MaterialSummary {
    let material: Material
    let diagnostics: MaterialDiagnostics
    var text: String {
        let m = material.modes
        let f = m.omega.map { $0 / (2 * Double.pi * 1e12) }
        let excluded = m.tau.filter { !$0.isFinite }.count
        var lines = [
            "  material \(material.name): \(m.count) modes (\(excluded) excluded), q-mesh \(material.qMesh.map(String.init).joined(separator: "×")), \(material.branchCount) branches",
            String(format: "  T = %.1f K, frequencies %.3f – %.3f THz, C = %.4g J m-3 K-1", m.temperature, f.min() ?? 0, f.max() ?? 0, m.volumetricHeatCapacity)
        ]
        let k = diagnostics.kappaRTA ?? m.kappaRTA()
        lines.append(String(format: "  κ_RTA diagonal: %.2f %.2f %.2f W m-1 K-1", k[0], k[4], k[8]))
        if let k = diagnostics.kappaLBTE { lines.append(String(format: "  κ_LBTE diagonal: %.2f %.2f %.2f W m-1 K-1", k[0], k[4], k[8])) }
        switch material.collision {
        case .relaxationToTemperature: lines.append("  collisions: relaxation to the local temperature (energy-conserving RTA)")
        case .dense: lines.append("  collisions: dense matrix")
        case .sparse(let s): lines.append("  collisions: sparse matrix, \(s.values.count) nonzeros")
        }
        if let r = diagnostics.energyResidual { lines.append(String(format: "  energy-conservation residual: %.2e", r)) }
        if let r = diagnostics.spectralRadius { lines.append(String(format: "  spectral radius of τM: %.4f", r)) }
        if let h = material.harmonics {
            let fc = h.forceConstants
            var line = String(
                format: "  force constants: %d-atom supercell, polarisation vectors within %.2e THz of the modes, fc3 %@",
                fc.supercellCount, h.largestFrequencyDeviation, fc.fc3 == nil ? "absent" : "present")
            if let g = h.gruneisen, let mean = h.meanGruneisen(m) {
                line += String(format: ", mode Grüneisen γ %.3f – %.3f (C-weighted mean %.4f)", g.min() ?? 0, g.max() ?? 0, mean)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}

struct MeshSummaryText {
    let mesh: TetMesh
    var text: String {
        let topo = MeshTopology(mesh: mesh)
        let geo = MeshGeometry(mesh: mesh, topology: topo)
        let (lo, hi) = mesh.bounds
        var lines = [
            "  \(mesh.nodeCount) nodes, \(mesh.tetCount) tetrahedra",
            String(format: "  extent %.4g × %.4g × %.4g m", hi.x - lo.x, hi.y - lo.y, hi.z - lo.z)
        ]
        for r in mesh.regionTags {
            let vol = (0..<mesh.tetCount).filter { mesh.region[$0] == r }.reduce(0.0) { $0 + geo.volume[$1] }
            lines.append(String(format: "  region %d %@: volume %.4g m3", r, mesh.regionNames[r] ?? "", vol))
        }
        for t in mesh.boundaryTags {
            let faces = mesh.boundaryFaces.filter { $0.tag == t }
            let area = faces.reduce(0.0) { $0 + geo.faceArea[4 * Int($1.tet) + Int($1.face)] }
            lines.append(String(format: "  boundary %d %@: %d faces, area %.4g m2", t, mesh.boundaryNames[t] ?? "", faces.count, area))
        }
        let q = (0..<mesh.tetCount).map { t -> Double in
            var l2 = 0.0
            for a in 0..<4 { for b in (a + 1)..<4 { let d = mesh.node(mesh.corner(t, a)) - mesh.node(mesh.corner(t, b)); l2 += d.dot(d) } }
            let lrms = (l2 / 6).squareRoot()
            return 6 * 2.0.squareRoot() * geo.volume[t] / (lrms * lrms * lrms)
        }
        lines.append(String(format: "  quality (6√2 V/l_rms³): min %.3f, mean %.3f", q.min() ?? 0, q.reduce(0, +) / Double(max(q.count, 1))))
        return lines.joined(separator: "\n")
    }
}
