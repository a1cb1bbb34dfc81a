import Foundation

/// Reads the crystal header of d3q's `mat2R`/`mat3R` files (data-schema/d3q-text.md §3).
public enum CrystalHeaderReader {
    public static func read(_ path: String) throws -> CrystalStructure {
        try read(TextSource.load(path))
    }

    static func read(_ src: TextSource) throws -> CrystalStructure {
        let path = src.path
        var records: [(Int, [ArraySlice<UInt8>])] = []
        src.forEachLine { n, line in if line.lineKind == .data { records.append((n, line.tokens)) } }
        var next = 0
        func record(_ what: String, minFields: Int) throws -> (Int, [ArraySlice<UInt8>]) {
            guard next < records.count else {
                let last = records.last?.0 ?? 0
                throw PhononIngestError(
                    .truncated, file: path, line: last + 1,
                    "crystal header ends early: expected \(what)")
            }
            let r = records[next]; next += 1
            guard r.1.count >= minFields else {
                throw PhononIngestError(
                    .columnCount, file: path, line: r.0,
                    "expected \(what) (\(minFields) fields), found \(r.1.count) fields")
            }
            return r
        }

        let (l1, t1) = try record("'ntyp nat ibrav celldm(1:6)'", minFields: 9)
        let ntyp = try NumberFields.int(t1[0], file: path, line: l1, what: "ntyp")
        let nat = try NumberFields.int(t1[1], file: path, line: l1, what: "nat")
        let ibrav = try NumberFields.int(t1[2], file: path, line: l1, what: "ibrav")
        let celldm = try NumberFields.doubles(t1[3..<9], file: path, line: l1, what: "celldm", firstField: 4)
        guard ntyp > 0, nat > 0, ntyp <= nat else {
            throw PhononIngestError(
                .invalidValue, file: path, line: l1,
                "expected ntyp ≥ 1 and nat ≥ ntyp, found ntyp = \(ntyp), nat = \(nat)")
        }
        guard celldm[0] > 0 else {
            throw PhononIngestError(.missingData, file: path, line: l1, "celldm(1) = alat must be positive, found \(celldm[0])")
        }
        guard ibrav == 0 || ibrav == 2 else {
            throw PhononIngestError(
                .unsupported, file: path, line: l1,
                "ibrav = \(ibrav) is not supported (only 0, explicit vectors, and 2, fcc)")
        }
        let needed = 1 + (ibrav == 0 ? 3 : 0) + ntyp + nat
        guard needed <= records.count else {
            throw PhononIngestError(
                .truncated, file: path, line: l1,
                "header declares \(ntyp) species and \(nat) atoms (\(needed) records with the lattice) but the file has only \(records.count) records")
        }
        let lattice: [[Double]]
        switch ibrav {
        case 0:
            var rows: [[Double]] = []
            for i in 1...3 {
                let (l, t) = try record("lattice vector a\(i) (3 numbers, alat units)", minFields: 3)
                rows.append(try NumberFields.doubles(t[0..<3], file: path, line: l, what: "lattice vector a\(i)"))
            }
            lattice = rows
        case 2:
            lattice = [[-0.5, 0, 0.5], [0, 0.5, 0.5], [-0.5, 0.5, 0]]
        default:
            throw PhononIngestError(
                .unsupported, file: path, line: l1,
                "ibrav = \(ibrav) is not supported (only 0, explicit vectors, and 2, fcc)")
        }
        guard abs(CrystalStructure.det(lattice)) > 1e-8 else {
            throw PhononIngestError(.invalidValue, file: path, line: l1, "lattice vectors are linearly dependent")
        }

        var names: [String] = [], masses: [Double] = []
        for i in 1...ntyp {
            let (l, t) = try record("species line 'i \"El\" mass'", minFields: 3)
            let idx = try NumberFields.int(t[0], file: path, line: l, what: "species index")
            guard idx == i else {
                throw PhononIngestError(.invalidValue, file: path, line: l, "expected species index \(i), found \(idx)")
            }
            let name = t[1].text.trimmingCharacters(in: ["'", "\""])
            var mass = try NumberFields.double(t[2], file: path, line: l, what: "mass", field: 3)
            guard mass > 0 else {
                throw PhononIngestError(.invalidValue, file: path, line: l, "mass of \(name) must be positive, found \(mass)")
            }
            // d3q's read_system takes small masses as amu and the rest as Rydberg mass units.
            if mass >= 500 { mass /= CrystalStructure.rydbergMassPerAmu }
            names.append(name); masses.append(mass)
        }
        var species: [Int] = [], positions: [[Double]] = []
        for i in 1...nat {
            let (l, t) = try record("atom line 'ia ityp tau(1:3)'", minFields: 5)
            let idx = try NumberFields.int(t[0], file: path, line: l, what: "atom index")
            let ityp = try NumberFields.int(t[1], file: path, line: l, what: "atom species")
            guard idx == i, (1...ntyp).contains(ityp) else {
                throw PhononIngestError(
                    .invalidValue, file: path, line: l,
                    "expected atom \(i) with species in 1…\(ntyp), found atom \(idx) species \(ityp)")
            }
            species.append(ityp - 1)
            positions.append(try NumberFields.doubles(t[2..<5], file: path, line: l, what: "atom position", firstField: 3))
        }
        if next < records.count {
            let (l, t) = records[next]
            let flag = t[0].text.uppercased()
            if flag.hasPrefix("T") || flag.hasPrefix(".T") {
                throw PhononIngestError(
                    .unsupported, file: path, line: l,
                    "lrigid = T (polar crystal with Born charges) is not supported")
            }
        }
        return CrystalStructure(
            alat: celldm[0], lattice: lattice, speciesNames: names, speciesMassAmu: masses,
            atomSpecies: species, atomPositions: positions)
    }
}
