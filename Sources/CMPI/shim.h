#ifndef PBTE_CMPI_SHIM_H
#define PBTE_CMPI_SHIM_H
#include <mpi.h>

// Open MPI's handles (MPI_COMM_WORLD, MPI_DOUBLE, MPI_SUM, ...) are macros over the addresses of library globals,
// which Swift cannot import; these return them.
static inline MPI_Comm pbte_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype pbte_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype pbte_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Datatype pbte_mpi_long(void) { return MPI_LONG; }
static inline MPI_Op pbte_mpi_sum(void) { return MPI_SUM; }
static inline void *pbte_mpi_in_place(void) { return MPI_IN_PLACE; }

#endif
