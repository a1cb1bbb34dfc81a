import Foundation

/// Checks analyze's products: the CF NetCDF (conventions, provenance, the mesh and node volumes, units on every data
/// variable) and the XDMF sidecars (every HDF data item names a file that exists, beside the sidecar, holding that
/// dataset with those dimensions). `validate` and `inspect` use it; data-schema/analysis.md lists what is checked.
public enum ProductsValidator {
    public static func isProducts(_ path: String) -> Bool { path.hasSuffix(".nc") || path.hasSuffix(".xmf") }

    /// A one-paragraph summary and the issues found.
    public static func check(path: String) -> (summary: String, issues: [ValidationIssue]) {
        path.hasSuffix(".xmf") ? checkSidecar(path) : checkNetCDF(path)
    }

    static func checkNetCDF(_ path: String) -> (summary: String, issues: [ValidationIssue]) {
        var issues: [ValidationIssue] = []
        func fail(_ object: String, _ message: String) { issues.append(ValidationIssue(file: path, object: object, message: message)) }
        do {
            let nc = try NetCDFFile.open(path)
            defer { try? nc.close() }
            let conventions = (try? nc.stringAttribute("Conventions")) ?? ""
            if !conventions.hasPrefix("CF-") { fail("/@Conventions", "expected CF-…, found '\(conventions)': not pbte-pipeline products") }
            let source = (try? nc.stringAttribute("source")) ?? ""
            if !source.hasPrefix("pbte-pipeline") { fail("/@source", "expected 'pbte-pipeline …', found '\(source)'") }
            for a in ["input_files", "input_sha256", "run_config"] where (try? nc.stringAttribute(a)) == nil { fail("/@\(a)", "missing provenance attribute") }
            let names = Set(try nc.variableNames())
            for v in ["mesh", "mesh_tet_nodes", "node_x", "node_y", "node_z", "node_volume", "temperature_event"] where !names.contains(v) {
                fail(v, "missing variable")
            }
            let nodes = try nc.dimension("node").length
            if names.contains("mesh_tet_nodes") {
                let tets = try nc.variable("mesh_tet_nodes").read(as: Int32.self)
                if let bad = tets.firstIndex(where: { $0 < 0 || Int($0) >= nodes }) {
                    fail("mesh_tet_nodes", "node index \(tets[bad]) at \(bad) outside 0..<\(nodes)")
                }
            }
            if names.contains("node_volume") {
                let v = try nc.variable("node_volume").read(as: Double.self)
                if let bad = v.firstIndex(where: { !($0 > 0 && $0.isFinite) }) { fail("node_volume", "non-positive volume \(v[bad]) at node \(bad)") }
            }
            for n in names.sorted() where !n.hasSuffix("_bounds") && n != "mesh" && n != "mesh_tet_nodes" && n != "mesh_tet_type" {
                if (try? nc.variable(n).stringAttribute("units")) == nil { fail(n, "missing 'units'") }
            }
            let events = try nc.dimension("event").length
            let tets = names.contains("mesh_tet_nodes") ? try nc.dimension("tet").length : 0
            var summary = "\(path): pbte-pipeline products (\(conventions)), \(events) events, \(nodes) nodes, \(tets) tetrahedra, \(names.count) variables"
            if names.contains("temperature"), names.contains("node_volume") {
                let t = try nc.variable("temperature").read(as: Double.self), v = try nc.variable("node_volume").read(as: Double.self)
                let pairs = zip(t, v).filter { $0.0.isFinite && abs($0.0) < 1e30 }
                let mean = pairs.map { $0 * $1 }.reduce(0, +) / max(pairs.map(\.1).reduce(0, +), .leastNormalMagnitude)
                summary += String(
                    format: "\n  steady ΔT: volume mean %.4g K (node mean %.4g K)", mean, pairs.map(\.0).reduce(0, +) / Double(max(pairs.count, 1)))
            }
            if names.contains("conductance_equivalent") {
                let g = try nc.variable("conductance_equivalent").read(as: Double.self)
                summary += "\n  interface conductance (equivalent temperatures): " + g.map { String(format: "%.4g W m-2 K-1", $0) }.joined(separator: ", ")
            }
            return (summary, issues)
        } catch {
            fail("/", "unreadable as NetCDF products: \(error)")
            return ("\(path): unreadable", issues)
        }
    }

    static func checkSidecar(_ path: String) -> (summary: String, issues: [ValidationIssue]) {
        var issues: [ValidationIssue] = []
        func fail(_ object: String, _ message: String) { issues.append(ValidationIssue(file: path, object: object, message: message)) }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            fail("/", "unreadable")
            return ("\(path): unreadable", issues)
        }
        guard text.contains("<Xdmf") else {
            fail("/", "not an XDMF file")
            return ("\(path): not XDMF", issues)
        }
        let dir = (path as NSString).deletingLastPathComponent
        // <DataItem Dimensions="…" … Format="HDF">file:/dataset</DataItem>
        let pattern = try! NSRegularExpression(pattern: #"<DataItem Dimensions="([0-9 ]+)"[^>]*Format="HDF">([^<:]+):(/[^<]+)</DataItem>"#)
        let matches = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
        var opened: [String: HDF5File] = [:]
        defer { for f in opened.values { try? f.close() } }
        var files = Set<String>()
        for m in matches {
            let dims = String(text[Range(m.range(at: 1), in: text)!]).split(separator: " ").compactMap { Int($0) }
            let file = String(text[Range(m.range(at: 2), in: text)!]), dataset = String(text[Range(m.range(at: 3), in: text)!])
            let full = dir.isEmpty ? file : (dir as NSString).appendingPathComponent(file)
            files.insert(file)
            do {
                let f = try opened[full] ?? HDF5File.open(full)
                opened[full] = f
                let shape = try f.openDataset(dataset).shape()
                if shape != dims { fail(file + ":" + dataset, "sidecar says dimensions \(dims), the file holds \(shape)") }
            } catch {
                fail(file + ":" + dataset, "not readable from the sidecar's folder: \(error)")
            }
        }
        if matches.isEmpty { fail("/", "no HDF data items") }
        let grids = text.components(separatedBy: "<Grid ").count - 1
        return ("\(path): XDMF sidecar, \(grids) grids, \(matches.count) data items in \(files.sorted().joined(separator: ", "))", issues)
    }
}
