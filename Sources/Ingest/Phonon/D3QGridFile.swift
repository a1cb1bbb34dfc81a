/// One per-q-point d3q text file (`q.`, `freq.`, `vel.`, `lw*.`): records of a fixed number of values, written by
/// a Fortran format that wraps after `recordWidth` values per line.
struct D3QGridFile {
    var path: String
    var values: [Double]              // q-major, valuesPerQ each
    var firstLine: [Int]              // line of each q-point's first record
    var configuration: (temperature: Double, sigma: Double, line: Int)?
    var titleUnit: (unit: String, line: Int)?

    static func read(_ path: String, valuesPerQ: Int, recordWidth: Int, expectedQ: Int?, what: String,
                     countSource: String? = nil) throws -> D3QGridFile {
        let src = try TextSource.load(path)
        var out = D3QGridFile(path: path, values: [], firstLine: [], configuration: nil, titleUnit: nil)
        if let expectedQ { out.values.reserveCapacity(expectedQ * valuesPerQ); out.firstLine.reserveCapacity(expectedQ) }
        var pending = 0                // values still owed to the current q-point
        var lastLine = 0
        try src.forEachLine { n, line in
            lastLine = n
            switch line.lineKind {
            case .blank: return
            case .comment:
                let text = line.text
                if out.configuration == nil, let c = D3QGridFile.configuration(text) {
                    out.configuration = (c.0, c.1, n)
                } else if out.firstLine.isEmpty, out.titleUnit == nil, let m = text.firstMatch(of: #/\[([^\]]*)\]/#) {
                    out.titleUnit = (String(m.1), n)
                }
                return
            case .data: break
            }
            if pending == 0 {
                if let expectedQ, out.firstLine.count == expectedQ {
                    throw PhononIngestError(.countMismatch, file: path, line: n,
                        "more than \(expectedQ) q-point records; \(countSource ?? "the q-point file") has \(expectedQ)")
                }
                pending = valuesPerQ
                out.firstLine.append(n)
            }
            let toks = line.tokens
            let want = min(pending, recordWidth)
            guard toks.count == want else {
                throw PhononIngestError(.columnCount, file: path, line: n,
                    "expected \(want) values (\(what), q-point \(out.firstLine.count)), found \(toks.count)")
            }
            out.values += try NumberFields.doubles(toks[...], file: path, line: n, what: what)
            pending -= want
        }
        if pending > 0 {
            throw PhononIngestError(.truncated, file: path, line: lastLine + 1,
                "file ends inside the record of q-point \(out.firstLine.count): \(pending) of \(valuesPerQ) values missing")
        }
        if let expectedQ, out.firstLine.count < expectedQ {
            throw PhononIngestError(.truncated, file: path, line: lastLine + 1,
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
        throw PhononIngestError(.unknownUnit, file: path, line: line,
            "unknown unit '[\(unit)]' for \(what); expected \(accepted.map { "[\($0)]" }.joined(separator: " or "))")
    }

    /// Parses d3q's configuration line `#      1     T= 300.0    sigma=  10.0` (or its compact form).
    static func configuration(_ text: String) -> (Double, Double)? {
        guard let m = text.firstMatch(of: #/T=\s*([0-9.+\-Ee]+)\s*sigma=\s*([0-9.+\-Ee]+)/#),
              let t = Double(m.1), let s = Double(m.2) else { return nil }
        return (t, s)
    }
}
