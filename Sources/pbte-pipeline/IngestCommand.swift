import ArgumentParser
import Foundation
import Ingest
import Model
import Store

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Turn phonon data and meshes into validated material and mesh files.",
        subcommands: [Phono3py.self, D3Q.self, Harmonic.self, Gray.self, Box.self, Gmsh.self, Sphere.self, Heterostructure.self])

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
                try requireRange("--polar", polar, 1...1_000)
                try requireRange("--azimuthal", azimuthal, 2...2_000)
                let v = try parseQuantity(speed, ["m/s": 1, "m s-1": 1, "km/s": 1e3], "speed")
                let l = try Quantity.parse(meanFreePath, .length)
                let c = try parseQuantity(heatCapacity, ["J m-3 K-1": 1, "J/m3/K": 1, "MJ m-3 K-1": 1e6], "heat capacity")
                let t = try Quantity.parse(temperature, .temperature)
                try requirePositive("--speed", v, text: speed)
                try requirePositive("--mean-free-path", l, text: meanFreePath)
                try requirePositive("--heat-capacity", c, text: heatCapacity)
                try requirePositive("--temperature", t, text: temperature)
                let m = try SyntheticIngest.writeGray(
                    polar: polar, azimuthal: azimuthal, speed: v, meanFreePath: l,
                    heatCapacity: c, temperature: t, to: output)
                print("\(output): gray medium, \(m.modes.count) modes, κ = \(m.modes.kappaRTA()[0]) W m-1 K-1")
            }
        }
    }

    struct Box: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A box of Kuhn tetrahedra; sides tagged xmin xmax ymin ymax zmin zmax (and pore, around a --pore-cells hole).")
        @Option(name: .shortAndLong, help: "Output mesh file.") var output: String
        @Option(parsing: .upToNextOption, help: "Cells along x y z.") var cells: [Int]
        @Option(help: "Edge lengths with one unit, e.g. \"100 100 500 nm\".") var lengths: String
        @Option(
            help:
                "A centred square pore of P × P cells through the whole z extent, its walls tagged pore (a porous film's periodic cell; porosity (P/nx)²).")
        var poreCells = 0
        func run() throws {
            try failing {
                try requireCells(cells)
                let m = try SyntheticIngest.writeBox(
                    cells: (cells[0], cells[1], cells[2]), lengths: try lengthVector(lengths), poreCells: poreCells, to: output)
                let pore = poreCells > 0 ? String(format: ", porosity %.4g", Double(poreCells * poreCells) / Double(cells[0] * cells[1])) : ""
                print("\(output): \(m.nodeCount) nodes, \(m.tetCount) tetrahedra\(pore)")
            }
        }
    }
}

extension Ingest {
    struct PhononOptions: ParsableArguments {
        @Option(help: "Material name (default: from the crystal header).") var name: String?
        @Option(help: "Temperature to take, e.g. \"300 K\" (default: the only one in the files).") var temperature: String?
        @Flag(help: "Store the scattering matrix as read, without projecting out its energy-conservation residual.")
        var keepResidual = false
        @Option(help: "Harmonic force constants fc2.hdf5 (phonopy/phono3py, compact or full): polarisation vectors per mode; needs --structure.")
        var fc2: String?
        @Option(help: "Cubic force constants fc3.hdf5 (phono3py): mode Grüneisen parameters and the strain coupling; needs --fc2.")
        var fc3: String?
        @Option(help: "phono3py_disp.yaml (or phono3py.yaml) holding the primitive cell and supercell of the force constants.")
        var structure: String?
        @OptionGroup var progress: ProgressOptions
        func options() throws -> PhononIngest.Options {
            var o = PhononIngest.Options()
            if let report = progress.reporter() {
                let box = UncheckedSendable(report)
                o.progress = { box.value($0) }
            }
            o.name = name
            o.temperature = try temperature.map { try Quantity.parse($0, .temperature) }
            o.enforceEnergyConservation = !keepResidual
            switch (fc2, fc3, structure) {
            case (nil, nil, nil): break
            case (let f2?, _, let st?): o.forceConstants = ForceConstantFiles(fc2: f2, fc3: fc3, structure: st)
            case (nil, _, _): throw ValidationError("--fc3 and --structure need --fc2 (the harmonic force constants)")
            default: throw ValidationError("--fc2 needs --structure (phono3py_disp.yaml): the force constants' supercell")
            }
            return o
        }
    }

