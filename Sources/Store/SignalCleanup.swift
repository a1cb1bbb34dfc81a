import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a command must undo if it is told to stop (SIGTERM, SIGINT, SIGHUP): temporary files and folders it
/// created, lock files it holds, and child processes it started (gmsh). A solve's `<run>.partial` is its resume
/// checkpoint and is deliberately not registered: a terminated solve resumes like a killed one.
///
/// The handler runs on a Dispatch queue, not in signal context, so it may take locks and call unlink/kill; then it
/// restores the default action and signals the process again, so the parent sees the command end by that signal.
public enum SignalCleanup {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var paths: [Int: String] = [:]
    nonisolated(unsafe) private static var children: [Int: pid_t] = [:]
    nonisolated(unsafe) private static var next = 0
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// Call once at program start.
    public static func install(signals: [Int32] = [SIGTERM, SIGINT, SIGHUP]) {
        lock.withLock {
            guard sources.isEmpty else { return }
            for sig in signals {
                signal(sig, SIG_IGN)
                let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                s.setEventHandler { cleanUpAndReraise(sig) }
                s.resume()
                sources.append(s)
            }
        }
    }

    /// A file or folder to remove on a stop signal; returns a token for `forget`.
    @discardableResult
    public static func register(path: String) -> Int {
        lock.withLock {
            next += 1; paths[next] = path; return next
        }
    }

    /// A child process to terminate on a stop signal.
    @discardableResult
    public static func register(child: pid_t) -> Int {
        lock.withLock {
            next += 1; children[next] = child; return next
        }
    }

    public static func forget(_ token: Int) { _ = lock.withLock { paths.removeValue(forKey: token) ?? children.removeValue(forKey: token).map { _ in "" } } }

    private static func cleanUpAndReraise(_ sig: Int32) {
        lock.lock()
        for pid in children.values { kill(pid, SIGTERM) }
        for path in paths.values { try? FileManager.default.removeItem(atPath: path) }
        paths = [:]; children = [:]
        lock.unlock()
        signal(sig, SIG_DFL)
        // To the process, not this thread: Dispatch's worker threads block signals, so raise() would stay pending.
        kill(getpid(), sig)
    }
}
