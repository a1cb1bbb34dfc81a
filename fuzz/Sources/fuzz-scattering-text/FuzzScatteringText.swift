import Foundation
import FuzzSupport
import Ingest

/// One input read as a pbte-scatter text matrix (data-schema/scattering-text.md).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScatteringText(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    expectCleanRejection(naming: "scatter.fuzz.txt") {
        _ = try ScatteringTextReader.parse(contents: bytes, fileName: "scatter.fuzz.txt")
    }
    return 0
}

@main enum FuzzScatteringTextMain {
    static func main() { exit(runLibFuzzer(fuzzScatteringText)) }
}
