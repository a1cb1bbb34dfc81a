"""Interface resistance of each interface model from the analysis products, beside the published value."""
import sys

import xarray as xr

PUBLISHED_G = 173.2e6  # W m-2 K-1, Varnavides et al. PRB 100, 115402 (2019), abstract
print(f"{'model':8} {'R_eq (m2K/GW)':>14} {'G_eq (MW/m2K)':>14} {'R_emit':>10} {'G_emit':>10} {'G_Landauer':>11} {'q spread':>9}")
for path in sys.argv[1:]:
    d = xr.open_dataset(path)
    name = path.split("/")[-1].replace(".nc", "")
    r_eq, r_em = float(d.tir_equivalent[0]), float(d.tir_emitted[0])
    print(f"{name:8} {r_eq * 1e9:14.3f} {1e-6 / r_eq:14.1f} {r_em * 1e9:10.3f} {1e-6 / r_em:10.1f} "
          f"{float(d.conductance_landauer[0]) * 1e-6:11.1f} {float(d.heat_flux_spread[0]):9.3f}")
print(f"published (pBTE + SMM): G = {PUBLISHED_G * 1e-6:.1f} MW m-2 K-1, R = {1e9 / PUBLISHED_G:.3f} m2 K GW-1")

for path in sys.argv[1:]:
    d = xr.open_dataset(path)
    if "decay_length" not in d:
        continue
    name = path.split("/")[-1].replace(".nc", "")
    print(f"\n{name}: decay length (nm) of the population deviation per frequency bin, Si side | Ge side")
    for k, f in enumerate(d.frequency.values):
        a, b = d.decay_length.isel(side=0, frequency=k).values * 1e9, d.decay_length.isel(side=1, frequency=k).values * 1e9
        print(f"  {f:6.2f} THz  {a:8.1f} | {b:8.1f}")
