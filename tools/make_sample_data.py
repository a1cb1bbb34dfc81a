#!/usr/bin/env python3
"""Generate the pbte-pipeline sample data (Stillinger-Weber Si and Ge).

For each material this script
  1. relaxes the diamond lattice constant with matscipy's many-body
     Stillinger-Weber calculator (through ASE),
  2. computes fc2 and fc3 with phono3py (2x2x2 conventional supercell,
     64 atoms, 0.03 A displacements),
  3. runs phono3py RTA at T = 300 K (tetrahedron method, no isotopes) on the
     full --mesh (no k-stars: every q-point of the mesh, weight 1) and keeps
     phono3py's own kappa-m<NNN>.hdf5,
  4. writes d3q-style text files (q, freq, vel, lw, lw_N, lw_U) exactly in the
     layout of d3q's d3_tk.x with store_lw=.true., plus a crystal header in
     the style of d3q's mat2R header,
  5. runs phono3py LBTE with the full reducible collision matrix at the
     --full-matrix-mesh, captures it together with the per-q rows, rebuilds
     the physical (energy-conserving up to discretisation) collision matrix
     P -- phono3py's own Omega is valid only for deviations odd in q, see
     physical_collision_matrix() and docs/sample-data.md section 3 -- converts
     it to the project's collision operator A = 4 pi S P S^-1 (psi basis,
     ps^-1) and writes it as HDF5 and as the project's text format
     (data-schema/scattering-text.md),
  6. recomputes kappa from the converted files and writes reference.json.

See docs/sample-data.md and data-schema/*.md.
Usage:  python tools/make_sample_data.py [--mesh 8] [--full-matrix-mesh 4]
                                         [--out data/] [--material both]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gzip
import json
import math
import os
import platform
import shutil
import sys
import tempfile
import time
from importlib import metadata

import numpy as np

# ---------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------
# Fundamental constants (CODATA 2018, as used by phonopy/phono3py).
HBAR = 1.054571817e-34  # J s
KB = 1.380649e-23  # J/K
HPLANCK = 6.62607015e-34  # J s
THZ = 1.0e12

# d3q / Quantum ESPRESSO constants (thermal2/more_constants.f90, QE constants.f90)
BOHR_ANGSTROM = 0.52917720859  # QE BOHR_RADIUS_ANGS
BOHR_SI = BOHR_ANGSTROM * 1e-10
H_PLANCK_SI_QE = 6.62606896e-34
RYDBERG_SI_QE = 4.35974394e-18 / 2.0
RYVEL_SI = BOHR_SI / (H_PLANCK_SI_QE / RYDBERG_SI_QE)  # d3q's ryvel_si, 1.7409e5
RY_VELOCITY_SI = 2.0 * math.pi * RYVEL_SI  # true Ry velocity unit: 1.0938e6 m/s
MASS_DALTON_TO_RY = 0.5 * 1822.88839  # d3q more_constants.f90: 911.444195
THZ_PER_CMM1 = 0.0299792458  # 1 cm^-1 = 0.0299792458 THz
AMU_KG = 1.66053906660e-27

TEMPERATURE = 300.0
DISPLACEMENT = 0.03  # Angstrom

# Stillinger-Weber parameters. Si: Stillinger & Weber, PRB 31, 5262 (1985).
# Ge: Ding & Andersen, PRB 34, 6987 (1986): eps = 1.93 eV, sigma = 2.181 A,
# lambda = 31, the other reduced parameters as Si.
SW_COMMON = dict(
    costheta0=1.0 / 3.0,
    A=7.049556277,
    B=0.6022245584,
    p=4,
    a=1.80,
    gamma=1.20,
)
MATERIALS = {
    "si": dict(
        element="Si",
        sw=dict(el="Si", epsilon=2.1683, sigma=2.0951, lambda1=21.0, **SW_COMMON),
        a_guess=5.431,
        a_expected=5.43095,
        reference_kappa="Stillinger-Weber Si, docs/input-formats.md §4",
    ),
    "ge": dict(
        element="Ge",
        sw=dict(el="Ge", epsilon=1.93, sigma=2.181, lambda1=31.0, **SW_COMMON),
        a_guess=5.654,
        a_expected=5.65362,
        reference_kappa="Ding-Andersen Ge, docs/input-formats.md §4",
    ),
}


# ---------------------------------------------------------------------------
# Fortran-style number formatting
# ---------------------------------------------------------------------------
def fortran_e(x: float, w: int = 20, d: int = 10) -> str:
    """Format x like gfortran's Ew.d edit descriptor (e.g. E20.10).

    gfortran writes 0.dddddddddd E+xx; with |exponent| > 99 the 'E' is dropped
    ("0.1234567890-100"), as the Fortran standard prescribes for Ew.d.
    """
    if not math.isfinite(x):
        s = "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity")
        return s.rjust(w)
    if x == 0.0:
        digits, e = "0" * d, 0
    else:
        s = f"{abs(x):.{d - 1}e}"
        mant, ex = s.split("e")
        digits = mant.replace(".", "")
        e = int(ex) + 1
    if abs(e) <= 99:
        ef = f"E{'-' if e < 0 else '+'}{abs(e):02d}"
    elif abs(e) <= 999:
        ef = f"{'-' if e < 0 else '+'}{abs(e):03d}"
    else:
        return "*" * w
    out = ("-" if math.copysign(1.0, x) < 0 else "") + "0." + digits + ef  # gfortran prints -0.0 as -0.0...
    if len(out) > w:
        return "*" * w
    return out.rjust(w)


def fortran_f(x: float, w: int, d: int) -> str:
    s = f"{x:{w}.{d}f}"
    return "*" * w if len(s) > w else s


def fortran_i(n: int, w: int) -> str:
    s = f"{n:{w}d}"
    return "*" * w if len(s) > w else s


# ---------------------------------------------------------------------------
# Structure and force constants
# ---------------------------------------------------------------------------
def make_calculator(mat):
    from matscipy.calculators.manybody import Manybody
    from matscipy.calculators.manybody.explicit_forms.stillinger_weber import (
        StillingerWeber,
    )

    return Manybody(**StillingerWeber(dict(mat["sw"])))


def relax_lattice_constant(mat, calc) -> float:
    from ase.build import bulk
    from scipy.optimize import minimize_scalar

    def energy(a):
        at = bulk(mat["element"], "diamond", a=a, cubic=True)
        at.calc = calc
        return at.get_potential_energy() / len(at)

    a0 = mat["a_guess"]
    res = minimize_scalar(energy, bracket=(a0 - 0.1, a0, a0 + 0.1), tol=1e-12)
    return float(res.x)


def build_phono3py(mat, calc, a, log_level):
    from ase import Atoms
    from ase.build import bulk
    from phono3py import Phono3py
    from phonopy.structure.atoms import PhonopyAtoms

    conv = bulk(mat["element"], "diamond", a=a, cubic=True)
    unitcell = PhonopyAtoms(
        symbols=conv.get_chemical_symbols(),
        cell=np.array(conv.cell[:]),
        scaled_positions=conv.get_scaled_positions(),
    )
    ph3 = Phono3py(
        unitcell,
        supercell_matrix=[2, 2, 2],
        primitive_matrix="F",
        log_level=log_level,
    )
    ph3.generate_displacements(distance=DISPLACEMENT)
    forces = []
    for sc in ph3.supercells_with_displacements:
        if sc is None:  # not needed with the default (no pair cutoff)
            forces.append(np.zeros((len(ph3.supercell), 3)))
            continue
        atoms = Atoms(
            sc.symbols, cell=sc.cell, scaled_positions=sc.scaled_positions, pbc=True
        )
        atoms.calc = calc
        forces.append(atoms.get_forces())
    ph3.forces = np.array(forces)
    ph3.produce_fc3()
    return ph3


# ---------------------------------------------------------------------------
# Crystal information and conversions
# ---------------------------------------------------------------------------
class Crystal:
    def __init__(self, ph3, a_angstrom):
        prim = ph3.primitive
        self.a = a_angstrom
        self.alat_bohr = a_angstrom / BOHR_ANGSTROM
        self.cell = np.array(prim.cell)  # rows, Angstrom
        self.at_alat = self.cell / a_angstrom  # rows in alat units
        self.positions_alat = np.array(prim.positions) / a_angstrom
        self.symbols = list(prim.symbols)
        self.masses_amu = np.array(prim.masses)
        self.volume_A3 = abs(np.linalg.det(self.cell))
        self.volume_m3 = self.volume_A3 * 1e-30
        self.nat = len(self.symbols)
        self.nat3 = 3 * self.nat
        # reciprocal basis: rows b_i with a_i . b_j = delta_ij, in units 1/alat
        # -> q_cart [2pi/alat] = q_red @ B
        self.B = np.linalg.inv(self.at_alat).T
        self.density = float(self.masses_amu.sum() * AMU_KG / self.volume_m3)

    def q_cart_2pi_alat(self, q_red):
        return np.asarray(q_red) @ self.B

    def species(self):
        sp = []
        for s, m in zip(self.symbols, self.masses_amu):
            if s not in [x[0] for x in sp]:
                sp.append((s, float(m)))
        return sp


def write_crystal_header(path, cr: Crystal):
    """d3q mat2R header, as written by ph_system.f90 write_system()."""
    sp = cr.species()
    ityp = [1 + [x[0] for x in sp].index(s) for s in cr.symbols]
    celldm = [cr.alat_bohr, 0, 0, 0, 0, 0]
    lines = []
    lines.append(
        "".join(fortran_i(n, 9) for n in (len(sp), cr.nat, 0))
        + "".join(fortran_f(c, 25, 16) for c in celldm)
    )
    for v in cr.at_alat:  # WRITE(unit,"(3f25.16)") S%at(1:3,1:3): a1, a2, a3
        lines.append("".join(fortran_f(c, 25, 16) for c in v))
    for i, (s, m) in enumerate(sp, 1):  # '(i9,2x,a9,f25.16)'
        lines.append(fortran_i(i, 9) + "  " + f"'{s}'".rjust(9) + fortran_f(m * MASS_DALTON_TO_RY, 25, 16))
    for ia in range(cr.nat):  # '(2i9,3f25.16)'
        lines.append(
            fortran_i(ia + 1, 9)
            + fortran_i(ityp[ia], 9)
            + "".join(fortran_f(c, 25, 16) for c in cr.positions_alat[ia])
        )
    lines.append("     F   FFF")  # '(5x,l,3x,3l)' lrigid, nopbc(3); gfortran: L without width = L1
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def write_d3q_files(outdir, prefix, cr: Crystal, qred, freq_thz, gv_thzA, gamma_thz,
                    gamma_N=None, gamma_U=None, T=TEMPERATURE, sigma_label="0",
                    sigma_value=0.0):
    """Write q., freq., vel., lw.(, lw_N., lw_U.) files as d3_tk.x store_lw does."""
    nq = len(qred)
    qc = cr.q_cart_2pi_alat(qred)
    w = 1.0 / nq
    files = {}

    def header(f, title):
        f.write(" " + title + "\n")  # list-directed write: leading blank

    def confline():
        # '(a,i6,a,f6.1,a,100f6.1)' "# ", it, "     T=", T, "    sigma=", sigma
        return ("# " + fortran_i(1, 6) + "     T=" + fortran_f(T, 6, 1)
                + "    sigma=" + fortran_f(sigma_value, 6, 1) + "\n")

    p = os.path.join(outdir, f"q.{prefix}.out")
    with open(p, "w") as f:
        header(f, "# qpoint [2pi/alat], weight")
        for i in range(nq):
            f.write("".join(fortran_e(x) for x in (*qc[i], w)) + "\n")
    files["q"] = p

    p = os.path.join(outdir, f"freq.{prefix}.out")
    with open(p, "w") as f:
        header(f, "# phonon frequencies")
        for i in range(nq):
            f.write("".join(fortran_e(x / THZ_PER_CMM1) for x in freq_thz[i]) + "\n")
    files["freq"] = p

    p = os.path.join(outdir, f"vel.{prefix}.out")
    vel_ry = gv_thzA * 100.0 / RY_VELOCITY_SI  # THz*A -> m/s -> Ry units
    with open(p, "w") as f:
        header(f, "# ph group velocity x1, y1, z1, x2, y2, z2, ...")
        for i in range(nq):
            f.write("".join(fortran_e(x) for x in vel_ry[i].reshape(-1)) + "\n")
    files["vel"] = p

    Tlab = str(int(T)) if float(T).is_integer() else repr(T)
    for key, name, title, g in (
        ("lw", "lw", "# linewidth [cm^-1]", gamma_thz),
        ("lw_N", "lw_N", "# linewidth NORMAL [cm^-1]", gamma_N),
        ("lw_U", "lw_U", "# linewidth UMKLAPP [cm^-1]", gamma_U),
    ):
        if g is None:
            continue
        p = os.path.join(outdir, f"{name}.{prefix}_T{Tlab}_s{sigma_label}.out")
        with open(p, "w") as f:
            header(f, title)
            f.write(confline())
            for i in range(nq):
                f.write("".join(fortran_e(x / THZ_PER_CMM1) for x in g[i]) + "\n")
        files[key] = p
    return files


# ---------------------------------------------------------------------------
# Readers for the files just written (end-to-end check of the conversions)
# ---------------------------------------------------------------------------
def _fortran_float(tok: str) -> float:
    t = tok.replace("D", "E").replace("d", "e")
    if "E" not in t.upper():
        # 0.1234567890+100 (Ew.d with 3-digit exponent): insert the E
        k = max(t.rfind("+"), t.rfind("-"))
        if k > 0:
            t = t[:k] + "E" + t[k:]
    return float(t)


def read_d3q_table(path):
    rows = []
    with open(path) as f:
        for line in f:
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            rows.append([_fortran_float(t) for t in s.split()])
    return np.array(rows)


def read_crystal_header(path):
    with open(path) as f:
        toks = [ln.split() for ln in f]
    ntyp, nat, ibrav = int(toks[0][0]), int(toks[0][1]), int(toks[0][2])
    alat = float(toks[0][3])
    k = 1
    assert ibrav == 0
    at = np.array([[float(x) for x in toks[k + i]] for i in range(3)])
    k += 3
    masses = {}
    for i in range(ntyp):
        masses[int(toks[k][0])] = float(toks[k][2])
        k += 1
    ityp = []
    for i in range(nat):
        ityp.append(int(toks[k][1]))
        k += 1
    vol_bohr3 = abs(np.linalg.det(at)) * alat**3
    return dict(alat=alat, at=at, masses=masses, ityp=ityp, volume_bohr3=vol_bohr3)


def rta_kappa_from_d3q_files(files, crystal_path, T=TEMPERATURE):
    """kappa_RTA like d3q's tools/recompute-sma.m, in SI units, 3x3 tensor."""
    cr = read_crystal_header(crystal_path)
    freq_cm = read_d3q_table(files["freq"])
    vel = read_d3q_table(files["vel"]) * RY_VELOCITY_SI  # m/s
    lw_cm = read_d3q_table(files["lw"])
    qw = read_d3q_table(files["q"])
    nq, nb = freq_cm.shape
    vel = vel.reshape(nq, nb, 3)
    V = cr["volume_bohr3"] * BOHR_SI**3
    omega = 2 * math.pi * freq_cm * THZ_PER_CMM1 * THZ  # rad/s
    lw_ang = 2 * math.pi * lw_cm * THZ_PER_CMM1 * THZ  # HWHM, rad/s
    mask = lw_cm > 0
    tau = np.zeros_like(lw_ang)
    tau[mask] = 1.0 / (2.0 * lw_ang[mask])  # tau = 1/(2 gamma), gamma HWHM angular
    x = HBAR * omega / (KB * T)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        n = 1.0 / np.expm1(x)
        C = np.where(mask, KB * x**2 * n * (n + 1), 0.0)
    w = qw[:, 3]
    kap = np.einsum("q,qb,qbi,qbj,qb->ij", w, C, vel, vel, tau) / V
    return kap, int((~mask).sum()), float(w.sum())


