import Foundation

/// The one process-wide lock around every HDF5 and netCDF call.
///
/// Both libraries are built without thread safety, and libnetcdf drives the very same
/// libhdf5, so a single lock must cover both. It is recursive because handle deinits
/// (which close HDF5/netCDF ids) can run while the same thread already holds it.
public enum StoreLock {
    private static let lock = NSRecursiveLock()

    public static func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
