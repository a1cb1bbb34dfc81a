import Foundation
import Model
import XCTest
@testable import Ingest

final class MeshGeneratorTests: XCTestCase {
    func testHeterostructureDuplicatesInterfaceNodesAndTagsBothSides() throws {
        let lengths = Vector3(1e-7, 2e-7, 3e-7)
        let split = 1.1e-7 // not a multiple the z spacing rounds back to exactly
        let mesh = try MeshGenerators.heterostructure(
            cells: (2, 3), layers: (3, 4), lengths: lengths, splitZ: split,
            regionNames: ("Si", "Ge"))
        let lower = 3 * 4 * 4, upper = 3 * 4 * 5 // nodes per box
        XCTAssertEqual(mesh.nodeCount, lower + upper)
        XCTAssertEqual(mesh.tetCount, 6 * 2 * 3 * (3 + 4))
        XCTAssertEqual(mesh.regionNames, [1: "Si", 2: "Ge"])
        XCTAssertEqual(mesh.regionTags, [1, 2])
        XCTAssertEqual(mesh.boundaryTags, [1, 2, 3, 4, 5, 6, 7])
        XCTAssertEqual(mesh.boundaryNames[MeshGenerators.interfaceTag], "interface")
        for t in 0..<mesh.tetCount { XCTAssertGreaterThan(mesh.signedVolume(t), 0) }
        XCTAssertEqual(MeshFixtures.totalVolume(mesh), lengths.x * lengths.y * lengths.z, accuracy: 1e-12 * 6e-21)

        // Interface faces: 2 per cell on each side, all exactly on z = split.
        let interface = mesh.boundaryFaces.filter { $0.tag == 7 }
        XCTAssertEqual(interface.filter { mesh.region[Int($0.tet)] == 1 }.count, 2 * 2 * 3)
        XCTAssertEqual(interface.filter { mesh.region[Int($0.tet)] == 2 }.count, 2 * 2 * 3)
        for bf in interface { for p in MeshFixtures.face(mesh, bf) { XCTAssertEqual(p.z, split) } }
        // zmax only on the upper region, zmin only on the lower.
        XCTAssertTrue(mesh.boundaryFaces.filter { $0.tag == 5 }.allSatisfy { mesh.region[Int($0.tet)] == 1 })
        XCTAssertTrue(mesh.boundaryFaces.filter { $0.tag == 6 }.allSatisfy { mesh.region[Int($0.tet)] == 2 })

        // Interface nodes are duplicated: each copy belongs to one region and has a bit-identical twin.
        var regionOfNode = [Set<Int32>](repeating: [], count: mesh.nodeCount)
        for t in 0..<mesh.tetCount { for c in 0..<4 { regionOfNode[mesh.corner(t, c)].insert(mesh.region[t]) } }
        XCTAssertTrue(regionOfNode.allSatisfy { $0.count == 1 })
        let onPlane = (0..<mesh.nodeCount).filter { mesh.node($0).z == split }
        XCTAssertEqual(onPlane.count, 2 * 3 * 4)
        let lowerCopies = onPlane.filter { regionOfNode[$0] == [1] }, upperCopies = onPlane.filter { regionOfNode[$0] == [2] }
        XCTAssertEqual(Set(lowerCopies.map { mesh.node($0) }), Set(upperCopies.map { mesh.node($0) }))
        XCTAssertEqual(lowerCopies.count, upperCopies.count)

        // Topology: no face joins the regions; every interface face is a boundary face with a positional twin.
        let topology = MeshTopology(mesh: mesh)
        XCTAssertTrue(topology.untaggedBoundaryFaces.isEmpty)
        for t in 0..<mesh.tetCount {
            for f in 0..<4 {
                let n = Int(topology.neighbor[4 * t + f])
                if n >= 0 { XCTAssertEqual(mesh.region[n], mesh.region[t]) }
            }
        }
        for bf in interface { XCTAssertLessThan(topology.neighbor[4 * Int(bf.tet) + Int(bf.face)], 0) }
        func centroid(_ bf: TetMesh.BoundaryFace) -> Vector3 {
            let p = MeshFixtures.face(mesh, bf)
            return (1.0 / 3) * (p[0] + p[1] + p[2])
        }
        let upperCentroids = Set(interface.filter { mesh.region[Int($0.tet)] == 2 }.map(centroid))
        for bf in interface where mesh.region[Int(bf.tet)] == 1 { XCTAssertTrue(upperCentroids.contains(centroid(bf))) }
        XCTAssertEqual(componentCount(mesh, topology), 2)

        let quality = MeshQuality(mesh: mesh)
        XCTAssertEqual(quality.interfaceTags, [7])
        let side = quality.boundaries.first { $0.tag == 7 }!.sides
        XCTAssertEqual(side.map(\.region), [1, 2])
        XCTAssertEqual(side[0].area, lengths.x * lengths.y, accuracy: 1e-12 * lengths.x * lengths.y)
        XCTAssertEqual(side[1].area, lengths.x * lengths.y, accuracy: 1e-12 * lengths.x * lengths.y)
    }

