#!/usr/bin/env python3
"""Write phono3py's own output files for Si (Stillinger-Weber, the force constants of make_sample_data.py), as
phono3py writes them, for the tests of the phono3py readers:

  data/si/kappa-m444-kstar.hdf5, kappa-m888-kstar.hdf5   RTA with k-stars (irreducible q-points, weights > 1)
  data/si/phono3py-lbte-m444/                             LBTE, --reducible-colmat --write-collision: kappa-m444.hdf5
                                                          and one collision-m444-g<gp>.hdf5 per grid point

Usage: .venv-tools/bin/python tools/make_phono3py_files.py [--out data/si]   (environment: tools/requirements-sample.txt)
About 10 s on one core after the force constants (about 20 s).
"""
import argparse, glob, os, shutil, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_sample_data as m  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "data", "si"))
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    mat = m.MATERIALS["si"]
    calc = m.make_calculator(mat)
    ph3 = m.build_phono3py(mat, calc, m.relax_lattice_constant(mat, calc), log_level=0)
    with tempfile.TemporaryDirectory() as work:
        os.chdir(work)
        for mesh in (4, 8):
            ph3.mesh_numbers = [mesh] * 3
            ph3.init_phph_interaction()
            ph3.run_thermal_conductivity(temperatures=[m.TEMPERATURE], is_kappa_star=True, write_kappa=True)
            name = f"kappa-m{mesh}{mesh}{mesh}.hdf5"
            shutil.move(name, os.path.join(out, f"kappa-m{mesh}{mesh}{mesh}-kstar.hdf5"))
        ph3.mesh_numbers = [4] * 3
        ph3.init_phph_interaction()
        ph3.run_thermal_conductivity(is_LBTE=True, temperatures=[m.TEMPERATURE], is_reducible_collision_matrix=True,
                                     is_kappa_star=False, write_collision=True, write_kappa=True)
        lbte = os.path.join(out, "phono3py-lbte-m444")
        os.makedirs(lbte, exist_ok=True)
        for f in ["kappa-m444.hdf5"] + glob.glob("collision-m444-g*.hdf5"):
            shutil.move(f, os.path.join(lbte, os.path.basename(f)))
    print("written to", out)


if __name__ == "__main__":
    main()
