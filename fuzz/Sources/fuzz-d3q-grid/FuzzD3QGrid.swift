import Foundation
import FuzzSupport
import Ingest

/// One input read as each per-q-point d3q file: q-points (4 values, one line each), a frequency or linewidth file
/// whose width is that of its first record (wrapped at 99 as d3q writes it), and a `d3_lw.x` list for nat3 = 3 and 6.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzD3QGrid(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let name = "freq.fuzz.out"
    expectCleanRejection(naming: name) {
        _ = try D3QReader.parseGridFile(contents: bytes, fileName: name, valuesPerQ: 4, recordWidth: 4)
    }
    let width = min(max(firstRecordWidth(bytes), 1), 400)
    expectCleanRejection(naming: name) {
        _ = try D3QReader.parseGridFile(contents: bytes, fileName: name, valuesPerQ: width, recordWidth: 99, expectedQ: 8)
    }
    for nat3 in [3, 6] {
        expectCleanRejection(naming: name) {
            _ = try D3QLineWidthList.parse(contents: bytes, fileName: name, branchCount: nat3)
        }
    }
    return 0
}

@main enum FuzzD3QGridMain {
    static func main() { exit(runLibFuzzer(fuzzD3QGrid)) }
}
