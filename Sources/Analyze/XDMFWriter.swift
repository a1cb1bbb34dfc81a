import Foundation
import Model
import Store

/// XDMF sidecars for ParaView and meshio, one per view, each a single top-level grid with plain HDF data items
/// (meshio reads no hyperslabs and only the first top-level grid; ParaView's XDMF 3 reader wants one grid per file):
/// - `<products>.xmf`: the steady fields of the products on the mesh;
/// - `<products>.events.xmf`: a temporal collection scrubbed by event index, whose per-event nodal temperatures
///   live in `<products>.events.h5` (one dataset per event; the NetCDF keeps them as one event × node variable).
/// Paths inside are relative to the sidecar's own folder, so the files can be moved together.
enum XDMFWriter {
    static func sidecarPath(for productsPath: String) -> String { stem(productsPath) + ".xmf" }
    static func eventsSidecarPath(for productsPath: String) -> String { stem(productsPath) + ".events.xmf" }
    static func eventsDataPath(for productsPath: String) -> String { stem(productsPath) + ".events.h5" }
    /// Every file analyze writes besides the NetCDF.
    static func outputs(for productsPath: String) -> [String] {
        [sidecarPath(for: productsPath)]
            + [Series.events, Series.time].flatMap {
                [$0.sidecarPath(for: productsPath), $0.dataPath(for: productsPath)]
            }
    }

    /// A temporal collection: per-event temperatures of a steady run, or the temperature at the stored times of a
    /// transient run (ParaView's time slider shows the event index or the time in seconds).
    struct Series {
        var label: String
        var field: String
        var times: [Double]
        var values: [[Double]]
        static let events = Series(label: "events", field: "temperature_event", times: [], values: [])
        static let time = Series(label: "time", field: "temperature", times: [], values: [])
        func sidecarPath(for products: String) -> String { XDMFWriter.stem(products) + ".\(label).xmf" }
        func dataPath(for products: String) -> String { XDMFWriter.stem(products) + ".\(label).h5" }
    }

    private static func stem(_ p: String) -> String { p.hasSuffix(".nc") ? String(p.dropLast(3)) : p }

    /// `path` as seen from the folder `dir` (both made absolute first).
    static func relative(_ path: String, from dir: String) -> String {
        func parts(_ p: String) -> [String] {
            let abs = p.hasPrefix("/") ? p : FileManager.default.currentDirectoryPath + "/" + p
            return (abs as NSString).standardizingPath.split(separator: "/").map(String.init)
        }
        let a = parts(path), b = parts(dir)
        var i = 0
        while i < a.count - 1 && i < b.count && a[i] == b[i] { i += 1 }
        return (Array(repeating: "..", count: b.count - i) + a[i...]).joined(separator: "/")
    }

    /// One steady field of the products: name, XDMF attribute type, components.
    struct Field { let name: String; let type: String; let width: Int }

    static func write(
        runPath: String, runChecksum: String, productsPath: String, mesh: TetMesh, steady: [Field],
        eventTemperatures: [[Double]]
    ) throws {
        var s = Series.events
        s.values = eventTemperatures
        s.times = eventTemperatures.indices.map(Double.init)
        try write(runPath: runPath, runChecksum: runChecksum, productsPath: productsPath, mesh: mesh, steady: steady, series: s)
    }

