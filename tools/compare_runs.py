"""Compare two run files (serial vs MPI solve): same datasets, same attributes, numbers within a relative tolerance.

usage: compare_runs.py REFERENCE.h5 OTHER.h5 [--rtol 1e-12]

Every dataset and attribute of REFERENCE must exist in OTHER with the same shape and type and vice versa.
Attributes must be equal, except the time stamp `created`. Numeric datasets are compared element by element,
|a - b| <= rtol * |a| (non-finite values must match exactly); the largest relative difference over the ψ^(m) stacks,
the remainder and the accumulated ψ is printed.
Exits non-zero on any difference.
"""
import sys
import h5py
import numpy as np

SKIP_ATTRS = {"created"}


def walk(f):
    out = {}
    f.visititems(lambda name, obj: out.__setitem__(name, obj))
    out["/"] = f
    return out


def main():
    args = sys.argv[1:]
    rtol = 1e-12
    if "--rtol" in args:
        i = args.index("--rtol")
        rtol = float(args[i + 1])
        del args[i:i + 2]
    ref_path, other_path = args
    problems, worst = [], {}
    with h5py.File(ref_path, "r") as a, h5py.File(other_path, "r") as b:
        oa, ob = walk(a), walk(b)
        # Integrity digests need a whole row in one process, so the MPI writer stores none (docs/reliability.md):
        # their absence from the other file is expected, not a difference of results.
        for name in sorted(set(oa) ^ set(ob)):
            if name.endswith("_digest") and name in oa:
                print(f"  {name}: only in reference (digests are written by the serial solve only)")
                continue
            problems.append(f"{name}: only in {'reference' if name in oa else 'other'}")
        for name in sorted(set(oa) & set(ob)):
            x, y = oa[name], ob[name]
            if set(x.attrs) - {"digest"} != set(y.attrs) - {"digest"}:
                problems.append(f"{name}: attributes {sorted(x.attrs)} vs {sorted(y.attrs)}")
            for k in set(x.attrs) & set(y.attrs):
                if k in SKIP_ATTRS:
                    continue
                if not np.array_equal(np.asarray(x.attrs[k]), np.asarray(y.attrs[k])):
                    problems.append(f"{name}@{k}: {x.attrs[k]!r} vs {y.attrs[k]!r}")
            if not isinstance(x, h5py.Dataset):
                continue
            if x.shape != y.shape or x.dtype != y.dtype:
                problems.append(f"{name}: {x.shape} {x.dtype} vs {y.shape} {y.dtype}")
                continue
            u, v = x[()], y[()]
            if u.dtype.kind not in "fiu":
                if not np.array_equal(u, v):
                    problems.append(f"{name}: differs")
                continue
            u, v = np.asarray(u, dtype=np.float64), np.asarray(v, dtype=np.float64)
            if np.array_equal(u, v, equal_nan=True):
                worst[name] = 0.0
                continue
            finite = np.isfinite(u) & np.isfinite(v)
            if not np.array_equal(u[~finite], v[~finite], equal_nan=True):
                problems.append(f"{name}: non-finite values differ")
            u, v = u[finite], v[finite]
            diff = np.abs(u - v)
            scale = np.abs(u)
            with np.errstate(divide="ignore", invalid="ignore"):
                rel = np.where(diff == 0, 0.0, diff / scale)
            r = float(rel.max()) if rel.size else 0.0
            worst[name] = r
            if r > rtol:
                k = int(np.argmax(rel))
                problems.append(f"{name}: max relative difference {r:.3e} ({u[k]!r} vs {v[k]!r})")
    psi = {k: r for k, r in worst.items() if k.endswith("/psi")}
    top = max(psi.values()) if psi else 0.0
    print(f"{other_path}: {len(worst)} numeric datasets, max relative difference {max(worst.values(), default=0):.3e}"
          f" (psi stacks and accumulated psi: {top:.3e})")
    for p in problems:
        print("  " + p)
    sys.exit(1 if problems else 0)


main()
