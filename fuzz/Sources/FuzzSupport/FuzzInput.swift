import Foundation

/// The bytes libFuzzer hands to `LLVMFuzzerTestOneInput` (it may pass a null pointer for the empty input).
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// Runs one parse. Rejecting the input is fine, but the error must start with the file name as every reader
/// promises; anything else (a trap, a hang, an error that does not say where) is a finding.
public func expectCleanRejection(naming fileName: String, _ parse: () throws -> Void) {
    do {
        try parse()
        if fuzzVerbose { print("accepted") }
    } catch {
        let text = String(describing: error)
        if fuzzVerbose { print("rejected: \(text)") }
        if !text.hasPrefix(fileName) { fatalError("error does not name \(fileName): \(text)") }
    }
}

/// FUZZ_VERBOSE=1 prints each input's outcome (to see what seeds reach when replaying them one by one).
public let fuzzVerbose = ProcessInfo.processInfo.environment["FUZZ_VERBOSE"] == "1"

/// Whitespace-separated fields on the first line that is neither blank nor a `#` comment (0 when none).
public func firstRecordWidth(_ bytes: [UInt8]) -> Int {
    var i = 0
    while i < bytes.count {
        var end = i
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        var fields = 0, inField = false, first: UInt8? = nil
        for b in bytes[i..<end] {
            let space = b == 0x20 || b == 0x09 || b == 0x0D
            if !space && first == nil { first = b }
            if !space && !inField { fields += 1 }
            inField = !space
        }
        if let first, first != 0x23 { return fields }
        i = end + 1
    }
    return 0
}

public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: FuzzCallback
) -> CInt

/// Hands the command line to libFuzzer. SwiftPM renames an executable's entry point and points `main` at it
/// (`--defsym`), so libFuzzer's own `main` is never linked: each target's `@main` calls this instead.
public func runLibFuzzer(_ callback: FuzzCallback) -> CInt {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    return LLVMFuzzerRunDriver(&argc, &argv, callback)
}