    func testHeterostructureSplitsTotalCellsByThickness() throws {
        let mesh = try MeshGenerators.heterostructure(cells: (1, 1, 10), lengths: Vector3(1, 1, 1), splitZ: 0.3)
        XCTAssertEqual(mesh.region.filter { $0 == 1 }.count, 6 * 3)
        XCTAssertEqual(mesh.region.filter { $0 == 2 }.count, 6 * 7)
        XCTAssertThrowsError(try MeshGenerators.heterostructure(cells: (1, 1, 4), lengths: Vector3(1, 1, 1), splitZ: 1.5)) {
            XCTAssertEqual(($0 as? MeshIngestError)?.kind, .invalidArgument)
        }
    }

    func testSphereFromGmsh() throws {
        guard MeshGenerators.gmshAvailable else { throw XCTSkip("gmsh is not installed (apt-get install gmsh)") }
        let result = try MeshGenerators.sphere(radius: 40, meshSize: 10, unit: "nm")
        let mesh = result.mesh
        let r = 40e-9, exact = 4 * Double.pi * r * r * r / 3
        let volume = MeshFixtures.totalVolume(mesh)
        XCTAssertLessThan(volume, exact)
        XCTAssertGreaterThan(volume, 0.97 * exact, "coarse polygonal deficit should stay under 3%")
        XCTAssertEqual(mesh.regionNames[1], "particle")
        XCTAssertEqual(mesh.boundaryNames[1], "surface")
        XCTAssertEqual(mesh.boundaryTags, [1])
        XCTAssertEqual(result.report.components, 1)
        XCTAssertTrue(MeshTopology(mesh: mesh).untaggedBoundaryFaces.isEmpty)
        let area = result.report.quality.boundaries[0].area
        XCTAssertEqual(area, 4 * Double.pi * r * r, accuracy: 0.05 * 4 * Double.pi * r * r)
    }

    func testSphereGeoMatchesSampleScript() throws {
        let geo = MeshGenerators.sphereGeo(radius: 50, meshSize: 20)
        XCTAssertTrue(geo.contains("Sphere(1) = {0, 0, 0, 50.0};"))
        XCTAssertTrue(geo.contains("Physical Volume(\"particle\", 1) = {1};"))
        XCTAssertTrue(geo.contains("Physical Surface(\"surface\", 1) = {1};"))
    }

    func testGmshFailureIsReported() throws {
        guard MeshGenerators.gmshAvailable else { throw XCTSkip("gmsh is not installed (apt-get install gmsh)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mesh-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let geo = dir.appendingPathComponent("broken.geo")
        try "Sphere(1) = {0, 0, 0;\n".write(to: geo, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try GmshRunner(path: nil).mesh3D(geo: geo, output: dir.appendingPathComponent("out.msh"), timeout: 60)) {
            let e = $0 as? MeshIngestError
            XCTAssertEqual(e?.kind, .gmshFailed)
            XCTAssertTrue(e?.description.hasPrefix("broken.geo: gmsh exited with status") ?? false, "\($0)")
        }
    }

    func testMissingGmshGivesInstallHint() {
        XCTAssertThrowsError(try MeshGenerators.sphere(radius: 1, meshSize: 0.5, gmshPath: "/nonexistent/gmsh")) { error in
            let e = error as? MeshIngestError
            XCTAssertEqual(e?.kind, .gmshMissing)
            XCTAssertTrue(e?.description.contains("apt-get install gmsh") ?? false, "\(error)")
        }
        XCTAssertThrowsError(try MeshGenerators.sphere(radius: 1, meshSize: 0.5, unit: "inch")) {
            XCTAssertEqual(($0 as? MeshIngestError)?.kind, .unknownUnit)
        }
    }

    private func componentCount(_ mesh: TetMesh, _ topology: MeshTopology) -> Int {
        var seen = [Bool](repeating: false, count: mesh.tetCount)
        var count = 0
        for start in 0..<mesh.tetCount where !seen[start] {
            count += 1
            var stack = [start]
            seen[start] = true
            while let t = stack.popLast() {
                for f in 0..<4 {
                    let n = Int(topology.neighbor[4 * t + f])
                    if n >= 0 && !seen[n] { seen[n] = true; stack.append(n) }
                }
            }
        }
        return count
    }
}