    static func write(
        runPath: String, runChecksum: String, productsPath: String, mesh: TetMesh, steady: [Field],
        series: Series
    ) throws {
        let xmf = sidecarPath(for: productsPath)
        let dir = (xmf as NSString).deletingLastPathComponent.isEmpty ? "." : (xmf as NSString).deletingLastPathComponent
        let run = relative(runPath, from: dir), nc = relative(productsPath, from: dir)
        let eventsData = series.dataPath(for: productsPath), events = relative(eventsData, from: dir)
        let eventTemperatures = series.values
        let nn = mesh.nodeCount, nt = mesh.tetCount
        func geometry(_ indent: String) -> String {
            """
            \(indent)<Topology TopologyType="Tetrahedron" NumberOfElements="\(nt)">
            \(indent)  <DataItem Dimensions="\(nt) 4" NumberType="Int" Precision="4" Format="HDF">\(nc):/mesh_tet_nodes</DataItem>
            \(indent)</Topology>
            \(indent)<Geometry GeometryType="XYZ">
            \(indent)  <DataItem Dimensions="\(nn) 3" NumberType="Float" Precision="8" Format="HDF">\(run):/mesh/nodes</DataItem>
            \(indent)</Geometry>
            """
        }
        func attribute(_ name: String, _ type: String, _ dims: String, _ source: String, _ indent: String) -> String {
            """
            \(indent)<Attribute Name="\(name)" AttributeType="\(type)" Center="Node">
            \(indent)  <DataItem Dimensions="\(dims)" NumberType="Float" Precision="8" Format="HDF">\(source)</DataItem>
            \(indent)</Attribute>
            """
        }
        let steadyText = """
            <?xml version="1.0" ?>
            <Xdmf Version="3.0">
              <Domain>
                <Grid Name="steady" GridType="Uniform">
            \(geometry("      "))
            \(steady.map { attribute($0.name, $0.type, $0.width == 1 ? "\(nn)" : "\(nn) \($0.width)", "\(nc):/\($0.name)", "      ") }.joined(separator: "\n"))
                </Grid>
              </Domain>
            </Xdmf>

            """
        var grids: [String] = []
        for m in eventTemperatures.indices {
            let name = String(format: "\(series.field)_%04d", m)
            grids.append(
                """
                      <Grid Name="\(series.label == "events" ? "event" : "time") \(m)" GridType="Uniform">
                        <Time Value="\(series.label == "events" ? String(m) : String(format: "%.9g", series.times[m]))"/>
                \(geometry("        "))
                \(attribute(series.field, "Scalar", "\(nn)", "\(events):/\(name)", "        "))
                      </Grid>
                """)
        }
        let eventsText = """
            <?xml version="1.0" ?>
            <Xdmf Version="3.0">
              <Domain>
                <Grid Name="\(series.label)" GridType="Collection" CollectionType="Temporal">
            \(grids.joined(separator: "\n"))
                </Grid>
              </Domain>
            </Xdmf>

            """
        // All three are written under temporary names and renamed together at the end, so a failure (a full disk)
        // leaves none of them; the caller calls this before it commits the NetCDF.
        let data = try HDF5File.createAtomically(eventsData)
        var texts: [AtomicOutput] = []
        do {
            try data.setAttribute(
                "title",
                "\(series.label == "events" ? "per-event" : "per-time") nodal temperature rise of \((productsPath as NSString).lastPathComponent), for \((series.sidecarPath(for: productsPath) as NSString).lastPathComponent)"
            )
            try data.setAttribute("source", "pbte-pipeline \(Schema.programVersion)")
            try data.setAttribute("input_files", runPath)
            try data.setAttribute("input_sha256", runChecksum)
            for (m, t) in eventTemperatures.enumerated() {
                try data.put(String(format: "/\(series.field)_%04d", m), t, shape: [nn], units: "K")
            }
            for (text, path) in [(steadyText, xmf), (eventsText, series.sidecarPath(for: productsPath))] {
                let out = try AtomicOutput(finalPath: path)
                texts.append(out)
                do { try Data(text.utf8).write(to: URL(fileURLWithPath: out.temporaryPath)) } catch {
                    let full = (error as NSError).code == NSFileWriteOutOfSpaceError
                    throw StoreError(
                        .io, file: path, operation: "write XDMF sidecar",
                        message: full ? "no space left on the device" : error.localizedDescription)
                }
            }
            try data.commit()
            for t in texts { try t.commit() }
        } catch {
            data.abandon()
            for t in texts { t.abandon() }
            throw error
        }
    }

    /// Removes the sidecars of `productsPath` (after the NetCDF they describe failed to appear).
    static func remove(for productsPath: String) {
        for p in outputs(for: productsPath) { unlink(p) }
    }
}
