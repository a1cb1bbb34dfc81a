#!/usr/bin/env python3
"""Interop check between the Swift storage layer and h5py / xarray (netCDF4 engine).

    interop_check.py check DIR   verify DIR/swift.h5 and DIR/swift.nc written by StoreTests
    interop_check.py write DIR   write DIR/py.h5 (h5py) and DIR/py.nc (xarray) for StoreTests

Values come from the same closed-form patterns as Tests/StoreTests/StoreTestSupport.swift,
chosen to be exact in float32, so every comparison is bit-exact. Exit status 1 + a list of
mismatches on stderr on failure.
"""
import math
import sys

import h5py
import numpy as np
import xarray as xr

FAILURES = []


def f64(n):
    return np.array([((i * 37) % 101) / 8.0 - 5.0 for i in range(n)], dtype=np.float64)


def f32(n):
    return f64(n).astype(np.float32)


def i32(n):
    return np.array([(i * 1000 - 7) * (1 if i % 2 == 0 else -1) for i in range(n)], dtype=np.int32)


def i64(n):
    return np.array([i * 3_000_000_000 - 5 for i in range(n)], dtype=np.int64)


def u8(n):
    return np.array([(i * 7) % 256 for i in range(n)], dtype=np.uint8)


SPECIAL = np.array([math.pi, -0.0, 1e-300, sys.float_info.max, 5e-324, math.inf, math.nan])


def expect(label, got, want):
    got, want = np.asarray(got), np.asarray(want)
    if got.dtype != want.dtype:
        FAILURES.append(f"{label}: dtype {got.dtype} != {want.dtype}")
    elif got.shape != want.shape:
        FAILURES.append(f"{label}: shape {got.shape} != {want.shape}")
    elif got.tobytes() != want.tobytes():
        FAILURES.append(f"{label}: values differ\n  got  {got.ravel()[:12]}\n  want {want.ravel()[:12]}")


def expect_eq(label, got, want):
    if got != want:
        FAILURES.append(f"{label}: {got!r} != {want!r}")


def check_swift_h5(path):
    with h5py.File(path, "r") as f:
        expect("f64", f["f64"][()], f64(60).reshape(3, 4, 5))
        expect("f32", f["f32"][()], f32(6).reshape(2, 3))
        expect("i32", f["i32"][()], i32(7))
        expect("i64", f["i64"][()], i64(16).reshape(2, 2, 2, 2))
        expect("u8", f["u8"][()], u8(10))
        expect("special", f["special"][()], SPECIAL)
        expect("scalar", f["scalar"][()], np.float64(42.5))
        gamma = f["events/0/gamma"]
        expect("events/0/gamma", gamma[()], f64(300).reshape(6, 50))
        expect_eq("gamma.chunks", gamma.chunks, (1, 50))
        expect_eq("gamma.compression", gamma.compression, "gzip")
        expect_eq("gamma.compression_opts", gamma.compression_opts, 4)
        expect_eq("gamma.shuffle", gamma.shuffle, True)
        expect_eq("root attrs", sorted(f.attrs.keys()), ["temperature", "title", "version"])
        expect_eq("title", f.attrs["title"], "pbte ✓ interop")
        expect("version", f.attrs["version"], np.int64(3))
        expect("temperature", f.attrs["temperature"], np.float64(300.5))
        expect("events@q", f["events"].attrs["q"], np.array([1, 2, 2**63 - 1, -(2**63)], dtype=np.int64))
        expect("gamma@weights", gamma.attrs["weights"], np.array([0.25, -1.5, 1e-300]))
        expect_eq("gamma@units", gamma.attrs["units"], "1/ps")
        expect_eq("members", sorted(f.keys()), ["events", "f32", "f64", "i32", "i64", "scalar", "special", "u8"])


