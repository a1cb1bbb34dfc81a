import Foundation
import FuzzSupport
import Ingest

/// One input read as a gmsh MSH 2.2 or 4.1 ASCII mesh, through parsing and assembly into a checked mesh.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGmsh(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    expectCleanRejection(naming: "fuzz.msh") {
        _ = try GmshReader.parse(bytes, fileName: "fuzz.msh", unit: .nm)
    }
    return 0
}

@main enum FuzzGmshMain {
    static func main() { exit(runLibFuzzer(fuzzGmsh)) }
}
