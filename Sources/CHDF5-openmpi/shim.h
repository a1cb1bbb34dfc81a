#ifndef PBTE_CHDF5_OPENMPI_SHIM_H
#define PBTE_CHDF5_OPENMPI_SHIM_H
// The same module CHDF5 as ../CHDF5, built on Debian's parallel libhdf5 (hdf5-openmpi) for the MPI build only
// (docs/mpi.md). Store imports CHDF5 either way; Package.swift picks this directory when PBTE_MPI=1.
#include "../CHDF5/shim.h"

#ifndef H5_HAVE_PARALLEL
#error "CHDF5-openmpi must be compiled against a parallel HDF5 (pkg-config hdf5-openmpi)"
#endif

// MPI_COMM_WORLD and MPI_INFO_NULL are macros over Open MPI globals that Swift cannot import.
static inline herr_t pbte_h5p_set_fapl_mpio_world(hid_t fapl) {
    return H5Pset_fapl_mpio(fapl, MPI_COMM_WORLD, MPI_INFO_NULL);
}

// A transfer list for collective raw-data writes (required for filtered chunked datasets in parallel).
static inline hid_t pbte_h5p_collective_xfer(void) {
    hid_t dxpl = H5Pcreate(H5P_DATASET_XFER);
    if (dxpl >= 0 && H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE) < 0) { H5Pclose(dxpl); return -1; }
    return dxpl;
}

static inline int pbte_mpi_rank(void) {
    int initialized = 0, rank = 0;
    MPI_Initialized(&initialized);
    if (initialized) MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    return rank;
}

#endif