def check_swift_nc(path):
    with xr.open_dataset(path, engine="netcdf4", mask_and_scale=False, decode_times=False) as ds:
        expect_eq("dims", dict(ds.sizes), {"time": 2, "x": 4, "y": 3})
        expect_eq("unlimited", ds.encoding.get("unlimited_dims"), {"time"})
        temp = ds["temp"]
        expect_eq("temp.dims", temp.dims, ("time", "x", "y"))
        expect("temp", temp.values, f64(24).reshape(2, 4, 3))
        expect_eq("temp.units", temp.attrs["units"], "K")
        expect("temp.scale", temp.attrs["scale"], np.array([0.5, 2.0]))
        expect("temp._FillValue", temp.attrs["_FillValue"], np.float64(-999.0))
        expect_eq("temp.zlib", temp.encoding.get("zlib"), True)
        expect_eq("temp.complevel", temp.encoding.get("complevel"), 5)
        expect_eq("temp.shuffle", temp.encoding.get("shuffle"), True)
        expect_eq("temp.chunksizes", tuple(temp.encoding.get("chunksizes")), (1, 4, 3))
        expect("count", ds["count"].values, i32(4))
        expect("big", ds["big"].values, i64(3))
        expect("single", ds["single"].values, f32(4))
        expect_eq("title", ds.attrs["title"], "pbte ✓ netcdf")
        expect("version", ds.attrs["version"], np.int32(2))


def write_py_h5(path):
    with h5py.File(path, "w") as f:
        f["f64"] = f64(12).reshape(3, 4)
        f["f32"] = f32(5)
        f["i32"] = i32(6)
        f["i64"] = i64(6).reshape(2, 3)
        f["special"] = SPECIAL
        f.create_dataset("nested/a/b/data", data=f64(2000).reshape(100, 20), chunks=(10, 20),
                         compression="gzip", compression_opts=4, shuffle=True)
        f.attrs["title"] = "h5py ✓ interop"                      # variable-length UTF-8
        f.attrs["fixed"] = np.bytes_(b"fixed-ascii")             # fixed-length ASCII
        f.attrs.create("fixed_utf8", "héllo".encode(), dtype=h5py.string_dtype("utf-8", 30))
        f.attrs["count"] = np.int64(7)
        f.attrs["small"] = np.int32(-12)
        f.attrs["temperature"] = 300.5
        f.attrs["vec"] = np.array([1.5, 2.5, 3.5])
        f.attrs["ivec"] = np.array([1, -2, 2**40], dtype=np.int64)
        f["nested/a/b/data"].attrs["units"] = "1/ps"
        f["nested/a"].attrs["note"] = "group attribute"


def write_py_nc(path):
    ds = xr.Dataset(
        {
            "temp": (("x", "y"), f64(12).reshape(4, 3), {"units": "K", "scale": np.array([0.5, 2.0])}),
            "counts": (("x",), i32(4)),
            "big": (("y",), i64(3)),
            "single": (("x",), f32(4)),
        },
        coords={"x": np.arange(4) * 0.5, "y": np.array([10, 20, 30], dtype=np.int64)},
        attrs={"title": "xarray ✓ interop", "version": np.int64(2)},
    )
    encoding = {"temp": {"zlib": True, "complevel": 4, "shuffle": True, "chunksizes": (2, 3)}}
    ds.to_netcdf(path, engine="netcdf4", format="NETCDF4", encoding=encoding)


def main(argv):
    if len(argv) != 3 or argv[1] not in ("check", "write"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, directory = argv[1], argv[2]
    if mode == "check":
        check_swift_h5(f"{directory}/swift.h5")
        check_swift_nc(f"{directory}/swift.nc")
    else:
        write_py_h5(f"{directory}/py.h5")
        write_py_nc(f"{directory}/py.nc")
    if FAILURES:
        print(f"{len(FAILURES)} interop mismatch(es):", file=sys.stderr)
        for failure in FAILURES:
            print(" - " + failure, file=sys.stderr)
        return 1
    print(f"interop {mode} ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
