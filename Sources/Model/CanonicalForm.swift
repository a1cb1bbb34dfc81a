/// A value's canonical text: one `path = value` line per stored leaf, in declaration order, dictionaries and sets
/// sorted, numbers in Swift's shortest round-trip spelling. Two configurations that parse to the same values
/// have the same text whatever their comments, key order, spacing or units; any parsed value that differs shows.
/// It walks the stored properties by reflection, so a field added to a configuration type is covered without
/// anyone remembering to add it here.
public enum CanonicalForm {
    /// Properties that record where a value was written, not what it is.
    public static let locationLabels: Set<String> = ["line", "lines"]

    /// `omitting`: whole paths left out (such as the text the value was parsed from).
    public static func text(of value: Any, root: String, skipping: Set<String> = locationLabels, omitting: Set<String> = []) -> String {
        var out = [String]()
        emit(value, path: root, skipping: skipping, into: &out)
        out.removeAll { line in omitting.contains { line.hasPrefix($0 + " = ") || line.hasPrefix($0 + ".") } }
        return out.joined(separator: "\n") + "\n"
    }

    private static func emit(_ value: Any, path: String, skipping: Set<String>, into out: inout [String]) {
        switch value {
        case let x as Double: out.append("\(path) = \(x)"); return
        case let x as Float: out.append("\(path) = \(x)"); return
        case let x as String: out.append("\(path) = \(x.debugDescription)"); return
        case let x as Bool: out.append("\(path) = \(x)"); return
        case let x as any BinaryInteger: out.append("\(path) = \(x)"); return
        default: break
        }
        let m = Mirror(reflecting: value)
        switch m.displayStyle {
        case .optional:
            if let some = m.children.first { emit(some.value, path: path, skipping: skipping, into: &out) } else { out.append("\(path) = none") }
        case .enum:
            // A case without a payload has no children; one with a payload has a single child named for the case.
            guard let payload = m.children.first else { out.append("\(path) = \(value)"); return }
            let name = payload.label ?? "\(value)"
            out.append("\(path) = \(name)")
            emit(payload.value, path: "\(path).\(name)", skipping: skipping, into: &out)
        case .collection:
            out.append("\(path).count = \(m.children.count)")
            for (i, c) in m.children.enumerated() { emit(c.value, path: "\(path)[\(i)]", skipping: skipping, into: &out) }
        case .dictionary:
            // Each child is a (key, value) pair; order by the key's own canonical text.
            var entries = [(String, Any)]()
            for c in m.children {
                let pair = Array(Mirror(reflecting: c.value).children)
                guard pair.count == 2 else { continue }
                entries.append((inline(pair[0].value, skipping: skipping), pair[1].value))
            }
            out.append("\(path).count = \(entries.count)")
            for (k, v) in entries.sorted(by: { $0.0 < $1.0 }) { emit(v, path: "\(path)[\(k)]", skipping: skipping, into: &out) }
        case .set:
            let items = m.children.map { inline($0.value, skipping: skipping) }
            out.append("\(path) = {\(items.sorted().joined(separator: ", "))}")
        default:
            // Structs, classes and tuples: their labelled children; a leaf type this does not know prints itself.
            if m.children.isEmpty { out.append("\(path) = \(value)"); return }
            for (i, c) in m.children.enumerated() {
                let label = c.label ?? ".\(i)"
                if skipping.contains(label) { continue }
                emit(c.value, path: path.isEmpty ? label : "\(path).\(label)", skipping: skipping, into: &out)
            }
        }
    }

    /// A value's canonical text on one line (a dictionary key, a set member): its leaves without the path.
    private static func inline(_ value: Any, skipping: Set<String>) -> String {
        var lines = [String]()
        emit(value, path: "", skipping: skipping, into: &lines)
        return lines.map { $0.hasPrefix(" = ") ? String($0.dropFirst(3)) : $0 }.joined(separator: ";")
    }
}
