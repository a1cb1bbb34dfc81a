"""Golden regression values of the showcase pipelines on small settings (`make -C pipelines/<name> small`).

    golden.py check GOLDEN.json PRODUCTS.nc...   compare; prints every value beside its golden one; exit 1 if any is off
    golden.py write GOLDEN.json PRODUCTS.nc...   store the products' values (tolerances and meanings kept)

GOLDEN.json names its kind ("nanoparticle" or "interface") and, per value, the golden number, its units, its
relative tolerance and why that tolerance (what may legitimately move it between machines).
"""
import json
import sys

import numpy as np
import xarray as xr


def nanoparticle(paths):
    d = xr.open_dataset(paths[0])
    w = d.node_volume.values
    power = d.surface_power.sum("boundary")  # event × frequency
    f = 0.5 * (d.frequency_bounds[:, 0] + d.frequency_bounds[:, 1])
    mean_f = (power * f).sum("frequency") / power.sum("frequency")
    return {
        "centre_temperature": float(d.temperature_binned[0]),
        "centre_temperature_event0": float(d.temperature_binned_event[0, 0]),
        "mean_temperature": float((d.temperature.values * w).sum() / w.sum()),
        "surface_power_total": float(d.surface_power.sum()),
        "injected_power_event0": float(d.injected_power[0]),
        "surface_mean_frequency_event0": float(mean_f[0]),
        "surface_mean_frequency_last_event": float(mean_f[-1]),
        "events": int(d.sizes["event"]),
    }


def interface(paths):
    out = {}
    for p in paths:
        d = xr.open_dataset(p)
        model = p.split("/")[-1].removesuffix(".nc")
        for k in ["conductance_equivalent", "conductance_emitted", "conductance_landauer"]:
            out[f"{model}.{k}"] = float(d[k][0])
    return out


def grating(paths):
    out = {}
    for p in paths:
        d = xr.open_dataset(p)
        name = p.split("/")[-1].removesuffix(".nc")
        x = 0.5 * (d.x_bounds[:, 0] + d.x_bounds[:, 1]).values
        period = float(d.x_bounds.values.max() - d.x_bounds.values.min())  # the box is one period long
        c = np.cos(2 * np.pi * (x - d.x_bounds.values.min()) / period)
        amp = (d.temperature_binned.values * c).sum(axis=1) / (c * c).sum()
        out[f"{name}.amplitude_step1"] = float(amp[0])
        out[f"{name}.amplitude_ratio_step10"] = float(amp[9] / amp[0])
        out[f"{name}.amplitude_ratio_end"] = float(amp[-1] / amp[0])
    return out


KINDS = {"nanoparticle": nanoparticle, "interface": interface, "grating": grating}


def main():
    mode, golden_path, products = sys.argv[1], sys.argv[2], sys.argv[3:]
    golden = json.load(open(golden_path))
    found = KINDS[golden["kind"]](products)
    if mode == "write":
        for k, v in found.items():
            golden["values"].setdefault(k, {"rtol": 1e-6, "units": "", "why": ""})["value"] = v
        with open(golden_path + ".tmp", "w") as f:
            json.dump(golden, f, indent=2)
            f.write("\n")
        import os
        os.replace(golden_path + ".tmp", golden_path)
        print(f"{golden_path}: {len(found)} values written")
        return 0
    bad = 0
    print(f"{'value':42} {'found':>14} {'golden':>14} {'rel. diff':>10} {'tol':>8}")
    for k, g in golden["values"].items():
        if k not in found:
            print(f"{k:42} {'missing':>14} {g['value']:14.6g}  FAIL")
            bad += 1
            continue
        x, ref = found[k], g["value"]
        rel = abs(x - ref) / max(abs(ref), 1e-300)
        ok = rel <= g["rtol"]
        bad += not ok
        print(f"{k:42} {x:14.7g} {ref:14.7g} {rel:10.1e} {g['rtol']:8.0e}{'' if ok else '  FAIL'}")
    for k in sorted(set(found) - set(golden["values"])):
        print(f"{k:42} {found[k]:14.7g} (not in {golden_path}: run golden.py write)")
    if bad:
        print(f"{golden_path}: {bad} value(s) off their golden number (a physics change? then rewrite with "
              f"golden.py write and say why in the commit)")
        return 1
    print(f"{golden_path}: all {len(golden['values'])} values within their tolerances")
    return 0


if __name__ == "__main__":
    sys.exit(main())
