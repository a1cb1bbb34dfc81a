/// Line-oriented cursor over the bytes of an ASCII MSH file. gmsh writes one entry per line, so reading by
/// lines lets every error name the line it came from; all field access is bounds-checked and throws.
struct MshScanner {
    let bytes: [UInt8]
    let file: String
    private(set) var pos = 0
    /// 1-based number of the line last read (0 before the first).
    private(set) var line = 0
    private(set) var lineRange = 0..<0
    private(set) var fields: [Range<Int>] = []

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        fields.reserveCapacity(16)
    }

    var remainingBytes: Int { bytes.count - pos }

    /// Reads the next line and splits it into whitespace-separated fields; false at end of file.
    mutating func advance() -> Bool {
        guard pos < bytes.count else { return false }
        var end = pos
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        lineRange = pos..<end
        pos = end < bytes.count ? end + 1 : end
        line += 1
        fields.removeAll(keepingCapacity: true)
        var i = lineRange.lowerBound
        while i < end {
            while i < end && Self.isSpace(bytes[i]) { i += 1 }
            guard i < end else { break }
            let start = i
            while i < end && !Self.isSpace(bytes[i]) { i += 1 }
            fields.append(start..<i)
        }
        return true
    }

    /// Reads up to the next line that has any fields; false at end of file.
    mutating func advanceNonBlank() -> Bool {
        while advance() { if !fields.isEmpty { return true } }
        return false
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C }

    var isSectionMarker: Bool { !fields.isEmpty && bytes[fields[0].lowerBound] == UInt8(ascii: "$") }

    func text(_ i: Int) -> String { String(decoding: bytes[fields[i]], as: UTF8.self) }

    /// The current line for messages: printable ASCII only, shortened.
    var lineText: String { Self.printable(bytes[lineRange]) }

    static func printable(_ raw: ArraySlice<UInt8>, limit: Int = 60) -> String {
        var s = ""
        for b in raw.prefix(limit) { s.append(b >= 0x20 && b < 0x7F ? Character(UnicodeScalar(b)) : "?") }
        if raw.count > limit { s += "…" }
        return s.trimmingTrailingSpaces()
    }

    func error(_ kind: MeshIngestError.Kind, _ message: String) -> MeshIngestError {
        MeshIngestError(kind, file: file, line: line, message)
    }

    // MARK: - Fields

    func requireFields(_ n: Int, _ what: String, exact: Bool = true) throws(MeshIngestError) {
        if fields.count < n || (exact && fields.count != n) {
            throw error(.syntax, "expected \(exact ? "" : "at least ")\(n) fields (\(what)), found \(fields.count): '\(lineText)'")
        }
    }

    func int(_ i: Int, _ what: String) throws(MeshIngestError) -> Int {
        guard i < fields.count else { throw error(.syntax, "expected \(what), found end of line: '\(lineText)'") }
        guard let v = Self.parseInt(bytes[fields[i]]) else {
            throw error(.syntax, "expected an integer \(what), found '\(Self.printable(bytes[fields[i]], limit: 30))'")
        }
        return v
    }

    func double(_ i: Int, _ what: String) throws(MeshIngestError) -> Double {
        guard i < fields.count else { throw error(.syntax, "expected \(what), found end of line: '\(lineText)'") }
        let raw = bytes[fields[i]]
        guard raw.count <= 64, let v = Double(String(decoding: raw, as: UTF8.self)), v.isFinite else {
            throw error(.syntax, "expected a number (\(what)), found '\(Self.printable(raw, limit: 30))'")
        }
        return v
    }

    static func parseInt(_ raw: ArraySlice<UInt8>) -> Int? {
        var i = raw.startIndex
        guard i < raw.endIndex else { return nil }
        var negative = false
        if raw[i] == UInt8(ascii: "-") || raw[i] == UInt8(ascii: "+") { negative = raw[i] == UInt8(ascii: "-"); i += 1 }
        guard i < raw.endIndex else { return nil }
        var v = 0
        while i < raw.endIndex {
            let d = Int(raw[i]) - 48
            guard d >= 0 && d <= 9 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(d)
            guard !o1 && !o2 else { return nil }
            v = s
            i += 1
        }
        return negative ? -v : v
    }

    // MARK: - Section structure

    /// Moves to the line holding entry `k` (0-based) of `n` declared in `section`; a `$` line or the end of the
    /// file there means the section holds fewer entries than it declares.
    mutating func entry(_ k: Int, of n: Int, _ noun: String, in section: Section) throws(MeshIngestError) {
        guard advanceNonBlank() else {
            throw error(
                .truncated,
                "unexpected end of file inside \(section.name) (opened at line \(section.line)): "
                    + "declared \(n) \(noun), found \(k)")
        }
        if isSectionMarker {
            throw error(.count, "\(section.name) block declares \(n) \(noun), found \(k) before \(text(0))")
        }
    }

    /// Requires the closing `$End…` line right after the declared entries.
    mutating func end(_ section: Section, after n: Int, _ noun: String) throws(MeshIngestError) {
        let closing = "$End" + section.name.dropFirst()
        guard advanceNonBlank() else {
            throw error(.truncated, "unexpected end of file inside \(section.name) (opened at line \(section.line)): expected \(closing)")
        }
        guard fields.count == 1 && text(0) == closing else {
            let hint = isSectionMarker ? "" : " (more \(noun) than the \(n) declared?)"
            throw error(.count, "expected \(closing) after \(n) \(noun), found '\(lineText)'\(hint)")
        }
    }

    /// Rejects a declared count that is negative or could not fit in the rest of the file at `minBytes` per
    /// entry, before anything is allocated for it.
    func checkCount(_ n: Int, minBytes: Int, _ noun: String, in section: Section) throws(MeshIngestError) {
        if n < 0 { throw error(.syntax, "\(section.name) declares a negative number of \(noun): \(n)") }
        if n > remainingBytes / minBytes {
            throw error(
                .tooLarge,
                "\(section.name) declares \(n) \(noun) but only \(remainingBytes) bytes follow "
                    + "(each needs at least \(minBytes)); the count is corrupt or the file truncated")
        }
    }

    /// Skips an unknown section up to its `$End…` line.
    mutating func skip(_ section: Section) throws(MeshIngestError) {
        let closing = "$End" + section.name.dropFirst()
        while advanceNonBlank() {
            if fields.count == 1 && text(0) == closing { return }
        }
        throw error(.truncated, "unexpected end of file inside \(section.name) (opened at line \(section.line)): expected \(closing)")
    }

    struct Section {
        let name: String // "$Nodes"
        let line: Int
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