# ---------------------------------------------------------------------------
# Collision matrix: capture and conversion
# ---------------------------------------------------------------------------
@contextlib.contextmanager
def capture_collision_matrix(store: dict):
    """Capture phono3py's reducible collision matrix and the parts needed to
    rebuild the physical collision operator (phono3py 4.10 Python API).

    * ``diagonalize_collision_matrix`` overwrites the matrix with its
      eigenvectors; the wrapper copies it first -> store["Omega"].
    * ``CollisionMatrix._run_collision_matrix`` computes, per grid point q, the
      off-diagonal row  R[(q,j), (q',k)] = sum_l |Phi|^2 g2 / sinh(w''_l/2kT)
      with g2 = d(w-w'-w'') + d(w+w'-w'') + d(w-w'+w'') (triplet q+q'+q''=G).
      The wrapper recomputes the same row with numpy (checked against
      phono3py's) and, separately, the part with d(w+w'-w'') only, in which
      (q',k) is the *absorbed* partner at +q'. In the other two terms the
      partner (q',k) is *emitted* and physically sits at -q'.
      -> store["rows"][gr] = (R_total_row, R_absorb_row).
    """
    import phono3py.conductivity.collision_matrix_kernel as cmk
    from phono3py.phonon3.collision_matrix import CollisionMatrix

    orig_diag = cmk.diagonalize_collision_matrix
    orig_run = CollisionMatrix._run_collision_matrix
    store.setdefault("rows", {})

    def wrapped_diag(collision_matrices, i_sigma=None, i_temp=None, **kw):
        store["Omega"] = np.array(collision_matrices[i_sigma, i_temp], copy=True)
        return orig_diag(collision_matrices, i_sigma=i_sigma, i_temp=i_temp, **kw)

    def wrapped_run(self):
        orig_run(self)
        if not self._is_reducible_collision_matrix or not self._temperature > 0:
            return
        gp2tp, tp2s, swapped = self._get_gp2tp_map()
        pp, g = self._pp_strength, self._g
        n_gp = len(gp2tp)
        inv_sinh = np.array([self._get_inv_sinh(int(tp2s[i])) for i in range(n_gp)])
        g_abs = 0.5 * (g[2] - g[0] + g[1])  # d(w + w' - w'')
        g_emi = 0.5 * (g[2] - g[0] - g[1])  # d(w - w' + w'')
        pp_t = pp[gp2tp].copy()
        g2_t = g[2][gp2tp].copy()
        ga_t = g_abs[gp2tp].copy()
        sw = swapped.astype(bool)
        # swapped: the stored triplet is (q, q'', q'): use [j, :, k]; the
        # absorbed term for (q', q'') is then the stored "emitted" one.
        pp_t[sw] = pp_t[sw].transpose(0, 1, 3, 2)
        g2_t[sw] = g2_t[sw].transpose(0, 1, 3, 2)
        ga_t[sw] = g_emi[gp2tp][sw].transpose(0, 1, 3, 2)
        uc = self._unit_conversion
        r_tot = np.einsum("njkl,nl,njkl->jnk", pp_t, inv_sinh, g2_t) * uc
        r_abs = np.einsum("njkl,nl,njkl->jnk", pp_t, inv_sinh, ga_t) * uc
        gr = int(self._pp.bz_grid.bzg2grg[self._grid_point])
        err = float(np.abs(r_tot - self._collision_matrix).max())
        store["rows"][gr] = (r_tot, r_abs)
        store["row_check_max_abs_err"] = max(store.get("row_check_max_abs_err", 0.0), err)

    cmk.diagonalize_collision_matrix = wrapped_diag
    CollisionMatrix._run_collision_matrix = wrapped_run
    try:
        yield store
    finally:
        cmk.diagonalize_collision_matrix = orig_diag
        CollisionMatrix._run_collision_matrix = orig_run


