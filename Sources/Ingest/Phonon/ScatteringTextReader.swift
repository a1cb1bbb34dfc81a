import Foundation

/// Reads the pbte-scatter text format, format_version 1 (data-schema/scattering-text.md), gzip-compressed or
/// not. Every error names the file, the line and the rule that failed.
public enum ScatteringTextReader {
    static let arity: [String: Int] = [
        "nmodes": 1, "nq": 1, "nbranch": 1, "qmesh": 3, "T": 2, "unit": 1, "basis": 1,
        "quantity": 1, "storage": 1, "nnz": 1, "material": 1, "qfile": 1, "zero_modes": -1
    ]

    public static func read(_ path: String, progress: (@Sendable (String) -> Void)? = nil) throws -> PhononCollisionMatrix {
        try parse(TextSource.load(path), progress: progress)
    }

    static func parse(_ src: TextSource, progress: (@Sendable (String) -> Void)? = nil) throws -> PhononCollisionMatrix {
        let path = src.path
        func fail(_ kind: PhononIngestError.Kind, _ line: Int?, _ message: String) -> PhononIngestError {
            PhononIngestError(kind, file: path, line: line, message)
        }
        var keys: [String: (values: [ArraySlice<UInt8>], line: Int)] = [:]
        var inHeader = true, sawMagic = false
        var n = 0, dense = true, factor = 1.0, isM = false, nnz = 0
        var values: [Double] = []
        var dataLines = 0, lastLine = 0
        var seen = Set<Int>()

        func finishHeader(_ line: Int) throws {
            func value(_ k: String) throws -> ([ArraySlice<UInt8>], Int) {
                guard let v = keys[k] else { throw fail(.missingData, line, "required key '\(k)' missing") }
                return v
            }
            func positive(_ k: String) throws -> Int {
                let (v, l) = try value(k)
                guard let x = FortranNumber.integer(v[0]), x > 0 else {
                    throw fail(.invalidValue, l, "key '\(k)': expected a positive integer, found '\(v[0].text)'")
                }
                return x
            }
            n = try positive("nmodes")
            let nq = try positive("nq"), nb = try positive("nbranch")
            // Each count may have 18 digits, so the product is checked for overflow before it is compared.
            let (product, overflow) = nq.multipliedReportingOverflow(by: nb)
            guard !overflow, n == product else {
                throw fail(.countMismatch, keys["nmodes"]!.line, "nmodes != nq*nbranch (\(n) ≠ \(nq)·\(nb))")
            }
            if let (qm, l) = keys["qmesh"] {
                let m = qm.map { FortranNumber.integer($0) ?? 0 }
                guard m.allSatisfy({ $0 > 0 }) else { throw fail(.invalidValue, l, "qmesh needs three positive integers") }
                var product = 1
                for x in m {
                    let (p, overflow) = product.multipliedReportingOverflow(by: x)
                    product = overflow ? -1 : p
                    if overflow { break }
                }
                guard product == nq else { throw fail(.countMismatch, l, "qmesh product != nq (\(m) vs \(nq))") }
            }
            let (t, tl) = try value("T")
            guard case .value(let temperature) = FortranNumber.parse(t[0], lenient: false), temperature > 0 else {
                throw fail(.invalidValue, tl, "T must be a positive number, found '\(t[0].text)'")
            }
            guard t[1].text == "K" else { throw fail(.unknownUnit, tl, "unsupported unit '\(t[1].text)' for T (expected K)") }
            let (u, ul) = try value("unit")
            switch u[0].text {
            case "ps-1": factor = 1e12
            case "s-1": factor = 1
            default: throw fail(.unknownUnit, ul, "unsupported unit '\(u[0].text)' (expected ps-1 or s-1)")
            }
            let (b, bl) = try value("basis")
            guard b[0].text == "psi" else { throw fail(.unsupported, bl, "unsupported basis '\(b[0].text)' (only psi)") }
            let (q, ql) = try value("quantity")
            switch q[0].text {
            case "collision_operator_A": isM = false
            case "scattering_matrix_M": isM = true
            default: throw fail(.unsupported, ql, "unsupported quantity '\(q[0].text)'")
            }
            let (s, sl) = try value("storage")
            switch s[0].text {
            case "dense":
                dense = true
                if let (_, l) = keys["nnz"] { throw fail(.invalidValue, l, "nnz not allowed with storage dense") }
            case "sparse":
                dense = false
                guard let (v, l) = keys["nnz"] else { throw fail(.missingData, sl, "required key 'nnz' missing (storage sparse)") }
                guard let x = FortranNumber.integer(v[0]) else { throw fail(.invalidValue, l, "nnz: expected an integer ≥ 0") }
                guard n <= PhononCollisionMatrix.maximumSize, x <= n * n else {
                    throw fail(.invalidValue, l, "nnz \(x) exceeds nmodes² = \(n)²")
                }
                nnz = x
            default: throw fail(.unsupported, sl, "unsupported storage '\(s[0].text)' (dense or sparse)")
            }
            guard n <= PhononCollisionMatrix.maximumSize else {
                throw fail(.tooLarge, keys["nmodes"]!.line, "nmodes \(n) exceeds the limit \(PhononCollisionMatrix.maximumSize)")
            }
            // Each dense value needs at least two bytes ("0 "), each sparse line six ("1 1 0\n").
            let minimumBytes = dense ? 2 * n * n : 6 * nnz
            guard src.bytes.count >= minimumBytes else {
                throw fail(.truncated, line, "declares \(dense ? "\(n)×\(n) dense values" : "\(nnz) entries") but the file has only \(src.bytes.count) bytes")
            }
            values = [Double](repeating: 0, count: n * n)
            seen.reserveCapacity(dense ? 0 : nnz)
        }

        try src.forEachLine { ln, line in
            lastLine = ln
            let kind = line.lineKind
            if !sawMagic {
                sawMagic = true
                var toks = kind == .comment ? line.tokens : []
                if let f = toks.first, f.first == 0x23 { toks[0] = f.dropFirst(); if toks[0].isEmpty { toks.removeFirst() } }
                let words = toks.map(\.text)
                if words.count == 3, words[0] == "pbte-scatter", words[1] == "format_version" {
                    guard words[2] == "1" else { throw fail(.unsupported, ln, "unsupported format_version \(words[2]) (expected 1)") }
                    return
                }
                throw fail(.syntax, ln, "not a pbte-scatter file (line 1 must be '# pbte-scatter format_version 1')")
            }
            if kind == .blank { return }
            if kind == .comment {
                guard inHeader else { return }
                var toks = line.tokens
                if toks[0].count == 1 { toks.removeFirst() } else { toks[0] = toks[0].dropFirst() }
                guard let first = toks.first, arity[first.text] != nil else { return }
                var i = 0
                while i < toks.count {
                    let k = toks[i].text
                    guard let count = arity[k] else { throw fail(.syntax, ln, "'\(k)' is not a key") }
                    if keys[k] != nil { throw fail(.syntax, ln, "key '\(k)' given twice") }
                    if count < 0 {
                        guard i == 0 else { throw fail(.syntax, ln, "zero_modes must be alone on its line") }
                        keys[k] = (Array(toks[1...]), ln); break
                    }
                    guard i + count < toks.count else {
                        throw fail(.syntax, ln, "key '\(k)' needs \(count) value(s), found \(toks.count - i - 1)")
                    }
                    keys[k] = (Array(toks[(i + 1)...(i + count)]), ln)
                    i += count + 1
                }
                return
            }
            if inHeader { try finishHeader(ln); inHeader = false }
            dataLines += 1
            if let progress {
                let expected = dense ? n : nnz
                // Twenty steps over the data lines.
                if expected >= 20, dataLines % (expected / 20) == 0 { progress("read scattering lines \(dataLines)/\(expected)") }
            }
            let toks = line.tokens
            if dense {
                guard dataLines <= n else { throw fail(.countMismatch, ln, "more than \(n) data lines, expected \(n)") }
                guard toks.count == n else {
                    throw fail(.columnCount, ln, "data line \(dataLines) has \(toks.count) values, expected \(n)")
                }
                let row = (dataLines - 1) * n
                for (j, t) in toks.enumerated() { values[row + j] = try number(t, path: path, line: ln, field: j + 1) }
            } else {
                guard dataLines <= nnz else { throw fail(.countMismatch, ln, "more data lines than nnz \(nnz)") }
                guard toks.count == 3 else { throw fail(.columnCount, ln, "sparse entry needs 3 tokens 'mu nu value', found \(toks.count)") }
                var idx = [0, 0]
                for k in 0..<2 {
                    guard let x = FortranNumber.integer(toks[k]), (1...n).contains(x) else {
                        throw fail(.invalidValue, ln, "index \(toks[k].text) outside 1...\(n)")
                    }
                    idx[k] = x - 1
                }
                guard seen.insert(idx[0] * n + idx[1]).inserted else {
                    throw fail(.duplicateEntry, ln, "entry (\(idx[0] + 1), \(idx[1] + 1)) given twice")
                }
                values[idx[0] * n + idx[1]] = try number(toks[2], path: path, line: ln, field: 3)
            }
        }
        if !sawMagic { throw fail(.syntax, 1, "not a pbte-scatter file (empty)") }
        if inHeader {
            try finishHeader(lastLine + 1)
            if dense || nnz > 0 { throw fail(.truncated, lastLine + 1, "no data") }
        }
        let expected = dense ? n : nnz
        guard dataLines == expected else {
            throw fail(
                .truncated, lastLine + 1,
                dense
                    ? "\(dataLines) data lines, expected \(n)"
                    : "\(dataLines) data lines, nnz \(nnz)")
        }
        for i in 0..<n {
            for j in 0..<n {
                let v = values[i * n + j] * factor
                values[i * n + j] = (isM && i != j) ? -v : v
            }
        }
        var out = PhononCollisionMatrix(size: n, values: values, path: path)
        if case .value(let t) = FortranNumber.parse(keys["T"]!.values[0], lenient: false) { out.temperature = t }
        out.qCount = FortranNumber.integer(keys["nq"]!.values[0])
        out.branchCount = FortranNumber.integer(keys["nbranch"]!.values[0])
        if let (z, l) = keys["zero_modes"] {
            var set = Set<Int>()
            for t in z {
                guard let x = FortranNumber.integer(t), (1...n).contains(x) else {
                    throw fail(.invalidValue, l, "zero_modes entry '\(t.text)' outside 1...\(n)")
                }
                guard set.insert(x).inserted else { throw fail(.duplicateEntry, l, "zero_modes entry \(x) repeated") }
                out.zeroModes.append(x - 1)
            }
        }
        let zl = keys["zero_modes"]?.line
        try checkZeroModes(&out, path: path) { mu, _ in fail(.invalidValue, zl, "zero mode \(mu + 1) has a nonzero entry") }
        if let (qf, l) = keys["qfile"] { try checkQFile(qf[0].text, line: l, matrix: out, path: path) }
        return out
    }

