/// Entry points that parse d3q and pbte-scatter text already in memory. They exist so that fuzz/ can drive the
/// parsers without touching the file system (docs/fuzzing.md); `fileName` stands in for the path in errors.
/// Unlike the path readers they do not gunzip.
extension CrystalHeaderReader {
    public static func parse(contents: [UInt8], fileName: String) throws -> CrystalStructure {
        try read(TextSource(path: fileName, bytes: contents))
    }
}

extension D3QLineWidthList {
    public static func parse(contents: [UInt8], fileName: String, branchCount: Int) throws -> D3QLineWidthList {
        try read(TextSource(path: fileName, bytes: contents), branchCount: branchCount)
    }
}

extension D3QReader {
    /// One per-q-point file (`q.`, `freq.`, `vel.`, `lw.`): its values, q-major, `valuesPerQ` each.
    public static func parseGridFile(
        contents: [UInt8], fileName: String, valuesPerQ: Int, recordWidth: Int,
        expectedQ: Int? = nil
    ) throws -> [Double] {
        try D3QGridFile.read(
            TextSource(path: fileName, bytes: contents), valuesPerQ: valuesPerQ,
            recordWidth: recordWidth, expectedQ: expectedQ, what: "values"
        ).values
    }
}

extension ScatteringTextReader {
    public static func parse(contents: [UInt8], fileName: String) throws -> PhononCollisionMatrix {
        try parse(TextSource(path: fileName, bytes: contents))
    }
}
