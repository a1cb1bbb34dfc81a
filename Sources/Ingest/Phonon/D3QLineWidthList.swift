/// The output of d3q's `d3_lw.x` (`<prefix>_T<T>_s<σ>.out`): per q, index (ignored: it overflows to `****`),
/// path length or weight, q (2π/alat), nat3 frequencies (cm⁻¹), then k groups of nat3 values (cm⁻¹), the first
/// being the total HWHM (data-schema/d3q-text.md §2).
public struct D3QLineWidthList: Sendable {
    public var q: [[Double]]
    public var weight: [Double]
    public var frequencies: [Double] // q-major, nat3 each
    public var groups: [[Double]] // k groups, each q-major nat3
    public var lines: [Int]
    public var temperature: Double?
    public var sigma: Double?

    public static func read(_ path: String, branchCount nat3: Int) throws -> D3QLineWidthList {
        try read(TextSource.load(path), branchCount: nat3)
    }

    static func read(_ src: TextSource, branchCount nat3: Int) throws -> D3QLineWidthList {
        let path = src.path
        var out = D3QLineWidthList(q: [], weight: [], frequencies: [], groups: [], lines: [], temperature: nil, sigma: nil)
        var k: Int? = nil
        try src.forEachLine { n, line in
            switch line.lineKind {
            case .blank: return
            case .comment:
                if out.temperature == nil, let c = D3QGridFile.configuration(line.text) { out.temperature = c.0; out.sigma = c.1 }
                return
            case .data: break
            }
            let toks = line.tokens
            let extra = toks.count - 5 - nat3
            guard extra > 0, extra % nat3 == 0 else {
                throw PhononIngestError(
                    .columnCount, file: path, line: n,
                    "expected 5 + \(nat3) + k·\(nat3) columns (index, weight, q, frequencies, k linewidth groups; nat3 = \(nat3)), found \(toks.count)")
            }
            if let k, k != extra / nat3 {
                throw PhononIngestError(
                    .columnCount, file: path, line: n,
                    "expected \(5 + nat3 * (k + 1)) columns as on the first record, found \(toks.count)")
            }
            if k == nil { k = extra / nat3; out.groups = [[Double]](repeating: [], count: extra / nat3) }
            let v = try NumberFields.doubles(toks[1...], file: path, line: n, what: "d3_lw.x record", firstField: 2)
            out.weight.append(v[0])
            out.q.append(Array(v[1..<4]))
            out.frequencies += v[4..<(4 + nat3)]
            for g in 0..<(extra / nat3) { out.groups[g] += v[(4 + nat3 * (g + 1))..<(4 + nat3 * (g + 2))] }
            out.lines.append(n)
        }
        guard !out.lines.isEmpty else { throw PhononIngestError(.truncated, file: path, line: 1, "no data records") }
        return out
    }
}