def bose(freq_thz, T):
    x = HPLANCK * freq_thz * THZ / (KB * T)
    with np.errstate(over="ignore", divide="ignore"):
        return 1.0 / np.expm1(x)


def minus_q_permutation(qpoints_red, mesh, nb):
    """Mode permutation (q, j) -> (-q, j) on a Gamma-centred mesh."""
    addr = np.rint(np.asarray(qpoints_red) * mesh).astype(int) % mesh
    key = {tuple(x): i for i, x in enumerate(addr)}
    assert len(key) == len(addr)
    pq = np.array([key[tuple((-x) % mesh)] for x in addr])
    return (pq[:, None] * nb + np.arange(nb)[None, :]).reshape(-1)


def physical_collision_matrix(store, gamma_thz, qpoints_red, mesh, nb):
    """Rebuild the physical (energy-conserving) collision matrix.

    Returns P (M, M) in THz, symmetric, in the scaled basis
    f = psi / sqrt(n(n+1)), with the RTA diagonal P_mm = gamma_m (HWHM):

        P = sym( diag(gamma) + R_abs - (R_tot - R_abs) Pi ),

    Pi: (q', k) -> (-q', k); sym(X) = (X + X^T)/2 as phono3py does.
    phono3py's own Omega = sym(diag(gamma) + R_tot) equals P only on vectors
    odd under q -> -q (all it needs for kappa); on even vectors (a uniform
    temperature change) it does not conserve energy.
    """
    nq = len(qpoints_red)
    M = nq * nb
    Rt = np.zeros((nq, nb, nq, nb))
    Ra = np.zeros((nq, nb, nq, nb))
    for gr, (rt, ra) in store["rows"].items():
        Rt[gr] = rt
        Ra[gr] = ra
    Rt = Rt.reshape(M, M)
    Ra = Ra.reshape(M, M)
    g = np.asarray(gamma_thz).reshape(-1)
    Omega = store["Omega"].reshape(M, M)
    omega_check = float(np.abs(Omega - (np.diag(g) + 0.5 * (Rt + Rt.T))).max() / np.abs(Omega).max())
    perm = minus_q_permutation(qpoints_red, mesh, nb)
    P = np.diag(g) + Ra - (Rt - Ra)[:, perm]
    asym = float(np.linalg.norm(P - P.T) / np.linalg.norm(P - np.diag(np.diag(P))))
    P = 0.5 * (P + P.T)
    return P, dict(omega_rebuild_rel_err=omega_check, offdiag_rel_asymmetry_before_sym=asym,
                   row_check_max_abs_err_THz=store.get("row_check_max_abs_err"))


