/// One per-q-point d3q text file (`q.`, `freq.`, `vel.`, `lw*.`): records of a fixed number of values, written by
/// a Fortran format that wraps after `recordWidth` values per line.
struct D3QGridFile {
    var path: String
    var values: [Double] // q-major, valuesPerQ each
    var firstLine: [Int] // line of each q-point's first record
    var configuration: (temperature: Double, sigma: Double, line: Int)?
    var titleUnit: (unit: String, line: Int)?

    static func read(
        _ path: String, valuesPerQ: Int, recordWidth: Int, expectedQ: Int?, what: String,
        countSource: String? = nil
    ) throws -> D3QGridFile {
        try read(
            TextSource.load(path), valuesPerQ: valuesPerQ, recordWidth: recordWidth, expectedQ: expectedQ,
            what: what, countSource: countSource)
    }

    static func read(
        _ src: TextSource, valuesPerQ: Int, recordWidth: Int, expectedQ: Int?, what: String,
        countSource: String? = nil
    ) throws -> D3QGridFile {
        let path = src.path
        var out = D3QGridFile(path: path, values: [], firstLine: [], configuration: nil, titleUnit: nil)
        if let expectedQ { out.values.reserveCapacity(expectedQ * valuesPerQ); out.firstLine.reserveCapacity(expectedQ) }
        var pending = 0 // values still owed to the current q-point
        var lastLine = 0
        try src.forEachLine { n, line in
            lastLine = n
            switch line.lineKind {
            case .blank: return
            case .comment:
                let text = line.text
                if out.configuration == nil, let c = D3QGridFile.configuration(text) {
                    out.configuration = (c.0, c.1, n)
                } else if out.firstLine.isEmpty, out.titleUnit == nil, let unit = D3QGridFile.bracketed(text) {
                    out.titleUnit = (unit, n)
                }
                return
            case .data: break
            }
            if pending == 0 {
                if let expectedQ, out.firstLine.count == expectedQ {
                    throw PhononIngestError(
                        .countMismatch, file: path, line: n,
                        "more than \(expectedQ) q-point records; \(countSource ?? "the q-point file") has \(expectedQ)")
                }
                pending = valuesPerQ
                out.firstLine.append(n)
            }
            let toks = line.tokens
            let want = min(pending, recordWidth)
            guard toks.count == want else {
                throw PhononIngestError(
                    .columnCount, file: path, line: n,
                    "expected \(want) values (\(what), q-point \(out.firstLine.count)), found \(toks.count)")
            }
            out.values += try NumberFields.doubles(toks[...], file: path, line: n, what: what)
            pending -= want
        }
        if pending > 0 {
            throw PhononIngestError(
                .truncated, file: path, line: lastLine + 1,
                "file ends inside the record of q-point \(out.firstLine.count): \(pending) of \(valuesPerQ) values missing")
        }
        if let expectedQ, out.firstLine.count < expectedQ {
            throw PhononIngestError(
                .truncated, file: path, line: lastLine + 1,
                "file ends after \(out.firstLine.count) q-point records; expected \(expectedQ) (one per q-point of \(countSource ?? "the q-point file"))")
        }
        if out.firstLine.isEmpty {
            throw PhononIngestError(.truncated, file: path, line: lastLine + 1, "no data records (\(what))")
        }
        return out
    }

    /// A unit named in the title comment (`# linewidth [cm^-1]`) must be one the reader converts from.
    func requireUnit(_ accepted: [String], what: String) throws {
        guard let (unit, line) = titleUnit, !accepted.contains(unit) else { return }
        throw PhononIngestError(
            .unknownUnit, file: path, line: line,
            "unknown unit '[\(unit)]' for \(what); expected \(accepted.map { "[\($0)]" }.joined(separator: " or "))")
    }

    /// Parses d3q's configuration line `#      1     T= 300.0    sigma=  10.0` (or its compact form): the first
    /// `T=` followed by a number, `sigma=` and a number. Scanned by hand: a regex literal is compiled anew at every
    /// evaluation, which made comment lines the costliest part of a file (docs/fuzzing.md).
    static func configuration(_ text: String) -> (Double, Double)? {
        let b = Array(text.utf8)
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (0x09...0x0D).contains(c) }
        func isNumeric(_ c: UInt8) -> Bool { (0x30...0x39).contains(c) || c == 0x2E || c == 0x2B || c == 0x2D || c == 0x45 || c == 0x65 }
        func skipSpaces(_ i: inout Int) { while i < b.count && isSpace(b[i]) { i += 1 } }
        func field(_ i: inout Int) -> String? {
            let start = i
            while i < b.count && isNumeric(b[i]) { i += 1 }
            return i > start ? String(decoding: b[start..<i], as: UTF8.self) : nil
        }
        func literal(_ l: StaticString, at i: inout Int) -> Bool {
            let n = l.utf8CodeUnitCount
            guard i + n <= b.count else { return false }
            for k in 0..<n where b[i + k] != l.utf8Start[k] { return false }
            i += n
            return true
        }
        var start = 0
        while start < b.count {
            var i = start
            start += 1
            guard literal("T=", at: &i) else { continue }
            skipSpaces(&i)
            guard let t = field(&i) else { continue }
            skipSpaces(&i)
            guard literal("sigma=", at: &i) else { continue }
            skipSpaces(&i)
            guard let sigma = field(&i) else { continue }
            // The first match decides, even when its fields are not numbers ("1e+-3").
            guard let tv = Double(t), let sv = Double(sigma) else { return nil }
            return (tv, sv)
        }
        return nil
    }

    /// What the title comment names between the first `[` and the next `]` (`# linewidth [cm^-1]`).
    static func bracketed(_ text: String) -> String? {
        guard let open = text.firstIndex(of: "["), let close = text[open...].firstIndex(of: "]") else { return nil }
        return String(text[text.index(after: open)..<close])
    }
}