    static func number(_ t: ArraySlice<UInt8>, path: String, line: Int, field: Int) throws -> Double {
        switch FortranNumber.parse(t, lenient: false) {
        case .value(let v): return v
        case .nonFinite:
            throw PhononIngestError(.nonFinite, file: path, line: line, "field \(field): bad number '\(t.text)' (not finite)")
        case .overflowField, .invalid:
            throw PhononIngestError(.syntax, file: path, line: line, "field \(field): bad number '\(t.text)'")
        }
    }

    /// Flagged modes must have zero rows and columns; unflagged modes with A_μμ ≤ 0 are reported.
    static func checkZeroModes(
        _ m: inout PhononCollisionMatrix, path: String,
        error: (Int, Int) -> PhononIngestError
    ) throws {
        let n = m.size
        for mu in m.zeroModes {
            for nu in 0..<n where m.values[mu * n + nu] != 0 || m.values[nu * n + mu] != 0 { throw error(mu, nu) }
        }
        let flagged = Set(m.zeroModes)
        let nonPositive = (0..<n).filter { !flagged.contains($0) && !(m.values[$0 * n + $0] > 0) }
        if !nonPositive.isEmpty {
            m.warnings.append("\(nonPositive.count) modes not in zero_modes have A_μμ ≤ 0 and are treated as flagged")
        }
    }

    /// When the named q file sits beside the matrix, its record count must be nq (and its freq. sibling's width nbranch).
    static func checkQFile(_ name: String, line: Int, matrix: PhononCollisionMatrix, path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let qPath = (dir as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: qPath), let nq = matrix.qCount, let nb = matrix.branchCount else { return }
        let q = try D3QGridFile.read(qPath, valuesPerQ: 4, recordWidth: 4, expectedQ: nil, what: "q-point")
        guard q.firstLine.count == nq else {
            throw PhononIngestError(
                .countMismatch, file: path, line: line,
                "nq \(nq), but qfile \(name) has \(q.firstLine.count) q-points")
        }
        if name.hasPrefix("q.") {
            let fPath = (dir as NSString).appendingPathComponent("freq." + name.dropFirst(2))
            guard FileManager.default.fileExists(atPath: fPath) else { return }
            let src = try TextSource.load(fPath)
            var width: Int? = nil
            src.forEachLine { _, l in if width == nil && l.lineKind == .data { width = l.tokens.count } }
            if let width, width != nb {
                throw PhononIngestError(
                    .countMismatch, file: path, line: line,
                    "nbranch \(nb), but \((fPath as NSString).lastPathComponent) has \(width) values per line")
            }
        }
    }
}