def omega_to_A(Omega, freq_thz, T, cutoff_thz):
    """Symmetric scaled-basis collision matrix (THz) -> collision operator A.

    Omega: (M, M), THz, symmetric, in the scaled basis f = psi / sqrt(n(n+1))
    (Chaput), with Omega_mm = gamma_m (HWHM, THz) in the RTA limit.
    A: (M, M), ps^-1, psi basis: dpsi/dt|coll = -A psi, A_mm = 1/tau_m.

        A = 4 pi * S Omega S^-1,   S = diag(sqrt(n(n+1)))

    Modes at or below phono3py's cutoff frequency get zero rows and columns.
    """
    f = freq_thz.reshape(-1)
    ok = f > cutoff_thz
    n = bose(np.where(ok, f, 1.0), T)
    s = np.where(ok, np.sqrt(n * (n + 1.0)), 0.0)
    sinv = np.where(ok, 1.0 / np.where(ok, s, 1.0), 0.0)
    A = 4.0 * math.pi * (s[:, None] * Omega * sinv[None, :])
    return A, ok


def conservation_residuals(A, freq_thz, T, ok):
    """Relative residuals of energy conservation and of A dn/dT = 0."""
    f = freq_thz.reshape(-1)
    hw = HPLANCK * f * THZ
    n = bose(np.where(ok, f, 1.0), T)
    dndT = np.where(ok, hw * n * (n + 1) / (KB * T * T), 0.0)
    e = hw @ A  # sum_mu hw_mu A_mu,nu
    e_ref = np.abs(hw) @ np.abs(A)
    r = A @ dndT
    r_ref = np.abs(A) @ np.abs(dndT)
    diag_ref = np.abs(np.diag(A) * dndT)
    return dict(
        energy_conservation_rel=float(np.linalg.norm(e) / np.linalg.norm(e_ref)),
        energy_conservation_rel_median_column=float(np.median(np.abs(e[ok]) / e_ref[ok])),
        dndT_null_rel=float(np.linalg.norm(r) / np.linalg.norm(r_ref)),
        dndT_null_vs_diagonal=float(np.linalg.norm(r) / np.linalg.norm(diag_ref)),
    )


def kappa_from_A(A_ps, freq_thz, gv_ms, V_m3, T, ok, rcond=1e-10):
    """kappa (3x3, W/m/K) in the psi convention.

    BTE: v.grad(n) = -A psi  =>  A psi^(b) = v_b dn/dT (per unit -dT/dx_b),
    heat flux q_a = 1/(N V) sum hbar w v_a psi  =>
    kappa_ab = 1/(N V) sum_mu hbar w_mu v_a,mu psi^(b)_mu.
    A restricted to the modes with ok=True, solved by least squares with
    singular values below rcond*max dropped (pseudo-inverse).
    """
    f = freq_thz.reshape(-1)
    M = len(f)
    nq = freq_thz.shape[0]
    v = gv_ms.reshape(M, 3)
    hw = HPLANCK * f * THZ
    n = bose(np.where(ok, f, 1.0), T)
    dndT = np.where(ok, hw * n * (n + 1) / (KB * T * T), 0.0)
    idx = np.where(ok)[0]
    As = A_ps[np.ix_(idx, idx)] * 1e12  # s^-1
    rhs = v[idx] * dndT[idx, None]  # (m, 3)
    psi, *_ = np.linalg.lstsq(As, rhs, rcond=rcond)
    kap = np.einsum("m,ma,mb->ab", hw[idx], v[idx], psi) / (nq * V_m3)
    return kap


