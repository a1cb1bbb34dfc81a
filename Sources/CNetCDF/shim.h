#ifndef PBTE_CNETCDF_SHIM_H
#define PBTE_CNETCDF_SHIM_H
#include <netcdf.h>

// Constants whose macro form (casts, long suffixes, negative literals) Swift may not
// import with the C types the API expects.
static inline int pbte_nc_netcdf4(void) { return NC_NETCDF4; }
static inline int pbte_nc_clobber(void) { return NC_CLOBBER; }
static inline int pbte_nc_noclobber(void) { return NC_NOCLOBBER; }
static inline int pbte_nc_nowrite(void) { return NC_NOWRITE; }
static inline int pbte_nc_write(void) { return NC_WRITE; }
static inline int pbte_nc_global(void) { return NC_GLOBAL; }
static inline size_t pbte_nc_unlimited(void) { return NC_UNLIMITED; }
static inline int pbte_nc_chunked(void) { return NC_CHUNKED; }
static inline int pbte_nc_contiguous(void) { return NC_CONTIGUOUS; }
static inline int pbte_nc_fill(void) { return NC_FILL; }
static inline int pbte_nc_nofill(void) { return NC_NOFILL; }
static inline int pbte_nc_max_name(void) { return NC_MAX_NAME; }

static inline nc_type pbte_nc_byte(void) { return NC_BYTE; }
static inline nc_type pbte_nc_char(void) { return NC_CHAR; }
static inline nc_type pbte_nc_short(void) { return NC_SHORT; }
static inline nc_type pbte_nc_int(void) { return NC_INT; }
static inline nc_type pbte_nc_float(void) { return NC_FLOAT; }
static inline nc_type pbte_nc_double(void) { return NC_DOUBLE; }
static inline nc_type pbte_nc_ubyte(void) { return NC_UBYTE; }
static inline nc_type pbte_nc_ushort(void) { return NC_USHORT; }
static inline nc_type pbte_nc_uint(void) { return NC_UINT; }
static inline nc_type pbte_nc_int64(void) { return NC_INT64; }
static inline nc_type pbte_nc_uint64(void) { return NC_UINT64; }
static inline nc_type pbte_nc_string(void) { return NC_STRING; }

#endif