    struct Phono3py: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "phono3py kappa-m*.hdf5 (+ a full collision matrix) → material file.")
        @Argument(help: "kappa-m*.hdf5 written by phono3py (full mesh, or irreducible with stars).") var kappa: String
        @Option(help: "Crystal header (data-schema/d3q-text.md).") var crystal: String
        @Option(
            help:
                "Full collision matrix: phono3py's own (--reducible-colmat --write-collision: a collision-m*-g*.hdf5 file of the set, their directory, or one collision-m*.hdf5), the project's collision-m*.h5, or the scattering text format."
        ) var collision: String?
        @Option(name: .shortAndLong, help: "Output material file.") var output: String
        @OptionGroup var phonon: PhononOptions
        func run() throws {
            try failing {
                let s = try PhononIngest.ingestPhono3py(kappa: kappa, crystal: crystal, collision: collision, output: output, options: try phonon.options())
                print(phononSummary(s))
            }
        }
    }

    struct Harmonic: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "fc2 (+ fc3) on any q-mesh → a harmonic-only material (no lifetimes) for interface kernels.",
            discussion:
                "Frequencies, group velocities and polarisation vectors from fc2 on a Γ-centred mesh; with --fc3 the force constants for the SMM's first-principles coupling. `solve --dry-run` builds interface kernels from it (their q-mesh convergence without a phono3py run per mesh); `solve` refuses it."
        )
        @Option(help: "Harmonic force constants fc2.hdf5 (phonopy/phono3py).") var fc2: String
        @Option(help: "Cubic force constants fc3.hdf5 (phono3py), for coupling = \"force-constants\".") var fc3: String?
        @Option(help: "phono3py_disp.yaml (or phono3py.yaml): the structures of the force constants.") var structure: String
        @Option(parsing: .upToNextOption, help: "q-mesh, e.g. 16 16 16.") var mesh: [Int]
        @Option(help: "Temperature, e.g. \"300 K\".") var temperature = "300 K"
        @Option(help: "Material name.") var name: String?
        @Option(name: .shortAndLong, help: "Output material file.") var output: String
        func run() throws {
            try failing {
                guard mesh.count == 3 else { throw ValidationError("--mesh needs three sizes") }
                let s = try PhononIngest.ingestHarmonic(
                    files: ForceConstantFiles(fc2: fc2, fc3: fc3, structure: structure), mesh: mesh,
                    temperature: try Quantity.parse(temperature, .temperature), name: name, output: output)
                print(
                    "\(s.output): \(s.name), \(s.modeCount) modes (\(s.excludedModes) inert), q-mesh \(s.qMesh.map(String.init).joined(separator: "×")), T = \(s.temperature) K, harmonic only"
                )
            }
        }
    }

    struct D3Q: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "d3q",
            abstract: "d3q (thermal2) text outputs q./freq./vel./lw.<prefix>… (+ a scattering matrix) → material file.",
            aliases: ["d3-q"])
        @Option(help: "Directory holding the d3q files.") var directory: String
        @Option(help: "File prefix, e.g. si.8x8x8.") var prefix: String
        @Option(help: "Crystal header (data-schema/d3q-text.md).") var crystal: String
        @Option(help: "Scattering matrix: text format or collision-m*.h5.") var scattering: String?
        @Option(name: .shortAndLong, help: "Output material file.") var output: String
        @OptionGroup var phonon: PhononOptions
        func run() throws {
            try failing {
                let s = try PhononIngest.ingestD3Q(
                    directory: directory, prefix: prefix, crystal: crystal, scattering: scattering,
                    output: output, options: try phonon.options())
                print(phononSummary(s))
            }
        }
    }

    struct Gmsh: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A gmsh MSH 2.2 or 4.1 ASCII mesh: linear tetrahedra, physical volumes (materials) and surfaces (walls, interfaces).")
        @Argument(help: "The .msh file.") var input: String
        @Option(name: .shortAndLong, help: "Output mesh file.") var output: String
        @Option(help: "Unit of the coordinates in the file: m, mm, um, nm, angstrom.") var unit: String
        @Flag(help: "Accept a mesh made of several disconnected pieces.") var allowDisconnected = false
        func run() throws {
            try failing {
                try InputOutputGuard.refuseOverwrite(output: output, inputs: [input])
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
                try requirePositive("--radius", r, text: radius)
                try requirePositive("--mesh-size", h, text: meshSize)
                guard r / h <= 500 else { throw ValidationError("--radius / --mesh-size must be at most 500 (about 10⁹ tetrahedra), found \(Int(r / h))") }
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
                try requireCells(cells)
                let size = try lengthVector(lengths)
                let names = regions.split(separator: ",").map(String.init)
                guard names.count == 2 else { throw ValidationError("--regions needs two names separated by a comma") }
                let m = try MeshGenerators.heterostructure(
                    cells: (cells[0], cells[1], cells[2]), lengths: size,
                    splitZ: try Quantity.parse(split, .length), regionNames: (names[0], names[1]))
                try MeshFile.write(m, to: output, provenance: try Provenance(inputs: [], checksums: []))
                print("\(output): \(m.nodeCount) nodes, \(m.tetCount) tetrahedra, 2 regions")
            }
        }
    }
}

