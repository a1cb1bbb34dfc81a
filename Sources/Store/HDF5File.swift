import CHDF5
import Foundation

/// An open HDF5 file. It is also the root group: every `HDF5Container` operation works on it.
///
/// Files are opened with H5F_CLOSE_STRONG, so `close()` really closes the file even while
/// group/dataset handles are still alive (they then throw `.closed`). Children keep the
/// `HDF5File` object alive, so a file is never closed behind their back by deinit.
///
/// @unchecked Sendable: the only mutable state (`atomic`) and every HDF5 call are guarded by
/// `StoreLock`.
public final class HDF5File: HDF5Container, @unchecked Sendable {
    public enum Mode: Sendable { case readOnly, readWrite }

    /// The path the caller named (the final name for atomic outputs).
    public let path: String
    /// Where the bytes are being written right now (the `.partial` name for atomic outputs).
    public let diskPath: String
    public let mode: Mode
    let handle: HDF5Handle
    private var atomic: AtomicOutput?

    public var objectRef: HDF5ObjectRef { HDF5ObjectRef(file: self, handle: handle, path: "/") }

    private init(path: String, diskPath: String, mode: Mode, id: hid_t, atomic: AtomicOutput?) {
        self.path = path
        self.diskPath = diskPath
        self.mode = mode
        self.handle = HDF5Handle(id, kind: .file)
        self.atomic = atomic
    }

    /// Creates (or, with `overwrite`, truncates) a file for writing.
    public static func create(_ path: String, overwrite: Bool = true) throws -> HDF5File {
        let id = try createRaw(diskPath: path, reportedPath: path, overwrite: overwrite)
        return HDF5File(path: path, diskPath: path, mode: .readWrite, id: id, atomic: nil)
    }

    /// Opens an existing file. Non-HDF5 and truncated files throw `.hdf5` errors.
    public static func open(_ path: String, mode: Mode = .readOnly) throws -> HDF5File {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.notFound, file: path, operation: "open file", message: "no such file")
        }
        let id: hid_t = try hdf5Locked {
            let fapl = try makeFileAccessList(path)
            defer { H5Pclose(fapl) }
            let flags = mode == .readOnly ? pbte_h5f_acc_rdonly() : pbte_h5f_acc_rdwr()
            do {
                return try h5check(H5Fopen(path, flags, fapl), file: path, object: nil, "open file")
            } catch let e as StoreError where e.message.contains("unable to lock file") {
                // HDF5's own file lock: another process has the file open for writing.
                throw StoreError(
                    .io, file: path, operation: "open file",
                    message: "another process has this file open for writing (a solve still running?); wait for it to finish. [\(e.message)]")
            }
        }
        return HDF5File(path: path, diskPath: path, mode: mode, id: id, atomic: nil)
    }

    /// Creates a file under a temporary `.partial` name next to `path`; it only appears at
    /// `path` after `commit()`. Closing, abandoning or dropping it uncommitted removes it.
    public static func createAtomically(_ path: String) throws -> HDF5File {
        let atomic = try AtomicOutput(finalPath: path)
        let id = try createRaw(diskPath: atomic.temporaryPath, reportedPath: path, overwrite: false)
        return HDF5File(path: path, diskPath: atomic.temporaryPath, mode: .readWrite, id: id, atomic: atomic)
    }

    /// Runs `body` on an atomically created file and commits it if `body` returns normally;
    /// if `body` throws, nothing appears at `path`.
    public static func writeAtomically<R>(
        _ path: String, durable: Bool = true,
        _ body: (HDF5File) throws -> R
    ) throws -> R {
        let file = try createAtomically(path)
        do {
            let result = try body(file)
            try file.commit(durable: durable)
            return result
        } catch {
            file.abandon()
            throw error
        }
    }

    private static func createRaw(diskPath: String, reportedPath: String, overwrite: Bool) throws -> hid_t {
        try hdf5Locked {
            let fapl = try makeFileAccessList(reportedPath)
            defer { H5Pclose(fapl) }
            let flags = overwrite ? pbte_h5f_acc_trunc() : pbte_h5f_acc_excl()
            return try h5check(
                H5Fcreate(diskPath, flags, pbte_h5p_default(), fapl),
                file: reportedPath, object: nil, "create file")
        }
    }

    private static func makeFileAccessList(_ path: String) throws -> hid_t {
        let fapl = try h5check(H5Pcreate(pbte_h5p_file_access()), file: path, object: nil, "create file access list")
        if H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0 {
            H5Pclose(fapl)
            throw hdf5Error(file: path, object: nil, "set close degree")
        }
        if ParallelIO.configure(fileAccess: fapl) < 0 {
            H5Pclose(fapl)
            throw hdf5Error(file: path, object: nil, "open through MPI-IO")
        }
        return fapl
    }

    /// True for atomic outputs that are neither committed nor abandoned yet.
    public var isPendingAtomic: Bool { hdf5Locked { atomic != nil } }

    public var isOpen: Bool { hdf5Locked { (try? handle.live(file: path, object: nil)) != nil } }

    /// Flushes HDF5's buffers to the OS.
    public func flush() throws {
        try hdf5Locked {
            let id = try handle.live(file: path, object: nil)
            try h5check(H5Fflush(id, H5F_SCOPE_GLOBAL), file: path, object: nil, "flush file")
        }
    }

    /// Closes the file (and any still-open objects in it). An uncommitted atomic output is
    /// removed. Closing twice is harmless.
    public func close() throws {
        let pending: AtomicOutput? = hdf5Locked {
            defer { atomic = nil }; return atomic
        }
        let status = handle.close()
        pending?.abandon()
        if status < 0 {
            throw hdf5Locked { hdf5Error(file: path, object: nil, "close file") }
        }
    }

    /// Flushes and closes the file, then renames the temporary onto `path`.
    /// Only valid for files from `createAtomically`.
    public func commit(durable: Bool = true) throws {
        guard
            let pending = hdf5Locked({ () -> AtomicOutput? in
                defer { atomic = nil }; return atomic
            })
        else {
            throw StoreError(
                .invalidArgument, file: path, operation: "commit",
                message: "file was not created atomically or is already committed/abandoned")
        }
        let failure: StoreError? = hdf5Locked {
            if let id = try? handle.live(file: path, object: nil), H5Fflush(id, H5F_SCOPE_GLOBAL) < 0 {
                let error = hdf5Error(file: path, object: nil, "flush file")
                handle.close()
                return error
            }
            if handle.close() < 0 { return hdf5Error(file: path, object: nil, "close file") }
            return nil
        }
        if let failure {
            pending.abandon()
            throw failure
        }
        try pending.commit(durable: durable)
    }

    /// Closes the file and deletes the temporary without publishing anything.
    public func abandon() {
        try? close()
    }

    deinit {
        handle.close()
        // `atomic`'s own deinit removes an uncommitted temporary.
    }
}
