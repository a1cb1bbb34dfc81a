import Foundation

/// The subset of TOML that run and analysis files use: `[table]`, `[[array.of.tables]]`, `key = value` with
/// basic strings, numbers, booleans and single-line arrays of those; `#` comments. Anything else is an error
/// naming the file and line, so a typo never passes silently.
public enum ConfigValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case array([ConfigValue])
}

public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var message: String
    public init(file: String, line: Int?, _ message: String) { self.file = file; self.line = line; self.message = message }
    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

/// One table of a configuration file, with the line each key came from (for error messages).
public struct ConfigTable: Sendable, Equatable {
    public var name: String
    public var line: Int
    public var values: [String: ConfigValue] = [:]
    public var lines: [String: Int] = [:]
    public init(name: String, line: Int) { self.name = name; self.line = line }
}

public struct ConfigDocument: Sendable {
    public var file: String
    /// Tables in file order; the unnamed root table first. Array-of-tables entries appear once per `[[name]]`.
    public var tables: [ConfigTable]

    public func tables(named name: String) -> [ConfigTable] { tables.filter { $0.name == name } }
    public func table(_ name: String) -> ConfigTable? { tables.first { $0.name == name } }

    public static func parse(_ text: String, file: String) throws -> ConfigDocument {
        var tables = [ConfigTable(name: "", line: 0)]
        var seenTables = Set<String>()
        var lineNo = 0
        // "\r\n" is one Character in Swift, so a CRLF file would read as one line: split on the scalars instead.
        let lines = text.unicodeScalars.split(omittingEmptySubsequences: false) { $0 == "\n" }
        for scalars in lines {
            var view = String.UnicodeScalarView(scalars)
            if view.last == "\r" { view.removeLast() }
            let raw = String(view)
            lineNo += 1
            let line = stripComment(String(raw)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[[") {
                guard line.hasSuffix("]]") else { throw ConfigError(file: file, line: lineNo, "expected ']]' to close the table-array header") }
                let name = String(line.dropFirst(2).dropLast(2)).trimmingCharacters(in: .whitespaces)
                guard isKey(name) else { throw ConfigError(file: file, line: lineNo, "invalid table name '\(name)'") }
                tables.append(ConfigTable(name: name, line: lineNo))
                continue
            }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw ConfigError(file: file, line: lineNo, "expected ']' to close the table header") }
                let name = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                guard isKey(name) else { throw ConfigError(file: file, line: lineNo, "invalid table name '\(name)'") }
                guard seenTables.insert(name).inserted else { throw ConfigError(file: file, line: lineNo, "table [\(name)] defined twice") }
                tables.append(ConfigTable(name: name, line: lineNo))
                continue
            }
            guard let eq = line.firstIndex(of: "=") else {
                throw ConfigError(file: file, line: lineNo, "expected 'key = value', found '\(line)'")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            guard isKey(key) else { throw ConfigError(file: file, line: lineNo, "invalid key '\(key)'") }
            var rest = Substring(line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces))
            let value = try parseValue(&rest, file: file, line: lineNo)
            guard rest.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ConfigError(file: file, line: lineNo, "unexpected text after the value: '\(rest)'")
            }
            guard tables[tables.count - 1].values[key] == nil else {
                throw ConfigError(file: file, line: lineNo, "key '\(key)' given twice in the same table")
            }
            tables[tables.count - 1].values[key] = value
            tables[tables.count - 1].lines[key] = lineNo
        }
        return ConfigDocument(file: file, tables: tables)
    }

    static func isKey(_ s: String) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }
    }

    /// Drops a `#` comment that is not inside a string.
    static func stripComment(_ s: String) -> String {
        var inString = false, escaped = false
        for (i, c) in s.enumerated() {
            if escaped { escaped = false; continue }
            if c == "\\" && inString { escaped = true; continue }
            if c == "\"" { inString.toggle() }
            if c == "#" && !inString { return String(s.prefix(i)) }
        }
        return s
    }

    /// Arrays nest at most this deep: the parser recurses per level, so `a = [[[[…` must not exhaust the stack.
    static let maximumArrayDepth = 16

    static func parseValue(_ s: inout Substring, file: String, line: Int, depth: Int = 0) throws -> ConfigValue {
        s = s.drop { $0 == " " || $0 == "\t" }
        guard let c = s.first else { throw ConfigError(file: file, line: line, "missing value after '='") }
        if c == "\"" {
            s = s.dropFirst()
            var out = ""
            while let ch = s.first {
                s = s.dropFirst()
                if ch == "\"" { return .string(out) }
                if ch == "\\" {
                    guard let e = s.first else { break }
                    s = s.dropFirst()
                    switch e {
                    case "n": out.append("\n");
                    case "t": out.append("\t")
                    case "\"": out.append("\"");
                    case "\\": out.append("\\")
                    default: throw ConfigError(file: file, line: line, "unsupported escape '\\\(e)' in string")
                    }
                } else {
                    out.append(ch)
                }
            }
            throw ConfigError(file: file, line: line, "unterminated string")
        }
        if c == "[" {
            guard depth < maximumArrayDepth else {
                throw ConfigError(file: file, line: line, "arrays nested more than \(maximumArrayDepth) deep")
            }
            s = s.dropFirst()
            var items: [ConfigValue] = []
            while true {
                s = s.drop { $0 == " " || $0 == "\t" }
                if s.first == "]" { s = s.dropFirst(); return .array(items) }
                items.append(try parseValue(&s, file: file, line: line, depth: depth + 1))
                s = s.drop { $0 == " " || $0 == "\t" }
                if s.first == "," { s = s.dropFirst(); continue }
                if s.first == "]" { s = s.dropFirst(); return .array(items) }
                throw ConfigError(file: file, line: line, "expected ',' or ']' in array")
            }
        }
        let token = s.prefix { !($0 == "," || $0 == "]" || $0 == " " || $0 == "\t") }
        s = s.dropFirst(token.count)
        if token == "true" { return .bool(true) }
        if token == "false" { return .bool(false) }
        let cleaned = token.replacingOccurrences(of: "_", with: "")
        if let d = Double(cleaned), d.isFinite { return .number(d) }
        throw ConfigError(file: file, line: line, "expected a string, number, boolean or array, found '\(token)'")
    }
}

