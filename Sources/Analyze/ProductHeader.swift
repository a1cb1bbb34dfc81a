import Foundation
import Model
import Store

/// What every product NetCDF starts with, steady or transient: CF provenance attributes and the mesh, node, vector,
/// bin and boundary variables (data-schema/analysis.md).
enum ProductHeader {
    struct Source {
        var runPath: String
        var runChecksum: String
        var inputFiles: [String]
        var inputChecksums: [String]
        var config: String
        var counting: String
    }

    static func writeProvenance(
        _ nc: NetCDFFile, title: String, source s: Source, options: AnalysisOptions, commandLine: String,
        extra: [(String, String)] = []
    ) throws {
        try nc.setAttribute("Conventions", "CF-1.11")
        try nc.setAttribute("title", "\(title) of \((s.runPath as NSString).lastPathComponent)")
        try nc.setAttribute("source", "pbte-pipeline \(Schema.programVersion)")
        try nc.setAttribute(
            "history", "\(ISO8601DateFormatter().string(from: Date())): \(commandLine.isEmpty ? "pbte-pipeline analyze \(s.runPath)" : commandLine)")
        try nc.setAttribute("references", "Varnavides et al., Phys. Rev. B 100, 115402 (2019); data-schema/analysis.md")
        try nc.setAttribute("input_files", s.runPath)
        try nc.setAttribute("input_sha256", s.runChecksum)
        try nc.setAttribute("run_input_files", s.inputFiles.joined(separator: " "))
        try nc.setAttribute("run_input_sha256", s.inputChecksums.joined(separator: " "))
        try nc.setAttribute("run_config", s.config)
        try nc.setAttribute("event_counting", s.counting)
        try nc.setAttribute("analysis_options", options.summary)
        for (k, v) in extra { try nc.setAttribute(k, v) }
    }

    /// Nodes with their coordinates, the UGRID mesh, the labels of the vector dimension, the bin coordinate and the
    /// boundary tags with their names.
    static func writeMesh(_ cf: CFWriter, _ nc: NetCDFFile, mesh: TetMesh, tetVolume: [Double], bins: SpatialBins, tags: [Int32]) throws {
        let nn = mesh.nodeCount
        try cf.variable("node", Int32.self, ["node"], units: "1", long: "mesh node index", values: (0..<nn).map(Int32.init))
        for (a, name) in ["x", "y", "z"].enumerated() {
            let v = try cf.variable(
                "node_\(name)", Double.self, ["node"], units: "m", long: "node \(name) coordinate",
                values: (0..<nn).map { mesh.nodes[3 * $0 + a] }, fill: false)
            try v.setAttribute("mesh", MeshProducts.topology)
            try v.setAttribute("location", "node")
        }
        try MeshProducts.write(mesh: mesh, tetVolume: tetVolume, cf: cf, nc: nc)
        // Labels of the vector dimension (heat fluxes): 0, 1, 2 are x, y, z (CF flags).
        let components = try cf.variable("vector", Int32.self, ["vector"], units: "1", long: "Cartesian component of vectors", values: [0, 1, 2])
        try components.setAttribute("flag_values", [Int32(0), 1, 2])
        try components.setAttribute("flag_meanings", "x y z")
        let c = bins.coordinateName
        try cf.coordinate(c, units: "m", long: bins.longName, edges: bins.edges, axis: c == "r" ? nil : c.uppercased(), positive: c == "z" ? "up" : nil)
        try cf.variable("boundary", Int32.self, ["boundary"], units: "1", long: "boundary tag", values: tags)
        try nc.variable("boundary").setAttribute("boundary_names", tags.map { mesh.boundaryNames[$0] ?? "\($0)" }.joined(separator: " "))
    }
}
