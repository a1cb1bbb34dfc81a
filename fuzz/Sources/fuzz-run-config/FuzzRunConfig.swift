import Foundation
import FuzzSupport
import Config

/// One input read as a run file: the TOML subset (ConfigDocument) and every check RunConfig makes on it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRunConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    expectCleanRejection(naming: "run.fuzz.toml") {
        let cfg = try RunConfig.parse(text, file: "run.fuzz.toml")
        // The canonical form walks every parsed value by reflection; it must be total and deterministic.
        precondition(cfg.canonical == cfg.canonical)
    }
    return 0
}

@main enum FuzzRunConfigMain {
    static func main() { exit(runLibFuzzer(fuzzRunConfig)) }
}