def kappa_rta_modes(freq_thz, gv_ms, inv_tau_ps, V_m3, T, ok):
    f = freq_thz.reshape(-1)
    nq = freq_thz.shape[0]
    v = gv_ms.reshape(-1, 3)
    hw = HPLANCK * f * THZ
    n = bose(np.where(ok, f, 1.0), T)
    C = np.where(ok, hw * hw * n * (n + 1) / (KB * T * T), 0.0)
    tau = np.where(ok & (inv_tau_ps > 0), 1e-12 / np.where(inv_tau_ps > 0, inv_tau_ps, 1), 0.0)
    return np.einsum("m,ma,mb,m->ab", C, v, v, tau) / (nq * V_m3)


def kappa_phono3py_style(Omega, freq_thz, gv_thzA, T, cutoff, V_A3, pinv_cutoff=1e-8):
    """docs/input-formats.md §3 recipe (phono3py's own formula), W/m/K 3x3."""
    from phonopy.physical_units import get_physical_units

    u = get_physical_units()
    f = freq_thz.reshape(-1)
    v = gv_thzA.reshape(-1, 3)
    nq = freq_thz.shape[0]
    hnu = f * u.THzToEv
    ok = f > cutoff
    with np.errstate(over="ignore", divide="ignore"):
        sh = np.where(ok, np.sinh(hnu / (2 * u.KB * T)), 1.0)
    X = np.where(ok[:, None], v * (hnu / (4 * u.KB * T * T * sh))[:, None], 0.0)
    w, U = np.linalg.eigh(Omega)
    winv = np.where(np.abs(w) > pinv_cutoff, 1.0 / np.where(w == 0, 1, w), 0.0)
    Y = U @ (winv[:, None] * (U.T @ X))
    conv = _phono3py_kappa_conversion(V_A3)
    kap = u.KB * T * T * conv / nq * (X.T @ Y + Y.T @ X)
    return kap, dict(null_dims=int((np.abs(w) <= pinv_cutoff).sum()),
                     lowest_eigenvalues_THz=[float(x) for x in w[:8]])


def _phono3py_kappa_conversion(V_A3):
    from phono3py.conductivity.utils import get_unit_to_WmK

    # (THz*Angstrom)**2 / Angstrom**3 * EV / THz / (2 pi), divided by the cell volume
    return get_unit_to_WmK() / V_A3


def kappa6_to_tensor(k6):
    """phono3py order xx yy zz yz xz xy -> 3x3."""
    xx, yy, zz, yz, xz, xy = k6
    return np.array([[xx, xy, xz], [xy, yy, yz], [xz, yz, zz]])


def tensor_list(t):
    return [[float(x) for x in row] for row in np.asarray(t)]


# ---------------------------------------------------------------------------
# Project text format for the scattering matrix
# ---------------------------------------------------------------------------
def write_scatter_text(path, A, nq, nb, qmesh, T, material, qfile, zero_modes, compresslevel=9):
    nm = nq * nb
    assert A.shape == (nm, nm)
    opener = gzip.open if path.endswith(".gz") else open
    kw = dict(compresslevel=compresslevel) if path.endswith(".gz") else {}
    with opener(path, "wt", **kw) as f:
        f.write("# pbte-scatter format_version 1\n")
        f.write(f"# nmodes {nm}  nq {nq}  nbranch {nb}  qmesh {qmesh[0]} {qmesh[1]} {qmesh[2]}\n")
        f.write(f"# T {T:.1f} K\n")
        f.write("# unit ps-1\n")
        f.write("# basis psi\n")
        f.write("# quantity collision_operator_A\n")
        f.write("# storage dense\n")
        f.write(f"# material {material}\n")
        f.write(f"# qfile {qfile}\n")
        f.write("# zero_modes " + " ".join(str(m + 1) for m in zero_modes) + "\n")
        f.write("# source phono3py 4.10 reducible collision rows, rebuilt as the physical matrix P "
                "(THz, sqrt(n(n+1)) basis); A = 4*pi * S P S^-1, S = diag(sqrt(n(n+1)))\n")
        f.write("# row mu: A(mu,1) ... A(mu,nmodes); mu = iq*nbranch + branch + 1 "
                "(iq, branch 0-based; iq in the order of qfile)\n")
        for row in A:
            f.write(" ".join(f"{x:.16E}" for x in row) + "\n")


def read_scatter_text(path):
    """Minimal reader (dense and sparse) used to check the written file."""
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    hdr = {}
    rows = []
    trip = []
    with opener(path, "rt") as f:
        for line in f:
            s = line.strip()
            if not s:
                continue
            if s.startswith("#"):
                toks = s[1:].split()
                if toks and not rows and not trip:
                    hdr.setdefault(toks[0], toks[1:])
                continue
            if hdr.get("storage", ["dense"])[0] == "dense":
                rows.append([float(t) for t in s.split()])
            else:
                a, b, c = s.split()
                trip.append((int(a) - 1, int(b) - 1, float(c)))
    nm = int(hdr["nmodes"][0])
    if rows:
        A = np.array(rows)
    else:
        A = np.zeros((nm, nm))
        for a, b, c in trip:
            A[a, b] = c
    assert A.shape == (nm, nm)
    return hdr, A


# ---------------------------------------------------------------------------
# Main per-material routine
# ---------------------------------------------------------------------------
def rta_run(ph3, mesh, workdir, is_N_U=True):
    ph3.mesh_numbers = [mesh] * 3
    ph3.init_phph_interaction()
    with _cwd(workdir):
        ph3.run_thermal_conductivity(
            temperatures=[TEMPERATURE],
            is_kappa_star=False,
            is_N_U=is_N_U,
            write_kappa=True,
        )
    tc = ph3.thermal_conductivity
    fname = os.path.join(workdir, f"kappa-m{mesh}{mesh}{mesh}.hdf5")
    return tc, fname


def rta_star_kappa(ph3, mesh):
    """Plain RTA with k-stars (what `phono3py --br` prints) for reference."""
    ph3.mesh_numbers = [mesh] * 3
    ph3.init_phph_interaction()
    ph3.run_thermal_conductivity(temperatures=[TEMPERATURE], is_kappa_star=True)
    return np.array(ph3.thermal_conductivity.kappa[0, 0])


