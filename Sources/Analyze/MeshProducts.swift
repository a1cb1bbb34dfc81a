import Model
import Store

/// The mesh inside the products, in UGRID 1.0's attribute names (`mesh` topology, node coordinates, tetrahedra), and
/// the volume each node stands for, so the products alone draw and integrate every nodal field. UGRID's `cf_role`
/// attributes are left out: the CF 1.11 compliance checker (IOOS 6.1.0) counts any `cf_role` other than the
/// discrete-sampling ones as a high-priority failure; UGRID readers (xugrid) take the topology once
/// `cf_role = "mesh_topology"` is set on `mesh` (data-schema/analysis.md shows how).
enum MeshProducts {
    static let topology = "mesh"
    static let coordinates = "node_x node_y node_z"

    /// The dual-cell volume of each node: a quarter of every tetrahedron around it. With it, Σ V_n f_n is the exact
    /// integral of the piecewise-linear field through the nodal values (the lumped P1 mass), so a weighted mean is
    /// the volume mean and not the node mean (28% off on the demo's graded sphere mesh).
    static func nodeVolumes(mesh: TetMesh, tetVolume: [Double]) -> [Double] {
        var v = [Double](repeating: 0, count: mesh.nodeCount)
        for t in 0..<mesh.tetCount { for c in 0..<4 { v[mesh.corner(t, c)] += 0.25 * tetVolume[t] } }
        return v
    }

    /// Dimensions `tet` and `tet_node` must be defined; writes the topology, connectivity, shape type and node
    /// volumes (the node coordinates are written by the caller as `node_x`, `node_y`, `node_z`).
    static func write(mesh: TetMesh, tetVolume: [Double], cf: CFWriter, nc: NetCDFFile) throws {
        let m = try nc.defineVariable(topology, of: Int32.self, dimensions: [])
        try m.write([Int32(0)])
        try m.setAttribute("long_name", "tetrahedral mesh of the run (UGRID 1.0 volume mesh topology)")
        try m.setAttribute("topology_dimension", Int32(3))
        try m.setAttribute("node_coordinates", coordinates)
        try m.setAttribute("volume_node_connectivity", "mesh_tet_nodes")
        try m.setAttribute("volume_shape_type", "mesh_tet_type")
        let c = try nc.defineVariable("mesh_tet_nodes", of: Int32.self, dimensions: ["tet", "tet_node"])
        try c.write(mesh.tets)
        try c.setAttribute("long_name", "nodes of each tetrahedron (gmsh orientation)")
        try c.setAttribute("start_index", Int32(0))
        let s = try nc.defineVariable("mesh_tet_type", of: Int32.self, dimensions: ["tet"])
        try s.write([Int32](repeating: 0, count: mesh.tetCount))
        try s.setAttribute("long_name", "shape of each volume cell")
        try s.setAttribute("flag_values", [Int32(0)])
        try s.setAttribute("flag_meanings", "tetrahedron")
        try cf.variable(
            "node_volume", Double.self, ["node"], units: "m3",
            long: "volume each node stands for: a quarter of every tetrahedron around it (weights of volume means)",
            values: nodeVolumes(mesh: mesh, tetVolume: tetVolume), fill: false)
    }

    /// Nodal data variables name the mesh, their location on it, their coordinates and their cell measure.
    static func tieToMesh(_ v: NetCDFVariable) throws {
        if v.name == "node" || v.name.hasPrefix("node_") { return }
        try v.setAttribute("mesh", topology)
        try v.setAttribute("location", "node")
        try v.setAttribute("coordinates", coordinates)
        try v.setAttribute("cell_measures", "volume: node_volume")
    }
}
