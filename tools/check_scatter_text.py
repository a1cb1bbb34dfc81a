#!/usr/bin/env python3
"""Reference reader/validator for the pbte-scatter text format (format_version 1).

Implements data-schema/scattering-text.md literally, so that the fixtures in
data/examples/scatter/ and the sample files can be checked:

    python tools/check_scatter_text.py FILE...        # parse, print a summary
    python tools/check_scatter_text.py --fixtures     # run data/examples/scatter/

Exit status 1 if a file that should parse fails (or an invalid fixture parses).
Only the Python standard library and numpy are needed.
"""

from __future__ import annotations

import gzip
import os
import re
import sys

import numpy as np

NUM_RE = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([EeDd][+-]?[0-9]+)?$")
INT_RE = re.compile(r"^\+?[0-9]+$")
KEYS = {  # key: number of value tokens (None = rest of line, must be alone)
    "nmodes": 1, "nq": 1, "nbranch": 1, "qmesh": 3, "T": 2, "unit": 1, "basis": 1,
    "quantity": 1, "storage": 1, "nnz": 1, "material": 1, "qfile": 1, "zero_modes": None,
}
REQUIRED = ["nmodes", "nq", "nbranch", "T", "unit", "basis", "quantity", "storage"]
UNITS = {"ps-1": 1e12, "s-1": 1.0}


class ScatterError(Exception):
    pass


def _num(tok, where):
    if not NUM_RE.match(tok):
        raise ScatterError(f"{where}: bad number '{tok}'")
    x = float(tok.replace("D", "E").replace("d", "e"))
    if not np.isfinite(x):
        raise ScatterError(f"{where}: number '{tok}' overflows")
    return x


def _int(tok, where, lo=None, hi=None):
    if not INT_RE.match(tok):
        raise ScatterError(f"{where}: '{tok}' is not an integer")
    v = int(tok)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ScatterError(f"{where}: {v} outside {lo}...{hi}")
    return v


