import Foundation

/// An exclusive claim on one output path for the life of a process, so that two solves pointed at the same run
/// file (two pipelines side by side, a second `make -j` job) cannot both write its `.partial`: the second is
/// refused at once with the holder's process id. The claim is an advisory `flock` on `.<name>.lock` next to the
/// output; the kernel drops it when the holder exits, even by SIGKILL, so a killed solve never blocks its resume.
public final class OutputLock {
    public let lockPath: String
    private var fd: Int32
    private var cleanupToken: Int?

    public init(output: String) throws {
        let url = URL(fileURLWithPath: output)
        lockPath = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".lock").path
        while true {
            let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw StoreError(
                    .io, file: output, operation: "lock output", message: "cannot create \(lockPath): \(String(cString: strerror(errno)))", code: errno)
            }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let holder = Self.readHolder(fd)
                close(fd)
                throw StoreError(
                    .invalidArgument, file: output, operation: "lock output",
                    message:
                        "another process\(holder.map { " (pid \($0))" } ?? "") is writing this output (lock \(lockPath)); wait for it to finish or choose another output"
                )
            }
            // The holder before us may have removed the lock file after we opened it: then our lock is on a
            // file nobody else can see, and we must start again on the current one.
            var mine = stat(), current = stat()
            if fstat(fd, &mine) == 0, stat(lockPath, &current) == 0, mine.st_ino == current.st_ino, mine.st_dev == current.st_dev {
                ftruncate(fd, 0)
                let pid = "\(getpid())\n"
                _ = pid.withCString { write(fd, $0, strlen($0)) }
                self.fd = fd
                cleanupToken = SignalCleanup.register(path: lockPath)
                return
            }
            close(fd)
        }
    }

    private static func readHolder(_ fd: Int32) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &buffer, buffer.count - 1, 0)
        guard n > 0 else { return nil }
        return Int(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Removes the lock file (while still holding it) and lets go.
    public func release() {
        guard fd >= 0 else { return }
        if let t = cleanupToken { SignalCleanup.forget(t) }
        unlink(lockPath)
        close(fd)
        fd = -1
    }

    deinit { if fd >= 0 { close(fd) } }
}
