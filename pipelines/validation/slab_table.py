"""Ψ = q / ((Cv/4) ΔT) of each slab run against Heaslet–Warming (docs/physics.md §9.1)."""
import re
import sys

import h5py
import numpy as np

EXACT = {0.01: 0.99028, 0.1: 0.91570, 0.5: 0.70417, 1.0: 0.55341, 2.0: 0.39006, 5.0: 0.20765, 10.0: 0.11674, 20.0: 0.06224}

worst = 0.0
print(f"{'tau0':>6} {'Psi':>9} {'exact':>9} {'error':>8} {'events':>6} {'sweeps':>6}")
for path in sys.argv[1:]:
    tau0 = float(re.search(r"slab-([0-9.]+)\.run\.h5", path).group(1))
    with h5py.File(path, "r") as f:
        q = f["/accumulated/heat_flux"][:, 2]
        # Schema 3: modes live in each region's group (one region here).
        modes = f[f"/regions/{f.attrs['regions'][0]}/modes"]
        rho = modes["volume_weight"][:]
        c = modes["heat_capacity"][:]
        v = np.linalg.norm(modes["velocity"][:], axis=1)
        acc = f["/accumulated"]
        events, sweeps = acc.attrs["events"], acc.attrs["sweeps"]
    psi = q.mean() / ((rho * c).sum() * v[0] / 4)
    ex = EXACT.get(tau0, float("nan"))
    print(f"{tau0:6g} {psi:9.5f} {ex:9.5f} {100 * (psi - ex) / ex:7.2f}% {int(events):6d} {int(sweeps):6d}")
    worst = max(worst, abs(psi - ex) / ex)
# The README's claim: every slab within 1% of Heaslet–Warming.
sys.exit(0 if worst < 0.01 else 1)
