import ArgumentParser
import Foundation
import Ingest
import Model
import Store

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Turn phonon data and meshes into validated material and mesh files.",
        subcommands: [Gray.self, Box.self, Gmsh.self, Sphere.self, Heterostructure.self])

    struct Gray: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A synthetic isotropic gray medium: one speed, one mean free path, isotropic elastic scattering.")
        @Option(name: .shortAndLong, help: "Output material file.") var output: String
        @Option(help: "Gauss–Legendre polar directions.") var polar = 16
        @Option(help: "Azimuthal directions (even).") var azimuthal = 8
        @Option(help: "Phonon speed, e.g. \"1000 m/s\".") var speed = "1000 m/s"
        @Option(help: "Mean free path, e.g. \"100 nm\".") var meanFreePath: String
        @Option(help: "Volumetric heat capacity, e.g. \"1.6e6 J m-3 K-1\".") var heatCapacity = "1e6 J m-3 K-1"
        @Option(help: "Temperature, e.g. \"300 K\".") var temperature = "300 K"
        func run() throws {
            try failing {
                let v = try parseQuantity(speed, ["m/s": 1, "m s-1": 1, "km/s": 1e3], "speed")
                let l = try Quantity.parse(meanFreePath, .length)
                let c = try parseQuantity(heatCapacity, ["J m-3 K-1": 1, "J/m3/K": 1, "MJ m-3 K-1": 1e6], "heat capacity")
                let t = try Quantity.parse(temperature, .temperature)
                let m = try SyntheticIngest.writeGray(polar: polar, azimuthal: azimuthal, speed: v, meanFreePath: l,
                                                      heatCapacity: c, temperature: t, to: output)
                print("\(output): gray medium, \(m.modes.count) modes, κ = \(m.modes.kappaRTA()[0]) W m-1 K-1")
            }
        }
    }

    struct Box: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A box of Kuhn tetrahedra; sides tagged xmin xmax ymin ymax zmin zmax.")
        @Option(name: .shortAndLong, help: "Output mesh file.") var output: String
        @Option(parsing: .upToNextOption, help: "Cells along x y z.") var cells: [Int]
        @Option(help: "Edge lengths with one unit, e.g. \"100 100 500 nm\".") var lengths: String
        func run() throws {
            try failing {
                guard cells.count == 3 else { throw ValidationError("--cells needs three counts") }
                let parts = lengths.split(separator: " ").map(String.init)
                guard parts.count >= 4, let x = Double(parts[0]), let y = Double(parts[1]), let z = Double(parts[2]) else {
                    throw ValidationError("--lengths needs three numbers and a unit, e.g. \"100 100 500 nm\"")
                }
                let f = try Quantity.parse("1 " + parts[3...].joined(separator: " "), .length)
                let m = try SyntheticIngest.writeBox(cells: (cells[0], cells[1], cells[2]), lengths: Vector3(x * f, y * f, z * f), to: output)
                print("\(output): \(m.nodeCount) nodes, \(m.tetCount) tetrahedra")
            }
        }
    }
}

extension Ingest {
    struct Gmsh: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A gmsh MSH 2.2 or 4.1 ASCII mesh: linear tetrahedra, physical volumes (materials) and surfaces (walls, interfaces).")
        @Argument(help: "The .msh file.") var input: String
        @Option(name: .shortAndLong, help: "Output mesh file.") var output: String
        @Option(help: "Unit of the coordinates in the file: m, mm, um, nm, angstrom.") var unit: String
        @Flag(help: "Accept a mesh made of several disconnected pieces.") var allowDisconnected = false
        func run() throws {
            try failing {
                let r = try GmshReader.read(contentsOf: URL(fileURLWithPath: input), unit: unit, allowDisconnected: allowDisconnected)
                try MeshFile.write(r.mesh, to: output, provenance: try Provenance(inputs: [input]))
                print(r.report.description)
            }
        }
    }

    struct Sphere: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A sphere meshed by gmsh: region \"particle\", boundary \"surface\"; centred at the origin.")
        @Option(name: .shortAndLong, help: "Output mesh file.") var output: String
        @Option(help: "Radius, e.g. \"100 nm\".") var radius: String
        @Option(help: "Largest element size, e.g. \"10 nm\".") var meshSize: String
        func run() throws {
            try failing {
                let r = try Quantity.parse(radius, .length), h = try Quantity.parse(meshSize, .length)
                let res = try MeshGenerators.sphere(radius: r / 1e-9, meshSize: h / 1e-9, unit: "nm")
                try MeshFile.write(res.mesh, to: output, provenance: try Provenance(inputs: [], checksums: []))
                print(res.report.description)
            }
        }
    }

    struct Heterostructure: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Two boxes stacked along z (regions lower, upper) joined at an interface (tag 7) with duplicated nodes.")
        @Option(name: .shortAndLong, help: "Output mesh file.") var output: String
        @Option(parsing: .upToNextOption, help: "Cells along x y z (z split in proportion to the two thicknesses).") var cells: [Int]
        @Option(help: "Edge lengths with one unit, e.g. \"500 500 1000 nm\".") var lengths: String
        @Option(help: "Height of the interface above zmin, e.g. \"500 nm\".") var split: String
        @Option(help: "Names of the lower and upper regions.") var regions = "lower,upper"
        func run() throws {
            try failing {
                guard cells.count == 3 else { throw ValidationError("--cells needs three counts") }
                let parts = lengths.split(separator: " ").map(String.init)
                guard parts.count >= 4, let x = Double(parts[0]), let y = Double(parts[1]), let z = Double(parts[2]) else {
                    throw ValidationError("--lengths needs three numbers and a unit")
                }
                let f = try Quantity.parse("1 " + parts[3...].joined(separator: " "), .length)
                let names = regions.split(separator: ",").map(String.init)
                guard names.count == 2 else { throw ValidationError("--regions needs two names separated by a comma") }
                let m = try MeshGenerators.heterostructure(cells: (cells[0], cells[1], cells[2]), lengths: Vector3(x * f, y * f, z * f),
                                                           splitZ: try Quantity.parse(split, .length), regionNames: (names[0], names[1]))
                try MeshFile.write(m, to: output, provenance: try Provenance(inputs: [], checksums: []))
                print("\(output): \(m.nodeCount) nodes, \(m.tetCount) tetrahedra, 2 regions")
            }
        }
    }
}

func parseQuantity(_ s: String, _ units: [String: Double], _ what: String) throws -> Double {
    let t = s.trimmingCharacters(in: .whitespaces)
    let num = t.prefix { "0123456789+-.eE".contains($0) }
    let unit = t.dropFirst(num.count).trimmingCharacters(in: .whitespaces)
    guard let x = Double(num), let f = units[unit] else {
        throw ValidationError("\(what): expected a number and one of the units \(units.keys.sorted().joined(separator: ", ")), found \"\(s)\"")
    }
    return x * f
}
