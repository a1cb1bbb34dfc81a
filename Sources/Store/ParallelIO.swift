import CHDF5

/// How the processes of an MPI solve share one HDF5 file (docs/mpi.md). Built with `-DPBTE_MPI` (Package.swift with
/// PBTE_MPI=1, linking Debian's parallel libhdf5): files are opened through MPI-IO on MPI_COMM_WORLD, every process
/// makes the same sequence of HDF5 calls, and raw data is written collectively: a `write` of replicated data takes
/// its elements from rank 0 alone, a `writeShare` takes each process's own block. The serial build has one process,
/// where both are the ordinary write.
enum ParallelIO {
    #if PBTE_MPI
        static let enabled = true
        static var rank: Int { Int(pbte_mpi_rank()) }
        static func configure(fileAccess fapl: hid_t) -> herr_t { pbte_h5p_set_fapl_mpio_world(fapl) }
        static func writeTransfer() -> hid_t { pbte_h5p_collective_xfer() }
        static func closeTransfer(_ dxpl: hid_t) { H5Pclose(dxpl) }
    #else
        static let enabled = false
        static var rank: Int { 0 }
        static func configure(fileAccess fapl: hid_t) -> herr_t { 0 }
        static func writeTransfer() -> hid_t { pbte_h5p_default() }
        static func closeTransfer(_ dxpl: hid_t) {}
    #endif
}
