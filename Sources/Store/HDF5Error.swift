import CHDF5

// No HDF5 atexit handler: after a failed write (ENOSPC) its library teardown dereferences freed dataset state and
// turns a clean error exit into SIGSEGV. Every writer here closes its files explicitly before exit.
private let hdf5Opened: Bool = {
    _ = H5dont_atexit(); return H5open() >= 0
}()

/// Runs `body` under the store lock with HDF5 initialized and its stderr error printing off.
/// Debian's libhdf5 is a thread-safe build, where the auto-print setting is per thread, so
/// it is switched off on every entry (cheap) rather than once per process.
@inline(__always)
func hdf5Locked<R>(_ body: () throws -> R) rethrows -> R {
    try StoreLock.withLock {
        _ = hdf5Opened
        _ = H5Eset_auto2(pbte_h5e_default(), nil, nil)
        return try body()
    }
}

/// Collects descriptions from the current HDF5 error stack, innermost first.
private final class ErrorStackBox {
    var entries: [String] = []
}

/// Reads and clears the HDF5 error stack. Caller holds the store lock.
func hdf5ErrorMessage() -> String {
    let box = ErrorStackBox()
    let context = Unmanaged.passUnretained(box).toOpaque()
    // H5E_WALK_UPWARD starts at the most specific error (where it was detected).
    _ = H5Ewalk2(
        pbte_h5e_default(), H5E_WALK_UPWARD,
        { _, errorPointer, client in
            guard let error = errorPointer?.pointee, let client else { return 0 }
            let box = Unmanaged<ErrorStackBox>.fromOpaque(client).takeUnretainedValue()
            var text = error.desc.map { String(cString: $0) } ?? ""
            var minor = [CChar](repeating: 0, count: 256)
            if H5Eget_msg(error.min_num, nil, &minor, minor.count) > 0 {
                let minorText = stringFromCBuffer(minor)
                if !minorText.isEmpty && minorText != text { text += " (\(minorText))" }
            }
            if let function = error.func_name.map({ String(cString: $0) }), box.entries.isEmpty {
                text = "\(function): \(text)"
            }
            box.entries.append(text)
            return 0
        }, context)
    _ = H5Eclear2(pbte_h5e_default())
    guard let innermost = box.entries.first else { return "unknown HDF5 error" }
    // The outermost entry names the API call that failed; keep it when it adds something.
    if box.entries.count > 1, let outer = box.entries.last, outer != innermost {
        return "\(innermost) [\(outer)]"
    }
    return innermost
}

/// Builds a StoreError from the HDF5 error stack. Caller holds the store lock.
func hdf5Error(file: String, object: String?, _ operation: String) -> StoreError {
    StoreError(.hdf5, file: file, object: object, operation: operation, message: hdf5ErrorMessage())
}

/// Checks an hid_t-returning call: negative means failure.
@discardableResult
func h5check(_ id: hid_t, file: String, object: String?, _ operation: String) throws -> hid_t {
    if id < 0 { throw hdf5Error(file: file, object: object, operation) }
    return id
}

/// Checks an herr_t/htri_t-returning call.
@discardableResult
func h5check(_ status: Int32, file: String, object: String?, _ operation: String) throws -> Int32 {
    if status < 0 { throw hdf5Error(file: file, object: object, operation) }
    return status
}

/// Decodes a NUL-terminated C string held in a Swift array.
func stringFromCBuffer(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}
