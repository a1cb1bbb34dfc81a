import Foundation

/// One figure of the bench: its value with unit, the limit it is held to, and the same figure relative to this
/// run's `Reference` (a ratio that a slower or busier machine leaves alone, and a code regression does not).
struct Figure: Codable {
    enum Better: String, Codable { case lower, higher, neither }
    var section: String
    var name: String
    var value: Double
    var unit: String
    var display: String
    var limit: String
    var ok: Bool?
    var better: Better
    /// The figure over its reference (`normalizedUnit` says which), nil where none applies.
    var normalized: Double?
    var normalizedUnit: String?
    /// Relative spread of the repeats behind the figure.
    var spread: Double?
    var key: String { section + "/" + name }
}

struct BenchReport: Codable {
    var date: String
    var command: String
    var quick: Bool
    var cores: Int
    var cpu: String
    var load: [String]
    /// Measured before and after the figures; their mean normalises.
    var referenceBefore: Reference
    var referenceAfter: Reference
    var figures: [Figure]
}

final class Table {
    private(set) var figures: [Figure] = []
    var reference: Reference

    init(reference: Reference) { self.reference = reference }

    /// A figure; `normalizedBy` divides it by a reference quantity in its own units.
    func add(
        _ section: String, _ name: String, value: Double, unit: String, display: String, limit: String = "",
        ok: Bool? = nil, better: Figure.Better = .neither, normalized: (Double, String)? = nil, spread: Double? = nil
    ) {
        let f = Figure(
            section: section, name: name, value: value, unit: unit, display: display, limit: limit, ok: ok,
            better: better, normalized: normalized?.0, normalizedUnit: normalized?.1, spread: spread)
        figures.append(f)
        let n = normalized.map { String(format: " [%.4g %@]", $0.0, $0.1) } ?? ""
        FileHandle.standardError.write(Data("  [\(section)] \(name): \(display)\(n)  \(limit) \(Self.verdict(ok))\n".utf8))
    }

    /// Seconds in units of triad elements of this run's reference: memory-bound work, machine-neutral.
    func perTriad(_ seconds: Double) -> (Double, String) { (seconds / reference.triadElementSeconds, "triad elements") }

    static func verdict(_ ok: Bool?) -> String { ok.map { $0 ? "ok" : "MISS" } ?? "" }

    func render() -> String {
        let head = ["section", "figure", "value", "vs reference", "limit", ""]
        let rows = figures.map { f in
            [
                f.section, f.name, f.display, f.normalized.map { String(format: "%.4g %@", $0, f.normalizedUnit ?? "") } ?? "",
                f.limit, Self.verdict(f.ok)
            ]
        }
        return markdown(head: head, rows: rows)
    }
}

func markdown(head: [String], rows: [[String]]) -> String {
    let all = [head] + rows
    let widths = head.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
    func line(_ r: [String]) -> String {
        "| " + r.enumerated().map { $1 + String(repeating: " ", count: widths[$0] - $1.count) }.joined(separator: " | ") + " |\n"
    }
    return line(head) + "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|\n"
        + rows.map(line).joined()
}

/// `--compare FILE`: each figure against the same figure of a stored report. A figure has regressed when both its
/// raw and its normalised value moved the wrong way by more than the noise: 3× the larger spread of the two runs'
/// repeats, and at least 5% (10% for figures measured once). Raw changes are shown too; where only they move, the machine or its load changed.
enum Comparison {
    struct Line { var key: String; var verdict: String; var row: [String] }

    static func compare(_ new: BenchReport, with old: BenchReport) -> (table: String, regressions: Int) {
        let previous = Dictionary(old.figures.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [[String]] = [], regressions = 0
        func pct(_ a: Double, _ b: Double) -> Double { b != 0 ? 100 * (a - b) / abs(b) : 0 }
        for f in new.figures {
            guard let p = previous[f.key] else { continue }
            let raw = pct(f.value, p.value)
            var normChange: Double? = nil
            if let a = f.normalized, let b = p.normalized { normChange = pct(a, b) }
            // A figure measured once has no spread of its own; it gets a wider floor than repeated ones.
            let floor = f.spread == nil || p.spread == nil ? 10.0 : 5.0
            let noise = max(floor, 300 * max(f.spread ?? 0, p.spread ?? 0))
            var verdict = "—"
            if f.better != .neither {
                // A change counts only when the raw figure and the figure over the reference both moved beyond
                // the noise the same way: a slower machine moves the raw figure alone, a reference that itself
                // jumped (a VM's memory bandwidth varies by 20% from run to run here) moves the ratio alone.
                func worse(_ c: Double) -> Bool { f.better == .lower ? c > noise : c < -noise }
                func better(_ c: Double) -> Bool { f.better == .lower ? c < -noise : c > noise }
                let w = worse(raw) && (normChange.map(worse) ?? true), b = better(raw) && (normChange.map(better) ?? true)
                verdict = w ? "REGRESSION" : b ? "improved" : "within noise"
                if w { regressions += 1 }
            }
            rows.append([
                f.key, p.display, f.display, String(format: "%+.1f%%", raw),
                normChange.map { String(format: "%+.1f%%", $0) } ?? "", String(format: "±%.0f%%", noise), verdict
            ])
        }
        let ref = [
            ("dgemm GFLOP/s", new.referenceBefore.dgemmGflops, old.referenceBefore.dgemmGflops),
            ("triad GB/s", new.referenceBefore.triadGBps, old.referenceBefore.triadGBps),
            ("write MB/s", new.referenceBefore.writeMBps, old.referenceBefore.writeMBps)
        ]
        var out = "compared with \(old.date) (\(old.cpu), \(old.cores) cores, load \(old.load.joined(separator: "→")))\n"
        out += "reference: " + ref.map { String(format: "%@ %.3g → %.3g (%+.1f%%)", $0.0, $0.2, $0.1, pct($0.1, $0.2)) }.joined(separator: ", ") + "\n"
        out += markdown(head: ["figure", "before", "now", "raw change", "vs reference", "noise", "verdict"], rows: rows)
        out += "\(regressions) regression(s) beyond noise\n"
        return (out, regressions)
    }
}
