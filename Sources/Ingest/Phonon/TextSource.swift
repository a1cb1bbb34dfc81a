import Foundation

/// The bytes of a text input file, gunzipped when they start with the gzip magic, walked line by line.
struct TextSource {
    let path: String
    let bytes: [UInt8]

    static func load(_ path: String) throws -> TextSource {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PhononIngestError(.io, file: path, "cannot read the file (missing or unreadable)")
        }
        var bytes = [UInt8](data)
        if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B { bytes = try Gunzip.decompress(path) }
        return TextSource(path: path, bytes: bytes)
    }

    /// Calls `body` with the 1-based line number and the line without its LF (and a trailing CR).
    func forEachLine(_ body: (Int, ArraySlice<UInt8>) throws -> Void) rethrows {
        var start = 0, number = 0
        let n = bytes.count
        while start < n {
            var end = start
            while end < n && bytes[end] != 0x0A { end += 1 }
            number += 1
            var stop = end
            if stop > start && bytes[stop - 1] == 0x0D { stop -= 1 }
            try body(number, bytes[start..<stop])
            start = end + 1
        }
    }
}

enum LineKind { case blank, comment, data }

extension ArraySlice where Element == UInt8 {
    var lineKind: LineKind {
        for b in self where b != 0x20 && b != 0x09 { return b == 0x23 ? .comment : .data }
        return .blank
    }

    /// Whitespace-separated tokens (blank or tab).
    var tokens: [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var i = startIndex
        while i < endIndex {
            while i < endIndex && (self[i] == 0x20 || self[i] == 0x09) { i += 1 }
            if i == endIndex { break }
            let s = i
            while i < endIndex && self[i] != 0x20 && self[i] != 0x09 { i += 1 }
            out.append(self[s..<i])
        }
        return out
    }

    var text: String { String(decoding: self, as: UTF8.self) }
}

/// Decompresses through the system gzip: Foundation on Linux has no inflate, and gzip is always present.
enum Gunzip {
    static func decompress(_ path: String) throws -> [UInt8] {
        let exe = ["/bin/gzip", "/usr/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let exe else { throw PhononIngestError(.io, file: path, "file is gzip-compressed but no gzip executable was found") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: exe)
        process.arguments = ["-dc", path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch {
            throw PhononIngestError(.io, file: path, "cannot run gzip: \(error)")
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let message = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let why = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw PhononIngestError(.truncated, file: path, "gzip could not decompress the file (\(why))")
        }
        return [UInt8](data)
    }
}
