import Foundation
import FuzzSupport
import Ingest

/// One input read as the crystal header of a d3q `mat2R` file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCrystalHeader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    expectCleanRejection(naming: "crystal.fuzz.txt") {
        _ = try CrystalHeaderReader.parse(contents: bytes, fileName: "crystal.fuzz.txt")
    }
    return 0
}

@main enum FuzzCrystalHeaderMain {
    static func main() { exit(runLibFuzzer(fuzzCrystalHeader)) }
}
