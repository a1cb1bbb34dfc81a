#!/usr/bin/env python3
"""Write the Stillinger-Weber force constants and phono3py's own mode Grueneisen parameters.

For each material this script rebuilds the force constants exactly as tools/make_sample_data.py does
(same relaxed lattice constant, 2x2x2 conventional supercell, 0.03 A displacements) and writes, in
phono3py's native layouts:
  fc2.hdf5            dataset force_constants (compact: n_prim, n_super, 3, 3; eV/A^2), p2s_map
  fc3.hdf5            dataset fc3 (compact: n_prim, n_super, n_super, 3, 3, 3; eV/A^3), p2s_map
  phono3py_disp.yaml  the structures (unit cell, primitive, supercell), as phono3py writes it
and the check product
  gruneisen-m<NNN>.hdf5   phono3py's Gruneisen class (ion relaxation included) at every q-point of
                          the sample data's kappa-m<NNN>.hdf5, in that file's order: qpoint (reduced),
                          frequency (THz), gruneisen (trace/3), gruneisen_tensor (3x3 per mode)
The Swift ingest recomputes the same quantities from fc2/fc3 (docs/smm.md, section 7), and
Tests/IngestTests/ForceConstantTests compares the two.

Usage:  .venv-tools/bin/python tools/make_force_constants.py [--out data/] [--material both] [--mesh 8]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_sample_data as sample  # noqa: E402


def build(mat_name):
    mat = sample.MATERIALS[mat_name]
    calc = sample.make_calculator(mat)
    a = sample.relax_lattice_constant(mat, calc)
    ph3 = sample.build_phono3py(mat, calc, a, log_level=0)
    return ph3, a


def compact_fc3(ph3):
    from phono3py.phonon3.fc3 import get_fc3  # noqa: F401  (import checks the API exists)

    ph3.produce_fc3(is_compact_fc=True)
    return np.array(ph3.fc3), np.array(ph3.primitive.p2s_map, dtype="int64")


def write_files(ph3, outdir, mesh):
    import h5py
    from phono3py.file_IO import write_fc2_to_hdf5, write_fc3_to_hdf5
    from phono3py.phonon3.gruneisen import Gruneisen

    fc3, p2s = compact_fc3(ph3)
    fc2 = np.array(ph3.fc2)
    if fc2.shape[0] == fc2.shape[1]:  # compact, as fc3
        fc2 = fc2[p2s]
    write_fc3_to_hdf5(fc3, filename=os.path.join(outdir, "fc3.hdf5"), p2s_map=p2s, compression="gzip")
    write_fc2_to_hdf5(fc2, filename=os.path.join(outdir, "fc2.hdf5"), p2s_map=p2s, compression="gzip")
    ph3.save(os.path.join(outdir, "phono3py_disp.yaml"), settings={"force_sets": False, "displacements": False,
                                                                     "force_constants": False})

    with h5py.File(os.path.join(outdir, f"kappa-m{mesh}{mesh}{mesh}.hdf5"), "r") as f:
        qpoints = np.array(f["qpoint"])
        freq_ref = np.array(f["frequency"])
    g = Gruneisen(fc2, fc3, ph3.supercell, ph3.primitive)
    g.set_qpoints(qpoints)
    g.run()
    tensor = np.array(g.gruneisen_parameters)
    freq = np.array(g.frequencies)
    gamma = (tensor[:, :, 0, 0] + tensor[:, :, 1, 1] + tensor[:, :, 2, 2]) / 3
    path = os.path.join(outdir, f"gruneisen-m{mesh}{mesh}{mesh}.hdf5")
    with h5py.File(path, "w") as w:
        w.create_dataset("qpoint", data=qpoints, compression="gzip", shuffle=True)
        w.create_dataset("frequency", data=freq, compression="gzip", shuffle=True)
        w.create_dataset("gruneisen", data=gamma, compression="gzip", shuffle=True)
        w.create_dataset("gruneisen_tensor", data=tensor, compression="gzip", shuffle=True)
        w.attrs["source"] = "phono3py.phonon3.gruneisen.Gruneisen (ion relaxation included), fc2/fc3 of this folder"
    return float(np.abs(freq - freq_ref).max()), gamma


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="data/")
    ap.add_argument("--material", choices=["si", "ge", "both"], default="both")
    ap.add_argument("--mesh", type=int, default=8, help="q-mesh of the kappa file whose q-points are used")
    args = ap.parse_args(argv)
    for name in (["si", "ge"] if args.material == "both" else [args.material]):
        t0 = time.time()
        ph3, a = build(name)
        outdir = os.path.join(args.out, name)
        dfreq, gamma = write_files(ph3, outdir, args.mesh)
        print(f"[{name}] a = {a:.6f} A; max |f - f(kappa file)| = {dfreq:.2e} THz; "
              f"gamma in [{gamma.min():.3f}, {gamma.max():.3f}]; {time.time() - t0:.1f} s", flush=True)


if __name__ == "__main__":
    main()