/// Typed access with errors that name the file, the line and what was expected.
public struct ConfigReader {
    public let file: String
    public let table: ConfigTable
    private(set) var used = Set<String>()
    public init(file: String, table: ConfigTable) { self.file = file; self.table = table }

    func where_(_ key: String) -> Int? { table.lines[key] ?? table.line }
    var label: String { table.name.isEmpty ? "top level" : "[\(table.name)]" }

    public func has(_ key: String) -> Bool { table.values[key] != nil }

    /// Marks a key read elsewhere (e.g. an array handled by the caller).
    public mutating func markUsed(_ key: String) { used.insert(key) }

    public mutating func string(_ key: String, default d: String? = nil) throws -> String {
        used.insert(key)
        switch table.values[key] {
        case .string(let s)?: return s
        case nil: if let d { return d }; throw ConfigError(file: file, line: table.line, "\(label): missing key '\(key)'")
        case let v?: throw ConfigError(file: file, line: where_(key), "\(label) \(key): expected a string, found \(v)")
        }
    }

    public mutating func number(_ key: String, default d: Double? = nil) throws -> Double {
        used.insert(key)
        switch table.values[key] {
        case .number(let x)?: return x
        case nil: if let d { return d }; throw ConfigError(file: file, line: table.line, "\(label): missing key '\(key)'")
        case let v?: throw ConfigError(file: file, line: where_(key), "\(label) \(key): expected a number, found \(v)")
        }
    }

    public mutating func integer(_ key: String, default d: Int? = nil) throws -> Int {
        let x = try number(key, default: d.map(Double.init))
        guard x == x.rounded(), abs(x) < 1e15 else {
            throw ConfigError(file: file, line: where_(key), "\(label) \(key): expected an integer, found \(x)")
        }
        return Int(x)
    }

    public mutating func bool(_ key: String, default d: Bool? = nil) throws -> Bool {
        used.insert(key)
        switch table.values[key] {
        case .bool(let b)?: return b
        case nil: if let d { return d }; throw ConfigError(file: file, line: table.line, "\(label): missing key '\(key)'")
        case let v?: throw ConfigError(file: file, line: where_(key), "\(label) \(key): expected true or false, found \(v)")
        }
    }

    /// A physical quantity written as a string with its unit, e.g. "20 nm", converted to SI.
    public mutating func quantity(_ key: String, _ kind: Quantity.Kind, default d: Double? = nil) throws -> Double {
        used.insert(key)
        guard let v = table.values[key] else {
            if let d { return d }
            throw ConfigError(file: file, line: table.line, "\(label): missing key '\(key)' (a \(kind.rawValue) with its unit, e.g. \"\(kind.example)\")")
        }
        guard case .string(let s) = v else {
            throw ConfigError(
                file: file, line: where_(key), "\(label) \(key): expected a quantity with its unit as a string, e.g. \"\(kind.example)\", found \(v)")
        }
        do { return try Quantity.parse(s, kind) } catch let e as Quantity.ParseError {
            throw ConfigError(file: file, line: where_(key), "\(label) \(key): \(e.message)")
        }
    }

    /// A vector of quantities, e.g. center = ["0 nm", "0 nm", "10 nm"] or "0 0 10 nm".
    public mutating func vector(_ key: String, _ kind: Quantity.Kind, default d: Vector3? = nil) throws -> Vector3 {
        used.insert(key)
        guard let v = table.values[key] else {
            if let d { return d }
            throw ConfigError(file: file, line: table.line, "\(label): missing key '\(key)'")
        }
        do {
            switch v {
            case .string(let s):
                return try Quantity.parseVector(s, kind)
            case .array(let a) where a.count == 3:
                let xs = try a.map { item -> Double in
                    guard case .string(let s) = item else { throw Quantity.ParseError(message: "array items must be quantities with units") }
                    return try Quantity.parse(s, kind)
                }
                return Vector3(xs[0], xs[1], xs[2])
            default:
                throw Quantity.ParseError(message: "expected three quantities, e.g. \"0 0 10 nm\"")
            }
        } catch let e as Quantity.ParseError {
            throw ConfigError(file: file, line: where_(key), "\(label) \(key): \(e.message)")
        }
    }

    /// Keys present in the table that no one asked for: almost always typos.
    public func rejectUnknownKeys() throws {
        for key in table.values.keys.sorted() where !used.contains(key) {
            throw ConfigError(file: file, line: where_(key), "\(label): unknown key '\(key)'")
        }
    }
}