def lbte_run(ph3, mesh, physical=True):
    """LBTE with the full reducible collision matrix.

    Returns the calculator, phono3py's Omega (M, M) and, if physical, the
    rebuilt physical matrix P (M, M) plus diagnostics (see
    physical_collision_matrix)."""
    ph3.mesh_numbers = [mesh] * 3
    ph3.init_phph_interaction()
    store = {}
    with capture_collision_matrix(store):
        ph3.run_thermal_conductivity(
            is_LBTE=True,
            temperatures=[TEMPERATURE],
            is_reducible_collision_matrix=True,
            is_kappa_star=False,
        )
    tc = ph3.thermal_conductivity
    nq, nb = tc.frequencies.shape[0], tc.frequencies.shape[1]
    Omega = store["Omega"].reshape(nq * nb, nq * nb)
    P, diag = (None, {})
    if physical:
        P, diag = physical_collision_matrix(store, np.array(tc.gamma[0, 0]),
                                            np.array(tc.qpoints), mesh, nb)
    store.clear()
    return tc, Omega, P, diag


@contextlib.contextmanager
def _cwd(path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def rel(a, b):
    return float(abs(a - b) / abs(b))


def process_material(name, args, versions):
    t_start = time.time()
    mat = MATERIALS[name]
    outdir = os.path.join(args.out, name)
    os.makedirs(outdir, exist_ok=True)
    log = lambda *a: print(f"[{name}]", *a, flush=True)  # noqa: E731
    calc = make_calculator(mat)
    a = relax_lattice_constant(mat, calc)
    log(f"relaxed a = {a:.6f} A (expected {mat['a_expected']})")
    ph3 = build_phono3py(mat, calc, a, log_level=args.log_level)
    cutoff = float(ph3._cutoff_frequency)  # phono3py default 1e-4 THz (no public getter in 4.10)
    cr = Crystal(ph3, a)
    t_fc = time.time()
    log(f"fc2/fc3 done in {t_fc - t_start:.1f} s; Omega = {cr.volume_A3:.4f} A^3")

    crystal_path = os.path.join(outdir, f"crystal.{name}.txt")
    write_crystal_header(crystal_path, cr)

    ref = dict(
        material=name,
        potential=dict(kind="Stillinger-Weber (matscipy Manybody)", **{k: v for k, v in mat["sw"].items()}),
        lattice_constant_angstrom=a,
        lattice_constant_expected_angstrom=mat["a_expected"],
        alat_bohr=cr.alat_bohr,
        bohr_angstrom=BOHR_ANGSTROM,
        primitive_cell_angstrom=tensor_list(cr.cell),
        cell_volume_angstrom3=cr.volume_A3,
        cell_volume_m3=cr.volume_m3,
        density_kg_m3=cr.density,
        masses_amu={s: m for s, m in cr.species()},
        nat=cr.nat,
        nbranch=cr.nat3,
        temperature_K=TEMPERATURE,
        supercell="2x2x2 conventional (64 atoms), fc2 and fc3",
        displacement_angstrom=DISPLACEMENT,
        integration="tetrahedron method (phono3py default), no isotopes",
        cutoff_frequency_THz=cutoff,
        kappa_order_note="tensors are 3x3 [[xx,xy,xz],[yx,yy,yz],[zx,zy,zz]] W/m/K; "
                         "*_phono3py6 are phono3py's raw 6-vectors in order xx yy zz yz xz xy",
    )

    # ---------------- main mesh: RTA ----------------
    work = tempfile.mkdtemp(prefix=f"p3-{name}-")
    m = args.mesh
    t0 = time.time()
    tc, kfile = rta_run(ph3, m, work)
    t_rta = time.time() - t0
    log(f"RTA {m}^3 (full mesh) in {t_rta:.1f} s: kappa = {tc.kappa[0, 0]}")
    kname = f"kappa-m{m}{m}{m}.hdf5"
    shutil.copyfile(kfile, os.path.join(outdir, kname))
    freq = np.array(tc.frequencies)
    gv = np.array(tc.group_velocities)
    qred = np.array(tc.qpoints)
    gamma = np.array(tc.gamma[0, 0])
    gN, gU = tc.get_gamma_N_U()
    gN = None if gN is None else np.array(gN[0, 0])
    gU = None if gU is None else np.array(gU[0, 0])
    assert len(qred) == m**3 and np.all(np.array(tc.grid_weights) == 1)
    prefix = f"{name}.{m}x{m}x{m}"
    files = write_d3q_files(outdir, prefix, cr, qred, freq, gv, gamma, gN, gU)
    kap_files, nflag, wsum = rta_kappa_from_d3q_files(files, crystal_path)
    k_p3 = kappa6_to_tensor(tc.kappa[0, 0])
    log(f"RTA kappa_xx from d3q text files = {kap_files[0, 0]:.3f}  (phono3py {k_p3[0, 0]:.3f})")
    t0 = time.time()
    k_star = rta_star_kappa(ph3, m)
    log(f"RTA {m}^3 with k-stars: {k_star} ({time.time() - t0:.1f} s)")
    ref["main_mesh"] = dict(
        mesh=[m] * 3,
        prefix=prefix,
        nq=int(len(qred)),
        nmodes=int(freq.size),
        files=sorted(os.path.basename(p) for p in list(files.values()) + [kname, os.path.basename(crystal_path)]),
        modes_flagged_zero_gamma=int((gamma <= 0).sum()),
        flagged_modes_1based=[int(i) + 1 for i in np.where(gamma.reshape(-1) <= 0)[0]],
        kappa_RTA_phono3py_full_mesh=tensor_list(k_p3),
        kappa_RTA_phono3py_full_mesh_phono3py6=[float(x) for x in tc.kappa[0, 0]],
        kappa_RTA_phono3py_kstar=tensor_list(kappa6_to_tensor(k_star)),
        kappa_RTA_recomputed_from_d3q_text=tensor_list(kap_files),
        kappa_RTA_recomputed_rel_diff_xx=rel(kap_files[0, 0], k_p3[0, 0]),
        q_weight_sum=wsum,
        rta_seconds=t_rta,
    )

    # optional LBTE at the main mesh (matrix not written)
    do_main_lbte = args.main_lbte == "yes" or (args.main_lbte == "auto" and m <= 8)
    if do_main_lbte and m != args.full_matrix_mesh:
        t0 = time.time()
        tcl, Om, P, pdiag = lbte_run(ph3, m)
        t_l = time.time() - t0
        fl = np.array(tcl.frequencies)
        gvl = np.array(tcl.group_velocities)
        kl = kappa6_to_tensor(tcl.kappa[0, 0])
        A, ok = omega_to_A(P, fl, TEMPERATURE, cutoff)
        kA = kappa_from_A(A, fl, gvl * 100, cr.volume_m3, TEMPERATURE, ok)
        res = conservation_residuals(A, fl, TEMPERATURE, ok)
        A_p3, _ = omega_to_A(Om, fl, TEMPERATURE, cutoff)
        res_p3 = conservation_residuals(A_p3, fl, TEMPERATURE, ok)
        del A_p3
        log(f"LBTE {m}^3 in {t_l:.1f} s: phono3py {kl[0, 0]:.3f}, from A {kA[0, 0]:.3f}; "
            f"energy residual {res['energy_conservation_rel']:.2e} (phono3py Omega: "
            f"{res_p3['energy_conservation_rel']:.2e})")
        ref["main_mesh"].update(
            kappa_LBTE_phono3py_reducible=tensor_list(kl),
            kappa_LBTE_phono3py_reducible_phono3py6=[float(x) for x in tcl.kappa[0, 0]],
            kappa_LBTE_recomputed_from_A_psi_basis=tensor_list(kA),
            kappa_LBTE_recomputed_rel_diff_xx=rel(kA[0, 0], kl[0, 0]),
            kappa_RTA_reducible_run_phono3py6=[float(x) for x in tcl.kappa_RTA[0, 0]],
            A_conservation=res,
            phono3py_Omega_as_A_conservation=res_p3,
            collision_matrix_diagnostics=pdiag,
            lbte_seconds=t_l,
            collision_matrix_written=False,
        )
        del Om, P, A

    # ---------------- full collision matrix ----------------
    fm = args.full_matrix_mesh
    if fm > 0:
        t0 = time.time()
        work2 = tempfile.mkdtemp(prefix=f"p3-{name}-fm-")
        tcr, kfile2 = rta_run(ph3, fm, work2)
        kname2 = f"kappa-m{fm}{fm}{fm}.hdf5"
        shutil.copyfile(kfile2, os.path.join(outdir, kname2))
        freq_r = np.array(tcr.frequencies)
        gv_r = np.array(tcr.group_velocities)
        q_r = np.array(tcr.qpoints)
        gam_r = np.array(tcr.gamma[0, 0])
        gNr, gUr = tcr.get_gamma_N_U()
        prefix2 = f"{name}.{fm}x{fm}x{fm}"
        files2 = write_d3q_files(
            outdir, prefix2, cr, q_r, freq_r, gv_r, gam_r,
            None if gNr is None else np.array(gNr[0, 0]),
            None if gUr is None else np.array(gUr[0, 0]),
        )
        k_rta_r = kappa6_to_tensor(tcr.kappa[0, 0])
        k_star_r = kappa6_to_tensor(rta_star_kappa(ph3, fm))

        tcl, Om, P, pdiag = lbte_run(ph3, fm)
        t_fm = time.time() - t0
        freq_l = np.array(tcl.frequencies)
        gv_l = np.array(tcl.group_velocities)
        q_l = np.array(tcl.qpoints)
        assert np.allclose(q_l, q_r) and np.allclose(freq_l, freq_r, atol=1e-8), "q order differs"
        assert np.allclose(np.array(tcl.gamma[0, 0]), gam_r, rtol=1e-8, atol=1e-12), "gamma differs"
        nq, nb = freq_l.shape
        nm = nq * nb
        kl = kappa6_to_tensor(tcl.kappa[0, 0])
        # sanity: phono3py's own formula on the captured Omega and on P
        kp, nnull = kappa_phono3py_style(Om, freq_l, gv_l, TEMPERATURE, cutoff, cr.volume_A3)
        kpP, nnullP = kappa_phono3py_style(P, freq_l, gv_l, TEMPERATURE, cutoff, cr.volume_A3)
        A, ok = omega_to_A(P, freq_l, TEMPERATURE, cutoff)
        zero_modes = [int(i) for i in np.where(~ok)[0]]
        res = conservation_residuals(A, freq_l, TEMPERATURE, ok)
        A_p3, _ = omega_to_A(Om, freq_l, TEMPERATURE, cutoff)
        res_p3 = conservation_residuals(A_p3, freq_l, TEMPERATURE, ok)
        k_from_p3 = kappa_from_A(A_p3, freq_l, gv_l * 100, cr.volume_m3, TEMPERATURE, ok)
        del A_p3
        # write HDF5
        import h5py

        h5path = os.path.join(outdir, f"collision-m{fm}{fm}{fm}.h5")
        with h5py.File(h5path, "w") as h:
            d = h.create_dataset("A", data=A, compression="gzip", compression_opts=9, shuffle=True)
            d.attrs["unit"] = "ps^-1"
            d.attrs["description"] = (
                "linearized collision operator A in the psi basis (psi = n - nbar): "
                "dpsi_mu/dt|coll = -sum_nu A[mu,nu] psi_nu; rates (1/tau), not cyclic frequencies. "
                "mode index mu = iq*nbranch + branch (0-based); rows/columns of zero_modes are 0")
            d = h.create_dataset("frequency", data=freq_l)
            d.attrs["unit"] = "THz"
            d = h.create_dataset("group_velocity", data=gv_l * 100.0)
            d.attrs["unit"] = "m/s"
            d = h.create_dataset("qpoint", data=q_l)
            d.attrs["unit"] = "reduced coordinates of the primitive reciprocal basis"
            d = h.create_dataset("qpoint_cartesian", data=cr.q_cart_2pi_alat(q_l))
            d.attrs["unit"] = "2pi/alat"
            d = h.create_dataset("gamma_rta", data=gam_r)
            d.attrs["unit"] = "THz (HWHM, phono3py plain RTA run; tau = 1/(4 pi gamma))"
            h.create_dataset("temperature", data=np.array([TEMPERATURE]))
            h["temperature"].attrs["unit"] = "K"
            h.create_dataset("mesh", data=np.array([fm] * 3, dtype="int64"))
            h.create_dataset("zero_modes", data=np.array(zero_modes, dtype="int64"))
            h["zero_modes"].attrs["description"] = "0-based mode indices at/below cutoff (acoustic at Gamma)"
            h.create_dataset("primitive_cell", data=cr.cell)
            h["primitive_cell"].attrs["unit"] = "Angstrom (rows a1 a2 a3)"
            h.attrs["volume_m3"] = cr.volume_m3
            h.attrs["alat_angstrom"] = a
            h.attrs["nq"] = nq
            h.attrs["nbranch"] = nb
            h.attrs["basis"] = "psi"
            h.attrs["quantity"] = "collision_operator_A"
            h.attrs["conversion"] = (
                "A = 4*pi * S P S^-1, S = diag(sqrt(n(n+1))), P [THz] = physical (approximately energy-conserving) "
                "collision matrix rebuilt from phono3py's reducible rows; see tools/make_sample_data.py")
            h.attrs["generator"] = "tools/make_sample_data.py"
        txt = os.path.join(outdir, f"scatter.{prefix2}_T{int(TEMPERATURE)}.txt.gz")
        write_scatter_text(txt, A, nq, nb, [fm] * 3, TEMPERATURE, name,
                           os.path.basename(files2["q"]), zero_modes)
        # recompute kappa from the written files (end-to-end)
        hdr, A_txt = read_scatter_text(txt)
        assert np.array_equal(A_txt, A), "text round trip is not exact"
        with h5py.File(h5path) as h:
            A_h5 = h["A"][:]
            gv_h5 = h["group_velocity"][:]
            f_h5 = h["frequency"][:]
        kA = kappa_from_A(A_txt, f_h5, gv_h5, cr.volume_m3, TEMPERATURE, ok)
        # RTA from A's diagonal and from the plain RTA run
        k_rta_Adiag = kappa_rta_modes(f_h5, gv_h5, np.diag(A_h5), cr.volume_m3, TEMPERATURE, ok)
        k_rta_gamma = kappa_rta_modes(freq_r, gv_r * 100, 4 * math.pi * gam_r.reshape(-1),
                                      cr.volume_m3, TEMPERATURE, ok)
        kap_files2, _, _ = rta_kappa_from_d3q_files(files2, crystal_path)
        sv = np.linalg.svd(A[np.ix_(ok, ok)], compute_uv=False)
        log(f"LBTE {fm}^3: phono3py {kl[0, 0]:.3f}, phono3py formula on Omega {kp[0, 0]:.3f} / on P "
            f"{kpP[0, 0]:.3f}, psi-basis from A {kA[0, 0]:.3f}; RTA {k_rta_r[0, 0]:.3f} / from tau "
            f"{k_rta_gamma[0, 0]:.3f} / d3q text {kap_files2[0, 0]:.3f}; energy residual "
            f"{res['energy_conservation_rel']:.2e} (phono3py Omega {res_p3['energy_conservation_rel']:.2e}); {pdiag}")
        ref["full_matrix_mesh"] = dict(
            mesh=[fm] * 3,
            prefix=prefix2,
            nq=nq,
            nmodes=nm,
            files=sorted([os.path.basename(p) for p in files2.values()]
                         + [kname2, os.path.basename(h5path), os.path.basename(txt)]),
            zero_modes_1based=[i + 1 for i in zero_modes],
            modes_flagged_zero_gamma=int((gam_r <= 0).sum()),
            kappa_RTA_phono3py_full_mesh=tensor_list(k_rta_r),
            kappa_RTA_phono3py_kstar=tensor_list(k_star_r),
            kappa_RTA_recomputed_from_tau=tensor_list(k_rta_gamma),
            kappa_RTA_recomputed_from_d3q_text=tensor_list(kap_files2),
            kappa_RTA_from_diag_A=tensor_list(k_rta_Adiag),
            kappa_LBTE_phono3py=tensor_list(kl),
            kappa_LBTE_phono3py_phono3py6=[float(x) for x in tcl.kappa[0, 0]],
            kappa_LBTE_phono3py_formula_on_captured_Omega=tensor_list(kp),
            kappa_LBTE_phono3py_formula_on_physical_P=tensor_list(kpP),
            kappa_LBTE_psi_basis_from_phono3py_Omega_as_A=tensor_list(k_from_p3),
            kappa_LBTE_recomputed_from_A_psi_basis=tensor_list(kA),
            kappa_LBTE_recomputed_rel_diff_xx=rel(kA[0, 0], kl[0, 0]),
            kappa_RTA_recomputed_rel_diff_xx=rel(k_rta_gamma[0, 0], k_rta_r[0, 0]),
            phono3py_Omega_spectrum=nnull,
            P_spectrum=nnullP,
            A_smallest_singular_values_ps=[float(x) for x in sv[-6:]],
            A_largest_singular_value_ps=float(sv[0]),
            A_conservation=res,
            phono3py_Omega_as_A_conservation=res_p3,
            collision_matrix_diagnostics=pdiag,
            A_unit="ps^-1 (1e12 s^-1, rate)",
            A_definition="dpsi_mu/dt|coll = -sum_nu A[mu,nu] psi_nu, psi = n - nbar; "
                         "A = 4 pi S P S^-1, S = diag(sqrt(n(n+1))), P = sym(diag(gamma) + R_abs - R_emit Pi) [THz]",
            seconds=t_fm,
        )
        del Om, P, A, A_txt, A_h5
        shutil.rmtree(work2, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)

    ref["versions"] = versions
    ref["command"] = " ".join([os.path.basename(sys.argv[0])] + sys.argv[1:])
    ref["run_seconds"] = time.time() - t_start
    ref["generated_utc"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    ref["sizes_bytes"] = {fn: os.path.getsize(os.path.join(outdir, fn)) for fn in sorted(os.listdir(outdir))
                          if fn != "reference.json"}
    with open(os.path.join(outdir, "reference.json"), "w") as f:
        json.dump(ref, f, indent=1)
        f.write("\n")
    log(f"done in {ref['run_seconds']:.1f} s")
    return ref


def package_versions():
    v = {"python": platform.python_version()}
    for p in ("phono3py", "phonopy", "ase", "matscipy", "h5py", "numpy", "scipy", "spglib", "symfc", "phonors"):
        try:
            v[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            pass
    return v


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mesh", type=int, default=8, help="main q-mesh N (N x N x N), default 8")
    ap.add_argument("--full-matrix-mesh", type=int, default=4,
                    help="q-mesh for the full collision matrix (default 4; 0 to skip)")
    ap.add_argument("--out", default="data/", help="output directory (default data/)")
    ap.add_argument("--material", choices=["si", "ge", "both"], default="both")
    ap.add_argument("--main-lbte", choices=["auto", "yes", "no"], default="auto",
                    help="also run LBTE (reducible matrix, not written) at the main mesh; auto: mesh <= 8")
    ap.add_argument("--log-level", type=int, default=0, help="phono3py log level")
    args = ap.parse_args(argv)
    versions = package_versions()
    mats = ["si", "ge"] if args.material == "both" else [args.material]
    for mname in mats:
        process_material(mname, args, versions)


if __name__ == "__main__":
    main()
