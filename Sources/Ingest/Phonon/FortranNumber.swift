/// Reads one numeric token as d3q (Fortran) or the pbte-scatter format writes it.
enum FortranNumber {
    enum Result: Equatable { case value(Double), overflowField, nonFinite, invalid }

    /// `lenient` accepts Fortran's exponent without letter (`0.1234567890-100`), which `Ew.d` writes for |exp| > 99;
    /// the strict grammar is pbte-scatter's §3.4. Both accept `D` as exponent letter.
    static func parse(_ tok: ArraySlice<UInt8>, lenient: Bool) -> Result {
        if !tok.isEmpty && tok.allSatisfy({ $0 == 0x2A }) { return .overflowField }
        var s = [UInt8](), i = tok.startIndex
        s.reserveCapacity(tok.count + 2)
        func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        if i < tok.endIndex && (tok[i] == 0x2B || tok[i] == 0x2D) { s.append(tok[i]); i += 1 }
        var mantissaDigits = 0, sawDot = false
        while i < tok.endIndex && digit(tok[i]) { s.append(tok[i]); i += 1; mantissaDigits += 1 }
        if i < tok.endIndex && tok[i] == 0x2E {
            sawDot = true; s.append(0x2E); i += 1
            while i < tok.endIndex && digit(tok[i]) { s.append(tok[i]); i += 1; mantissaDigits += 1 }
        }
        if mantissaDigits == 0 { return nonFiniteOrInvalid(tok) }
        if i < tok.endIndex {
            let b = tok[i]
            if b == 0x45 || b == 0x65 || b == 0x44 || b == 0x64 {
                s.append(0x45); i += 1
            } else if lenient && sawDot && (b == 0x2B || b == 0x2D) {
                s.append(0x45) // 0.12-100: Fortran dropped the letter
            } else {
                return .invalid
            }
            if i < tok.endIndex && (tok[i] == 0x2B || tok[i] == 0x2D) { s.append(tok[i]); i += 1 }
            var expDigits = 0
            while i < tok.endIndex && digit(tok[i]) { s.append(tok[i]); i += 1; expDigits += 1 }
            if expDigits == 0 || i != tok.endIndex { return .invalid }
        }
        guard let v = Double(String(decoding: s, as: UTF8.self)) else { return .invalid }
        return v.isFinite ? .value(v) : .nonFinite
    }

    private static func nonFiniteOrInvalid(_ tok: ArraySlice<UInt8>) -> Result {
        var t = String(decoding: tok, as: UTF8.self).lowercased()
        if t.hasPrefix("+") || t.hasPrefix("-") { t.removeFirst() }
        return ["nan", "inf", "infinity"].contains(t) ? .nonFinite : .invalid
    }

    /// Strict unsigned/`+` decimal integer (pbte-scatter §3.2); nil otherwise.
    static func integer(_ tok: ArraySlice<UInt8>) -> Int? {
        var body = tok
        if body.first == 0x2B { body = body.dropFirst() }
        guard !body.isEmpty, body.count <= 18, body.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(String(decoding: body, as: UTF8.self))
    }
}