func phononSummary(_ s: PhononIngestSummary) -> String {
    var lines = [
        "\(s.output): \(s.name), \(s.modeCount) modes (\(s.excludedModes) excluded), q-mesh \(s.qMesh.map(String.init).joined(separator: "×")), T = \(s.temperature) K",
        String(format: "  κ_RTA diagonal %.2f %.2f %.2f W m-1 K-1", s.kappaRTA[0], s.kappaRTA[4], s.kappaRTA[8]),
        "  collisions: \(s.collisionKind), spectral radius of τM \(String(format: "%.4f", s.spectralRadius))"
    ]
    if let k = s.kappaLBTE { lines.append(String(format: "  κ_LBTE diagonal %.2f %.2f %.2f W m-1 K-1", k[0], k[4], k[8])) }
    if let d = s.frequencyDeviation {
        lines.append(
            String(format: "  force constants: frequencies within %.2e THz of the modes", d)
                + (s.meanGruneisen.map { String(format: ", heat-capacity-weighted mode Grüneisen γ = %.4f", $0) } ?? ""))
    }
    lines += s.warnings.map { "  warning: \($0)" }
    return lines.joined(separator: "\n")
}

/// "--lengths" style vectors: three positive numbers and one unit.
func lengthVector(_ s: String) throws -> Vector3 {
    let v: Vector3
    do { v = try Quantity.parseVector(s, .length) } catch let e as Quantity.ParseError { throw ValidationError("--lengths: \(e.message)") }
    guard v.x > 0, v.y > 0, v.z > 0 else { throw ValidationError("--lengths must be positive, found \"\(s)\"") }
    return v
}

/// Box cell counts: three, each ≥ 1, at most 6·10⁷ tetrahedra in all (a mesh this machine can hold).
func requireCells(_ cells: [Int]) throws {
    guard cells.count == 3 else { throw ValidationError("--cells needs three counts") }
    for c in cells { try requireRange("--cells", c, 1...10_000) }
    let tets = cells.map(Double.init).reduce(6, *)
    guard tets <= 6e7 else {
        throw ValidationError("--cells \(cells.map(String.init).joined(separator: " ")) makes \(Int(tets)) tetrahedra; at most 60,000,000")
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

/// The CLI's reporter, handed to a library that wants a Sendable closure; the ingest reads run on one thread.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
