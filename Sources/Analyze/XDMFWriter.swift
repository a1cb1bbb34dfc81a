import Foundation
import Model
import Store

/// An XDMF sidecar so ParaView (and meshio) open the mesh, the steady temperature from the run file, and the
/// per-event temperature from the NetCDF products as a series scrubbed by event index.
enum XDMFWriter {
    static func sidecarPath(for productsPath: String) -> String {
        (productsPath.hasSuffix(".nc") ? String(productsPath.dropLast(3)) : productsPath) + ".xmf"
    }

    static func write(runPath: String, productsPath: String, mesh: TetMesh, events: Int) throws {
        let xmf = sidecarPath(for: productsPath)
        let dir = (xmf as NSString).deletingLastPathComponent
        func rel(_ p: String) -> String {
            let d = (p as NSString).deletingLastPathComponent
            return d == dir ? (p as NSString).lastPathComponent : (p as NSString).standardizingPath
        }
        let run = rel(runPath), nc = rel(productsPath)
        let nn = mesh.nodeCount, nt = mesh.tetCount
        let topo = """
                <Topology TopologyType="Tetrahedron" NumberOfElements="\(nt)">
                  <DataItem Dimensions="\(nt) 4" NumberType="Int" Precision="4" Format="HDF">\(run):/mesh/tets</DataItem>
                </Topology>
                <Geometry GeometryType="XYZ">
                  <DataItem Dimensions="\(nn) 3" NumberType="Float" Precision="8" Format="HDF">\(run):/mesh/nodes</DataItem>
                </Geometry>
        """
        var grids = ""
        for m in 0..<events {
            grids += """
                  <Grid Name="event \(m)" GridType="Uniform">
                    <Time Value="\(m)"/>
            \(topo)
                    <Attribute Name="temperature_event" AttributeType="Scalar" Center="Node">
                      <DataItem ItemType="HyperSlab" Dimensions="1 \(nn)" Type="HyperSlab">
                        <DataItem Dimensions="3 2" Format="XML">\(m) 0 1 1 1 \(nn)</DataItem>
                        <DataItem Dimensions="\(events) \(nn)" NumberType="Float" Precision="8" Format="HDF">\(nc):/temperature_event</DataItem>
                      </DataItem>
                    </Attribute>
                  </Grid>

            """
        }
        let text = """
        <?xml version="1.0" ?>
        <!DOCTYPE Xdmf SYSTEM "Xdmf.dtd" []>
        <Xdmf Version="3.0">
          <Domain>
            <Grid Name="steady" GridType="Uniform">
        \(topo)
              <Attribute Name="temperature" AttributeType="Scalar" Center="Node">
                <DataItem Dimensions="\(nn)" NumberType="Float" Precision="8" Format="HDF">\(run):/accumulated/temperature</DataItem>
              </Attribute>
            </Grid>
            <Grid Name="events" GridType="Collection" CollectionType="Temporal">
        \(grids)    </Grid>
          </Domain>
        </Xdmf>

        """
        let out = try AtomicOutput(finalPath: xmf)
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out.temporaryPath))
            try out.commit()
        } catch {
            out.abandon()
            throw StoreError(.io, file: xmf, operation: "write XDMF sidecar", message: "\(error.localizedDescription)")
        }
    }
}