def read_scatter(path):
    """Return (header dict, A as float64 array in s^-1, list of flagged 0-based modes)."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    lines = raw.decode("ascii").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
    name = os.path.basename(path)
    if not lines:
        raise ScatterError(f"{name}: empty file")
    first = lines[0].strip()
    if not first.startswith("#") or first[1:].split()[:2] != ["pbte-scatter", "format_version"] \
            or len(first[1:].split()) != 3:
        raise ScatterError(f"{name}:1: not a pbte-scatter file")
    if first[1:].split()[2] != "1":
        raise ScatterError(f"{name}:1: unsupported format_version {first[1:].split()[2]}")

    hdr = {}
    i = 1
    while i < len(lines):
        s = lines[i].strip()
        if s and not s.startswith("#"):
            break
        if s:
            toks = s[1:].split()
            if toks and toks[0] in KEYS:
                k = 0
                while k < len(toks):
                    key = toks[k]
                    where = f"{name}:{i + 1}"
                    if key not in KEYS:
                        raise ScatterError(f"{where}: '{key}' is not a key")
                    if key in hdr:
                        raise ScatterError(f"{where}: key '{key}' given twice")
                    n = KEYS[key]
                    if n is None:
                        if k != 0:
                            raise ScatterError(f"{where}: '{key}' must be alone on its line")
                        hdr[key] = (toks[1:], i + 1)
                        k = len(toks)
                    else:
                        if k + n > len(toks) - 1:
                            raise ScatterError(f"{where}: key '{key}' needs {n} value(s)")
                        hdr[key] = (toks[k + 1:k + 1 + n], i + 1)
                        k += 1 + n
        i += 1
    for key in REQUIRED:
        if key not in hdr:
            raise ScatterError(f"{name}: required key '{key}' missing")

    def w(key):
        return f"{name}:{hdr[key][1]}"

    nmodes = _int(hdr["nmodes"][0][0], w("nmodes"), 1)
    nq = _int(hdr["nq"][0][0], w("nq"), 1)
    nb = _int(hdr["nbranch"][0][0], w("nbranch"), 1)
    if nmodes != nq * nb:
        raise ScatterError(f"{w('nmodes')}: nmodes != nq*nbranch")
    if "qmesh" in hdr:
        m = [_int(t, w("qmesh"), 1) for t in hdr["qmesh"][0]]
        if m[0] * m[1] * m[2] != nq:
            raise ScatterError(f"{w('qmesh')}: qmesh product != nq")
    T = _num(hdr["T"][0][0], w("T"))
    if hdr["T"][0][1] != "K" or T <= 0:
        raise ScatterError(f"{w('T')}: T must be '<positive number> K'")
    unit = hdr["unit"][0][0]
    if unit not in UNITS:
        raise ScatterError(f"{w('unit')}: unsupported unit '{unit}'")
    basis = hdr["basis"][0][0]
    if basis != "psi":
        raise ScatterError(f"{w('basis')}: unsupported basis '{basis}'")
    quantity = hdr["quantity"][0][0]
    if quantity not in ("collision_operator_A", "scattering_matrix_M"):
        raise ScatterError(f"{w('quantity')}: unsupported quantity '{quantity}'")
    storage = hdr["storage"][0][0]
    if storage not in ("dense", "sparse"):
        raise ScatterError(f"{w('storage')}: unsupported storage '{storage}'")
    nnz = None
    if storage == "sparse":
        if "nnz" not in hdr:
            raise ScatterError(f"{name}: required key 'nnz' missing (storage sparse)")
        nnz = _int(hdr["nnz"][0][0], w("nnz"), 0)
    elif "nnz" in hdr:
        raise ScatterError(f"{w('nnz')}: nnz not allowed with storage dense")
    zero = []
    if "zero_modes" in hdr:
        zero = [_int(t, w("zero_modes"), 1, nmodes) - 1 for t in hdr["zero_modes"][0]]
        if len(set(zero)) != len(zero):
            raise ScatterError(f"{w('zero_modes')}: repeated entry")

    X = np.zeros((nmodes, nmodes))
    seen = set()
    ndata = 0
    for j in range(i, len(lines)):
        s = lines[j].strip()
        if not s or s.startswith("#"):
            continue
        where = f"{name}:{j + 1}"
        toks = s.split()
        if storage == "dense":
            if ndata >= nmodes:
                raise ScatterError(f"{where}: more than {nmodes} data lines")
            if len(toks) != nmodes:
                raise ScatterError(f"{where}: data line {ndata + 1} has {len(toks)} values, expected {nmodes}")
            X[ndata] = [_num(t, where) for t in toks]
        else:
            if len(toks) != 3:
                raise ScatterError(f"{where}: sparse line needs 3 tokens")
            a = _int(toks[0], where, 1, nmodes) - 1
            b = _int(toks[1], where, 1, nmodes) - 1
            if (a, b) in seen:
                raise ScatterError(f"{where}: entry ({a + 1}, {b + 1}) given twice")
            seen.add((a, b))
            X[a, b] = _num(toks[2], where)
        ndata += 1
    if ndata == 0 and (storage == "dense" or nnz):
        raise ScatterError(f"{name}: no data")
    if storage == "dense" and ndata != nmodes:
        raise ScatterError(f"{name}: {ndata} data lines, expected {nmodes}")
    if storage == "sparse" and ndata != nnz:
        raise ScatterError(f"{name}: {ndata} data lines, nnz {nnz}")
    for m in zero:
        if np.any(X[m] != 0) or np.any(X[:, m] != 0):
            raise ScatterError(f"{name}: zero mode {m + 1} has a nonzero entry")
    if quantity == "scattering_matrix_M":
        X = 2 * np.diag(np.diag(X)) - X
    A = X * UNITS[unit]
    flagged = sorted(set(zero) | {m for m in range(nmodes) if A[m, m] <= 0})
    info = dict(nmodes=nmodes, nq=nq, nbranch=nb, T=T, unit=unit, quantity=quantity,
                storage=storage, zero_modes=[z + 1 for z in zero], flagged=len(flagged),
                material=hdr.get("material", ([None],))[0][0], qfile=hdr.get("qfile", ([None],))[0][0])
    return info, A, flagged


def run_fixtures(folder):
    toy = np.array([[0, 0, 0, 0], [0, 2.5, -0.4, -0.6], [0, -0.5, 1.2, -0.3], [0, -0.7, -0.2, 3.1]]) * 1e12
    bad = 0
    for fn in sorted(os.listdir(folder)):
        if not (fn.endswith(".txt") or fn.endswith(".txt.gz")):
            continue
        p = os.path.join(folder, fn)
        try:
            info, A, _ = read_scatter(p)
            ok = fn.startswith("valid") and np.allclose(A, toy, rtol=1e-12, atol=0)
            print(f"{'ok ' if ok else 'BAD'} {fn}: parsed")
        except ScatterError as e:
            expect = ""
            with (gzip.open(p, "rt") if fn.endswith(".gz") else open(p)) as f:
                for ln in f:
                    if "expect-error:" in ln:
                        expect = ln.split("expect-error:")[1].strip()
            ok = fn.startswith("invalid")
            print(f"{'ok ' if ok else 'BAD'} {fn}: {e}   [expected: {expect}]")
        bad += not ok
    return bad


def main(argv):
    if argv[:1] == ["--fixtures"]:
        here = os.path.dirname(os.path.abspath(__file__))
        folder = argv[1] if len(argv) > 1 else os.path.join(here, "..", "data", "examples", "scatter")
        return 1 if run_fixtures(folder) else 0
    rc = 0
    for p in argv:
        try:
            info, A, flagged = read_scatter(p)
            print(p, info, f"|A|max = {np.abs(A).max():.4e} s^-1")
        except ScatterError as e:
            print("ERROR", e)
            rc = 1
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
