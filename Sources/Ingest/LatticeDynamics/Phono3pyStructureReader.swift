import Foundation
import Model

/// One `lattice:` + `points:` block of a phonopy/phono3py YAML file (phono3py_disp.yaml, phono3py.yaml,
/// phonopy_disp.yaml): lattice rows in Å, reduced coordinates, masses in amu.
struct YAMLCell {
    var lattice: [Vector3] = []
    var coordinates: [Vector3] = []
    var masses: [Double] = []
    var symbols: [String] = []
    var cartesian: [Vector3] { coordinates.map { $0.x * lattice[0] + $0.y * lattice[1] + $0.z * lattice[2] } }
}

/// Reads the structures of a phono3py YAML file. Only the subset phonopy writes is understood — block keys at column
/// 0, `lattice:`/`points:` lists under them, flow sequences `[ x, y, z ]` — which is all these files contain; anything
/// else in the needed blocks is an error naming the line.
enum Phono3pyStructureReader {
    static func read(_ path: String) throws -> (primitive: YAMLCell, supercell: YAMLCell) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw PhononIngestError(.io, file: path, "cannot read the file as UTF-8 text")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [String: YAMLCell] = [:]
        var block: String?, list: String?
        func error(_ i: Int, _ s: String) -> PhononIngestError { PhononIngestError(.syntax, file: path, line: i + 1, s) }
        func vector(_ s: Substring, _ i: Int) throws -> Vector3 {
            guard let a = s.firstIndex(of: "["), let b = s.firstIndex(of: "]"), a < b else { throw error(i, "expected [ x, y, z ]") }
            let v = s[s.index(after: a)..<b].split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard v.count == 3, let x = v[0], let y = v[1], let z = v[2], x.isFinite, y.isFinite, z.isFinite else {
                throw error(i, "expected three finite numbers in [ x, y, z ], found '\(s[a...b])'")
            }
            return Vector3(x, y, z)
        }
        for (i, raw) in lines.enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if !line.hasPrefix(" ") && !line.hasPrefix("-") {
                let key = line.trimmingCharacters(in: .whitespaces)
                block = ["primitive_cell:", "supercell:", "unit_cell:"].contains(key) ? String(key.dropLast()) : nil
                list = nil
                if let block { blocks[block] = YAMLCell() }
                continue
            }
            guard let b = block else { continue }
            let t = line.trimmingCharacters(in: .whitespaces)
            if t == "lattice:" || t == "points:" { list = t; continue }
            if t.hasSuffix(":") && !t.hasPrefix("-") { list = nil; continue } // reciprocal_lattice and the like
            switch list {
            case "lattice:":
                guard t.hasPrefix("-") else { throw error(i, "expected a lattice row '- [ x, y, z ]'") }
                blocks[b]!.lattice.append(try vector(Substring(t), i))
            case "points:":
                if t.hasPrefix("- symbol:") {
                    blocks[b]!.symbols.append(String(t.dropFirst("- symbol:".count)).trimmingCharacters(in: .whitespaces))
                } else if t.hasPrefix("coordinates:") {
                    blocks[b]!.coordinates.append(try vector(Substring(t), i))
                } else if t.hasPrefix("mass:") {
                    guard let m = Double(t.dropFirst("mass:".count).trimmingCharacters(in: .whitespaces)), m > 0, m.isFinite else {
                        throw error(i, "expected a positive mass in amu, found '\(t)'")
                    }
                    blocks[b]!.masses.append(m)
                }
            default: continue
            }
        }
        func cell(_ name: String) throws -> YAMLCell {
            guard let c = blocks[name] else {
                throw PhononIngestError(.missingData, file: path, "no '\(name):' block; expected a phono3py_disp.yaml or phono3py.yaml")
            }
            guard c.lattice.count == 3 else {
                throw PhononIngestError(.missingData, file: path, "'\(name):' has \(c.lattice.count) lattice rows, expected 3")
            }
            guard c.coordinates.count == c.masses.count, !c.masses.isEmpty else {
                throw PhononIngestError(
                    .missingData, file: path,
                    "'\(name):' lists \(c.coordinates.count) coordinates and \(c.masses.count) masses; each point needs both")
            }
            return c
        }
        return (try cell("primitive_cell"), try cell("supercell"))
    }
}

/// fc2.hdf5 / fc3.hdf5 as phonopy and phono3py write them (compact or full) + the structure YAML → ForceConstants.
public enum ForceConstantsReader {
    public static func read(fc2 fc2Path: String, fc3 fc3Path: String?, structure: String) throws -> ForceConstants {
        let (prim, sc) = try Phono3pyStructureReader.read(structure)
        let ns = sc.masses.count
        let positions = sc.cartesian
        // The primitive atoms' supercell indices: phonopy's p2s_map when the file has it, else found by position.
        func p2s(_ h: HDF5Input, _ path: String) throws -> [Int] {
            if h.exists("p2s_map") { return try h.ints("p2s_map", shape: [prim.masses.count]).0 }
            return try prim.cartesian.enumerated().map { (k, r) in
                guard let s = positions.firstIndex(where: { ($0 - r).norm < 1e-5 }) else {
                    throw PhononIngestError(
                        .missingData, file: path,
                        "no p2s_map and primitive atom \(k) is not at a supercell position")
                }
                return s
            }
        }
        func compact(_ h: HDF5Input, _ name: String, _ path: String, rank: Int) throws -> ([Double], [Int]) {
            guard h.exists(name) else {
                throw PhononIngestError(.missingData, file: path, dataset: name, "dataset is missing; expected phonopy's force constants")
            }
            let shape = try h.shape(name)
            let tail = [Int](repeating: 3, count: rank)
            let lead = [Int](repeating: ns, count: rank - 1)
            let map = try p2s(h, path)
            guard shape.count == 2 * rank, Array(shape.suffix(rank)) == tail, Array(shape[1..<rank]) == lead,
                shape[0] == map.count || shape[0] == ns
            else {
                throw PhononIngestError(
                    .countMismatch, file: path, dataset: name,
                    "shape is \(shape.map(String.init).joined(separator: " × ")), expected (\(map.count) or \(ns)) × \(lead.map(String.init).joined(separator: " × ")) × \(tail.map(String.init).joined(separator: " × ")) for the \(ns)-atom supercell of \(structure)"
                )
            }
            let (v, _) = try h.doubles(name, shape: shape.map { $0 })
            if shape[0] == map.count { return (v, map) }
            let row = v.count / ns
            return (map.flatMap { v[($0 * row)..<(($0 + 1) * row)] }, map)
        }
        let h2 = try HDF5Input(fc2Path)
        let (fc2, map2) = try compact(h2, "force_constants", fc2Path, rank: 2)
        var fc3: [Double]? = nil
        if let fc3Path {
            let h3 = try HDF5Input(fc3Path)
            let (v, map3) = try compact(h3, "fc3", fc3Path, rank: 3)
            guard map3 == map2 else {
                throw PhononIngestError(.countMismatch, file: fc3Path, dataset: "p2s_map", "is \(map3), fc2's is \(map2): different supercells")
            }
            fc3 = v
        }
        do {
            return try ForceConstants(
                primitiveLattice: prim.lattice, supercellLattice: sc.lattice, positions: positions,
                masses: sc.masses, p2s: map2, fc2: fc2, fc3: fc3)
        } catch let e as ForceConstantsError {
            throw PhononIngestError(.invalidValue, file: structure, e.message)
        }
    }
}
