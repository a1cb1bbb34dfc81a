import Foundation
import Model
import Config
import Store

/// Builds the transport system of a run: one region per material (sub-meshes with their own node copies at
/// interfaces), walls per region, interface couplings between regions.
struct RegionSetup {
    let system: TransportSystem
    let materialFiles: [String]
    /// Material files without a single finite lifetime (`ingest harmonic`): fine for interface kernels, not for a solve.
    let harmonicOnly: [String]

    func refuseHarmonicOnly(_ config: RunConfig) throws {
        if let f = harmonicOnly.first {
            throw ConfigError(
                file: config.file, line: nil,
                "material \(f) has no lifetimes (made by ingest harmonic): it serves solve --dry-run's interface kernels, not a solve; ingest phono3py or d3q data with linewidths"
            )
        }
    }
    /// What the run file stores as /mesh and /modes: for one region the mesh and modes themselves; for several, the
    /// regions' sub-meshes laid end to end (nodes renumbered in region order) and the first region's modes.
    let storedMesh: TetMesh
    let runRegions: [RunRegion]

    init(config: RunConfig, mesh: TetMesh, comm: Communicator = SerialCommunicator(), timeShift: Double = 0) throws {
        let interfaceTags = try config.interfaceTags(in: mesh)
        var kinds = try Self.wallKinds(config: config, mesh: mesh, skipping: interfaceTags)
        for t in interfaceTags { kinds[t] = .black(temperature: nil) } // the coupling re-emits there

        let regionTags = mesh.regionTags
        var materials: [Int32: (Material, String)] = [:]
        if config.materials.isEmpty {
            guard regionTags.count == 1 else {
                throw ConfigError(file: config.file, line: nil, "the mesh has \(regionTags.count) regions: give one [[material]] table per region")
            }
            materials[regionTags[0]] = (try MaterialFile.read(path: config.material).0, config.material)
        } else {
            for m in config.materials {
                let tag: Int32
                if let t = mesh.regionNames.first(where: { $0.value == m.region })?.key {
                    tag = t
                } else if let t = Int32(m.region), regionTags.contains(t) {
                    tag = t
                } else {
                    let known = regionTags.map { t in mesh.regionNames[t].map { "\($0) (\(t))" } ?? "\(t)" }
                    throw ConfigError(
                        file: config.file, line: m.line, "[[material]] region '\(m.region)' is not in the mesh (regions: \(known.joined(separator: ", ")))")
                }
                guard materials[tag] == nil else { throw ConfigError(file: config.file, line: m.line, "region '\(m.region)' has two materials") }
                materials[tag] = (try MaterialFile.read(path: m.file).0, m.file)
            }
            for t in regionTags where materials[t] == nil {
                throw ConfigError(file: config.file, line: nil, "region \(mesh.regionNames[t] ?? "\(t)") has no [[material]]")
            }
        }
        var regions: [Transport] = [], subs: [Submesh] = []
        for t in regionTags {
            let sub = regionTags.count == 1 ? nil : Submesh(of: mesh, region: t)
            let m = sub?.mesh ?? mesh
            let present = Set(m.boundaryFaces.map { $0.tag })
            regions.append(
                try Transport(
                    mesh: SweepMesh(mesh: m), material: materials[t]!.0, walls: kinds.filter { present.contains($0.key) },
                    comm: comm, timeShift: timeShift))
            if let sub { subs.append(sub) }
        }
        let system = TransportSystem(regions: regions)
        for spec in config.interfaces {
            let tag = try config.boundaryTag(spec.boundary, in: mesh, line: spec.line, table: "[[interface]]")
            let sides = regions.indices.filter { r in regions[r].mesh.mesh.boundaryFaces.contains { $0.tag == tag } }
            guard sides.count == 2 else {
                throw ConfigError(file: config.file, line: spec.line, "[[interface]] '\(spec.boundary)' must separate two regions; it touches \(sides.count)")
            }
            let build = try InterfaceFactory.builder(
                for: spec, file: config.file,
                harmonics: (materials[regionTags[sides[0]]]!.0.harmonics, materials[regionTags[sides[1]]]!.0.harmonics))
            system.interfaces.append(try InterfaceCoupling(regions: regions, regionA: sides[0], regionB: sides[1], tag: tag, kernel: build))
        }
        self.system = system
        materialFiles = regionTags.map { materials[$0]!.1 }
        harmonicOnly = regionTags.compactMap { t in
            let m = materials[t]!.0.modes
            return m.count > 0 && m.tau.allSatisfy({ !$0.isFinite }) ? materials[t]!.1 : nil
        }
        func name(_ t: Int32) -> String {
            let n = mesh.regionNames[t] ?? "region\(t)"
            return n.isEmpty || n.contains("/") ? "region\(t)" : n
        }
        if subs.isEmpty {
            storedMesh = mesh
            runRegions = [
                RunRegion(
                    name: name(regionTags[0]), modes: regions[0].modes,
                    nodeIndex: (0..<mesh.nodeCount).map(Int32.init), faceIndex: (0..<mesh.boundaryFaces.count).map(Int32.init))
            ]
        } else {
            var rr: [RunRegion] = [], n0 = 0, f0 = 0
            for (i, s) in subs.enumerated() {
                rr.append(
                    RunRegion(
                        name: name(s.region), modes: regions[i].modes,
                        nodeIndex: (0..<s.mesh.nodeCount).map { Int32(n0 + $0) },
                        faceIndex: (0..<s.mesh.boundaryFaces.count).map { Int32(f0 + $0) }))
                n0 += s.mesh.nodeCount; f0 += s.mesh.boundaryFaces.count
            }
            runRegions = rr
            var nodes: [Double] = [], tets: [Int32] = [], region: [Int32] = [], faces: [TetMesh.BoundaryFace] = []
            for s in subs {
                let n0 = Int32(nodes.count / 3), t0 = Int32(tets.count / 4)
                nodes += s.mesh.nodes
                tets += s.mesh.tets.map { $0 + n0 }
                region += s.mesh.region
                faces += s.mesh.boundaryFaces.map { TetMesh.BoundaryFace(tet: $0.tet + t0, face: $0.face, tag: $0.tag) }
            }
            storedMesh = TetMesh(
                nodes: nodes, tets: tets, region: region, boundaryFaces: faces,
                regionNames: mesh.regionNames, boundaryNames: mesh.boundaryNames)
        }
    }

    static func wallKinds(config: RunConfig, mesh: TetMesh, skipping: Set<Int32>) throws -> [Int32: WallKind] {
        var reduced = mesh
        reduced.boundaryFaces = mesh.boundaryFaces.filter { !skipping.contains($0.tag) }
        return try config.wallKinds(for: reduced)
    }
}
