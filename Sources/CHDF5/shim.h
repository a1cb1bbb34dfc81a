#ifndef PBTE_CHDF5_SHIM_H
#define PBTE_CHDF5_SHIM_H
#include <hdf5.h>

// HDF5 exposes its type/property-class ids and access flags as macros that expand to
// run-time globals (after an implicit H5open), which Swift cannot import; these wrap them.

static inline hid_t pbte_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t pbte_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t pbte_h5t_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t pbte_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t pbte_h5t_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t pbte_h5t_c_s1(void) { return H5T_C_S1; }
static inline size_t pbte_h5t_variable(void) { return H5T_VARIABLE; }

static inline hid_t pbte_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t pbte_h5p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t pbte_h5p_file_create(void) { return H5P_FILE_CREATE; }
static inline hid_t pbte_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t pbte_h5p_dataset_xfer(void) { return H5P_DATASET_XFER; }
static inline hid_t pbte_h5p_link_create(void) { return H5P_LINK_CREATE; }

static inline unsigned pbte_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned pbte_h5f_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline unsigned pbte_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned pbte_h5f_acc_excl(void) { return H5F_ACC_EXCL; }

static inline hid_t pbte_h5s_all(void) { return H5S_ALL; }
static inline hsize_t pbte_h5s_unlimited(void) { return H5S_UNLIMITED; }
static inline hid_t pbte_h5e_default(void) { return H5E_DEFAULT; }

// H5Oget_info* changed signature between 1.10 and 1.12 (and are macros in some builds).
static inline int pbte_h5_object_type(hid_t loc, const char *name) {
#if H5_VERSION_GE(1, 12, 0)
    H5O_info2_t info;
    if (H5Oget_info_by_name3(loc, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return -1;
#else
    H5O_info_t info;
    if (H5Oget_info_by_name2(loc, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return -1;
#endif
    return (int)info.type;
}

static inline long long pbte_h5_num_attrs(hid_t obj) {
#if H5_VERSION_GE(1, 12, 0)
    H5O_info2_t info;
    if (H5Oget_info3(obj, &info, H5O_INFO_NUM_ATTRS) < 0) return -1;
#else
    H5O_info_t info;
    if (H5Oget_info2(obj, &info, H5O_INFO_NUM_ATTRS) < 0) return -1;
#endif
    return (long long)info.num_attrs;
}

// Frees the strings HDF5 allocated when reading variable-length string data.
static inline herr_t pbte_h5_vlen_reclaim(hid_t type, hid_t space, void *buf) {
#if H5_VERSION_GE(1, 12, 0)
    return H5Treclaim(type, space, H5P_DEFAULT, buf);
#else
    return H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf);
#endif
}

#endif
