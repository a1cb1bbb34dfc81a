/// Turns the tokens of one record into numbers, with an error naming the file, line and field that failed.
enum NumberFields {
    static func doubles(
        _ toks: ArraySlice<ArraySlice<UInt8>>, file: String, line: Int, what: String,
        lenient: Bool = true, firstField: Int = 1
    ) throws -> [Double] {
        var out = [Double]()
        out.reserveCapacity(toks.count)
        for (k, t) in toks.enumerated() {
            let field = firstField + k
            switch FortranNumber.parse(t, lenient: lenient) {
            case .value(let v): out.append(v)
            case .overflowField:
                throw PhononIngestError(
                    .syntax, file: file, line: line,
                    "\(what): field \(field) is '\(t.text)', a Fortran field overflow, where a number was expected")
            case .nonFinite:
                throw PhononIngestError(
                    .nonFinite, file: file, line: line,
                    "\(what): field \(field) is '\(t.text)'; expected a finite number")
            case .invalid:
                throw PhononIngestError(
                    .syntax, file: file, line: line,
                    "\(what): field \(field) '\(t.text)' is not a number")
            }
        }
        return out
    }

    static func double(_ tok: ArraySlice<UInt8>, file: String, line: Int, what: String, field: Int) throws -> Double {
        try doubles([tok][...], file: file, line: line, what: what, firstField: field)[0]
    }

    static func int(_ tok: ArraySlice<UInt8>, file: String, line: Int, what: String) throws -> Int {
        var body = tok
        let negative = body.first == 0x2D
        if body.first == 0x2B || negative { body = body.dropFirst() }
        guard let v = FortranNumber.integer(body) else {
            let found = tok.allSatisfy({ $0 == 0x2A }) ? "'\(tok.text)' (Fortran field overflow)" : "'\(tok.text)'"
            throw PhononIngestError(.syntax, file: file, line: line, "\(what): expected an integer, found \(found)")
        }
        return negative ? -v : v
    }
}
