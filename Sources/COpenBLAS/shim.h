#ifndef PBTE_COPENBLAS_SHIM_H
#define PBTE_COPENBLAS_SHIM_H
#include <cblas.h>
// OpenBLAS threads are pinned to 1 while Swift threads sweep modes; the solver raises it
// again around the collision product so the two never oversubscribe the cores.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
#endif
