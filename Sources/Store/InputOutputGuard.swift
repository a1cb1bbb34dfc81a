import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Refuses to write an output onto one of the command's inputs, before any work starts.
///
/// Paths are compared as files, not as strings: `stat(2)` follows symlinks, and the same device and inode also
/// catches hard links and `dir/../x` spellings. An output that does not exist yet cannot be an input.
public enum InputOutputGuard {
    public static func refuseOverwrite(output: String, inputs: [String]) throws {
        var out = stat()
        guard stat(output, &out) == 0 else { return }
        if (out.st_mode & S_IFMT) == S_IFDIR {
            throw StoreError(
                .invalidArgument, file: output, operation: "prepare output",
                message: "the output is a directory; give a file name")
        }
        for input in inputs where !input.isEmpty {
            var inp = stat()
            guard stat(input, &inp) == 0 else { continue }
            if inp.st_dev == out.st_dev && inp.st_ino == out.st_ino {
                let how = input == output ? "" : " (the same file under another name, link or symlink)"
                throw StoreError(
                    .invalidArgument, file: output, operation: "prepare output",
                    message: "the output is the input '\(input)'\(how); writing it would destroy the input — choose another output name")
            }
        }
    }
}
