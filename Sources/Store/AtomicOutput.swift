import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file that is written under a temporary name and only appears under its final name on
/// `commit()`.
///
/// The temporary lives in the same directory (so `rename(2)` is atomic) and is named
/// `.<name>.<pid>.<random>.partial`: a killed writer leaves only such a file, which no
/// reader treats as output. If the output is abandoned or dropped uncommitted, the
/// temporary is removed. Callers must close their library handle before `commit()`.
///
/// @unchecked Sendable: `state` is guarded by `lock`.
public final class AtomicOutput: @unchecked Sendable {
    public static let temporarySuffix = ".partial"

    public let finalPath: String
    public let temporaryPath: String

    private enum State { case pending, committed, abandoned }
    private var state = State.pending
    private let lock = NSLock()
    private var cleanupToken: Int?

    /// Chooses the temporary name; creates nothing. The directory must exist.
    public init(finalPath: String) throws {
        let url = URL(fileURLWithPath: finalPath)
        let directory = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        var isDirectory: ObjCBool = false
        guard !name.isEmpty, FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw StoreError(
                .io, file: finalPath, operation: "prepare atomic output",
                message: "directory '\(directory)' does not exist")
        }
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        self.finalPath = url.path
        self.temporaryPath =
            url.deletingLastPathComponent()
            .appendingPathComponent(".\(name).\(getpid()).\(random)\(Self.temporarySuffix)").path
        cleanupToken = SignalCleanup.register(path: temporaryPath)
    }

    /// True for names produced by `AtomicOutput` (never a finished output).
    public static func isTemporary(_ path: String) -> Bool {
        let name = URL(fileURLWithPath: path).lastPathComponent
        return name.hasPrefix(".") && name.hasSuffix(temporarySuffix)
    }

    /// Renames the temporary onto the final name. With `durable`, the data is fsynced
    /// before and the directory entry after the rename, so a power cut cannot publish a
    /// torn file.
    public func commit(durable: Bool = true) throws {
        try lock.withLock {
            guard state == .pending else {
                throw StoreError(
                    .invalidArgument, file: finalPath, operation: "commit",
                    message: "output was already \(state == .committed ? "committed" : "abandoned")")
            }
            do {
                if durable { try fsyncPath(temporaryPath, directory: false) }
                if rename(temporaryPath, finalPath) != 0 { throw ioError("rename '\(temporaryPath)'") }
                state = .committed
                if let t = cleanupToken { SignalCleanup.forget(t) }
                if durable {
                    try fsyncPath(URL(fileURLWithPath: finalPath).deletingLastPathComponent().path, directory: true)
                }
            } catch {
                if state == .pending {
                    state = .abandoned
                    unlink(temporaryPath)
                }
                throw error
            }
        }
    }

    /// Removes the temporary (if any). Idempotent; a no-op after `commit()`.
    public func abandon() {
        lock.withLock {
            guard state == .pending else { return }
            state = .abandoned
            unlink(temporaryPath)
            if let t = cleanupToken { SignalCleanup.forget(t) }
        }
    }

    public var isCommitted: Bool { lock.withLock { state == .committed } }

    deinit { abandon() }

    private func fsyncPath(_ path: String, directory: Bool) throws {
        let fd = open(path, directory ? O_RDONLY | O_DIRECTORY : O_RDONLY)
        if fd < 0 { throw ioError("open '\(path)' for fsync") }
        defer { close(fd) }
        if fsync(fd) != 0 { throw ioError("fsync '\(path)'") }
    }

    private func ioError(_ what: String) -> StoreError {
        let code = errno
        return StoreError(
            .io, file: finalPath, operation: "commit",
            message: "\(what): \(String(cString: strerror(code)))", code: code)
    }
}
