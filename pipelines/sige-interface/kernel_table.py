"""Landauer conductance of the Si/Ge interface kernels without solving (`pbte-pipeline solve --dry-run`): every
interface model on the same modes, and the first-principles SMM against bin width, dislocation network and q-mesh.

Usage: python kernel_table.py PBTE MESH LABEL:SI.h5:GE.h5 [LABEL:SI.h5:GE.h5 ...] [--models=0,1,2] [--no-header] > table.txt
The first material pair gets every row; the others (denser q-meshes) the model rows only. Material files must
carry force constants (ingest phono3py ... --fc2 --fc3 --structure) for the force-constants rows.
"""
import os
import re
import subprocess
import sys
import tempfile

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
PBTE, MESH = ARGS[0], os.path.abspath(ARGS[1])
PAIRS = [a.split(":") for a in ARGS[2:]]
# --models=0,1,2 keeps those model rows (0 DMM, 1 AMM, 2 SMM gruneisen, 3 SMM fc3 cap, 4 SMM fc3 exp); --no-header.
ONLY = next((set(map(int, a.split("=")[1].split(","))) for a in sys.argv if a.startswith("--models=")), None)

BASE = """[run]
mesh = "{mesh}"
[[material]]
region = "si"
file = "{si}"
[[material]]
region = "ge"
file = "{ge}"
[events]
max_events = 1
[[interface]]
boundary = "interface"
{interface}
[[wall]]
boundary = "zmin"
kind = "black"
temperature = "1 K"
[[wall]]
boundary = "zmax"
kind = "black"
temperature = "0 K"
"""
for a, b in (("xmin", "xmax"), ("ymin", "ymax")):
    for s, t in ((a, b), (b, a)):
        BASE += f'[[wall]]\nboundary = "{s}"\nkind = "periodic"\npartner = "{t}"\n'

DENS = 'density_a = "2329 kg m-3"\ndensity_b = "5323 kg m-3"\n'
SMM = 'kind = "smm"\nspacing = "{d}"\nburgers = "{b}"\nbin_width = "{w}"\n' + DENS
MODELS = [
    ("DMM", 'kind = "dmm"\nbin_width = "{w}"\n'),
    ("AMM", 'kind = "amm"\nbin_width = "{w}"\n' + DENS),
    ("SMM gruneisen (cap)", SMM + 'coupling = "gruneisen"\n'),
    ("SMM fc3 (cap)", SMM + 'coupling = "force-constants"\nborn_limit = "cap"\n'),
    ("SMM fc3 (exp)", SMM + 'coupling = "force-constants"\n'),
]
FULL = dict(d="9.57 nm", b="0.3840 nm", w="0.5 THz")
# 60° network, as edge arrays of its in-plane misfit component b/2 at half the spacing (same relaxed misfit).
SIXTY = dict(d="4.785 nm", b="0.1920 nm", w="0.5 THz")


def run(label, si, ge, name, interface):
    with tempfile.TemporaryDirectory() as tmp:
        cfg = os.path.join(tmp, "k.toml")
        with open(cfg, "w") as f:
            f.write(BASE.format(mesh=MESH, si=os.path.abspath(si), ge=os.path.abspath(ge), interface=interface))
        out = subprocess.run([PBTE, "solve", cfg, "-o", os.path.join(tmp, "x.h5"), "--dry-run"],
                             capture_output=True, text=True, check=True).stdout
    g = float(re.search(r"Landauer conductance ([0-9.eE+-]+) MW", out).group(1))
    dropped = re.search(r"\(([0-9.eE+-]+) of the diffracted probability dropped\)", out)
    over = re.search(r"P_diff > 1 (?:capped at 1 )?for (\d+) modes|Born P_diff > 1 for (\d+) modes", out)
    n_over = next((x for x in over.groups() if x), "0") if over else "0"
    print(f"| {label} | {name} | {g:.1f} | {dropped.group(1) if dropped else '–'} | {n_over} |", flush=True)


if "--no-header" not in sys.argv:
    print("| q-mesh | model | G Landauer (MW m⁻² K⁻¹) | diffracted probability dropped | modes with Born P > 1 |")
    print("|---|---|---|---|---|")
for i, (label, si, ge) in enumerate(PAIRS):
    for k, (name, iface) in enumerate(MODELS):
        if ONLY is None or k in ONLY:
            run(label, si, ge, name, iface.format(**FULL))
    if i == 0 and ONLY is None:
        for w in ("0.25 THz", "1 THz"):
            for k in (0, 1, 2, 4):
                run(label, si, ge, f"{MODELS[k][0]}, bins {w}", MODELS[k][1].format(**dict(FULL, w=w)))
        run(label, si, ge, "SMM fc3 (exp), 60° network", MODELS[4][1].format(**SIXTY))
        run(label, si, ge, "SMM gruneisen (cap), 60° network", MODELS[2][1].format(**SIXTY))
