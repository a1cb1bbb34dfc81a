"""κ_eff/κ_bulk of porous-cell runs: ⟨q_x⟩ over the whole cell (pore included) / |∇T| / κ_bulk.

usage: kappa_table.py OUT.json RUN.h5 ...   (each run file named cell-<Λ/L>-<n>-<polar>x<azimuthal>.h5)
       kappa_table.py --check GOLDEN.json OUT.json   every row within the golden value's rtol, else exit 1

⟨q_x⟩ weights the nodal heat flux of the run file with the lumped P1 node volumes (V_tet/4 to each corner); the cell
volume is the bounding box's, so the pore counts as volume with no flux. κ_bulk = C v Λ/3 from the run's own modes.
"""
import json
import re
import sys

import h5py
import numpy as np

GRADIENT = 1e6  # K m-1, as cell.toml.in


def kappa(path):
    with h5py.File(path, "r") as f:
        x = f["mesh/nodes"][:]
        t = f["mesh/tets"][:]
        q = f["accumulated/heat_flux"][:]
        region = f.attrs["regions"][0]
        region = region.decode() if isinstance(region, bytes) else region
        m = f[f"regions/{region}/modes"]
        c = m["heat_capacity"][:] * m["volume_weight"][:]
        v = m["velocity"][:]
        tau = m["lifetime"][:]
        ok = np.isfinite(tau)
        kbulk = float(np.sum((c * v[:, 0] ** 2 * tau)[ok]))
        sweeps = int(f["summary"].attrs["sweeps"]) if "summary" in f else None
    a = x[t[:, 0]]
    vol = np.einsum("ij,ij->i", x[t[:, 1]] - a, np.cross(x[t[:, 2]] - a, x[t[:, 3]] - a)) / 6
    w = np.zeros(len(x))
    np.add.at(w, t.ravel(), np.repeat(vol / 4, 4))
    cell = float(np.prod(x.max(0) - x.min(0)))
    return float(w @ q[:, 0]) / cell / GRADIENT / kbulk


def check(golden_path, table_path):
    golden = json.load(open(golden_path))
    rows = {(r["knudsen"], r["cells"], r["directions"]): r["kappa_ratio"] for r in json.load(open(table_path))["rows"]}
    bad = 0
    for g in golden["rows"]:
        key = (g["knudsen"], g["cells"], g["directions"])
        if key not in rows:
            print(f"{key}: missing from {table_path}")
            bad += 1
            continue
        err = abs(rows[key] - g["kappa_ratio"]) / abs(g["kappa_ratio"])
        ok = err <= g["rtol"]
        bad += not ok
        print(f"{key}: {rows[key]:.6f} golden {g['kappa_ratio']:.6f} rel {err:.1e} rtol {g['rtol']:g} {'ok' if ok else 'OFF'}")
    sys.exit(1 if bad else 0)


def main():
    if sys.argv[1] == "--check":
        check(sys.argv[2], sys.argv[3])
    out, runs = sys.argv[1], sys.argv[2:]
    rows = []
    for r in runs:
        k = re.search(r"cell-([0-9.]+)-([0-9]+)-([0-9]+)x([0-9]+)\.h5$", r)
        if not k:
            sys.exit(f"{r}: expected a name cell-<Λ/L>-<n>-<polar>x<azimuthal>.h5")
        rows.append({"knudsen": float(k[1]), "cells": int(k[2]), "directions": f"{k[3]}x{k[4]}", "kappa_ratio": kappa(r)})
    for row in rows:
        print(f"Λ/L = {row['knudsen']:<5g} n = {row['cells']:<3d} {row['directions']:>6} directions: κ_eff/κ_bulk = {row['kappa_ratio']:.4f}")
    with open(out + ".tmp", "w") as f:
        json.dump({"porosity": 0.25, "rows": rows}, f, indent=1)
    import os
    os.replace(out + ".tmp", out)


if __name__ == "__main__":
    main()
