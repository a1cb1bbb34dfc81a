"""Opens analyze's products as the field's tools do; exits non-zero naming what failed.

usage: products_check.py PRODUCTS.nc...   (each with its .xmf, and .events.xmf/.events.h5 or, for a transient
product, .time.xmf/.time.h5 beside it)
- the IOOS compliance checker (CF 1.11): no high- or medium-priority failure;
- meshio reads the steady sidecar (mesh and every field) and the temporal one (every event), and the values equal
  the NetCDF's;
- the node-volume weighted mean is the one-liner the README shows.
"""
import json
import subprocess
import sys
import os

import meshio
import numpy as np
import xarray as xr

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL", msg)


for nc in sys.argv[1:]:
    stem = nc[:-3] if nc.endswith(".nc") else nc
    checker = os.path.join(os.path.dirname(sys.executable), "compliance-checker")
    out = subprocess.run([checker, "--test", "cf:1.11", "--criteria", "normal", "-f", "json", "-o", "-", nc],
                         capture_output=True, text=True)
    report = json.loads(out.stdout)["cf:1.11"]
    bad = [(k, r["name"], r["msgs"]) for k in ("high_priorities", "medium_priorities")
           for r in report.get(k, []) if r["value"][0] != r["value"][1]]
    print(f"{nc}: compliance-checker cf:1.11 {report['scored_points']}/{report['possible_points']}, "
          f"{len(bad)} high/medium failures")
    for k, name, msgs in bad:
        fail(f"{nc}: {k} {name}: {msgs}")

    ds = xr.open_dataset(nc)
    n_nodes = ds.sizes["node"]
    steady = meshio.read(stem + ".xmf")
    if steady.points.shape != (n_nodes, 3):
        fail(f"{stem}.xmf: {steady.points.shape} points, expected ({n_nodes}, 3)")
    if steady.cells[0].type != "tetra" or steady.cells[0].data.shape[0] != ds.sizes["tet"]:
        fail(f"{stem}.xmf: cells {steady.cells[0].type} {steady.cells[0].data.shape}")
    for name, values in steady.point_data.items():
        if not np.array_equal(np.asarray(values), ds[name].values):
            fail(f"{stem}.xmf: {name} differs from the NetCDF's")
    if not np.allclose(steady.points[:, 0], ds.node_x.values, rtol=0, atol=0):
        fail(f"{stem}.xmf: node coordinates differ from node_x")
    if "elapsed_time" in ds.dims:
        # A transient product: a plain float time axis (not decoded into dates, which would lose picoseconds) and a
        # temporal sidecar with the temperature of every stored step.
        if ds.elapsed_time.dtype.kind != "f" or not (np.diff(ds.elapsed_time.values) > 0).all():
            fail(f"{nc}: elapsed_time is {ds.elapsed_time.dtype}, expected increasing floats in s")
        with meshio.xdmf.TimeSeriesReader(stem + ".time.xmf") as r:
            r.read_points_cells()
            if r.num_steps != ds.sizes["elapsed_time"]:
                fail(f"{stem}.time.xmf: {r.num_steps} steps, expected {ds.sizes['elapsed_time']}")
            for k in range(r.num_steps):
                t, point_data, _ = r.read_data(k)
                if not np.isclose(t, ds.elapsed_time.values[k], rtol=1e-12, atol=0):
                    fail(f"{stem}.time.xmf: time {t} of step {k}, expected {ds.elapsed_time.values[k]}")
                if not np.array_equal(point_data["temperature"], ds.temperature.isel(elapsed_time=k).values):
                    fail(f"{stem}.time.xmf: step {k} differs from temperature")
        if "temperature_part" in ds:
            parts = ds.temperature_part.sum("part")
            if not np.allclose(parts.values, ds.temperature.values, rtol=1e-10, atol=1e-12 * float(np.abs(ds.temperature).max())):
                fail(f"{nc}: the parts' temperatures do not add up to temperature")
        print(f"{nc}: meshio read {stem}.xmf and {r.num_steps} stored times")
        continue
    with meshio.xdmf.TimeSeriesReader(stem + ".events.xmf") as r:
        r.read_points_cells()
        if r.num_steps != ds.sizes["event"]:
            fail(f"{stem}.events.xmf: {r.num_steps} steps, expected {ds.sizes['event']}")
        for k in range(r.num_steps):
            t, point_data, _ = r.read_data(k)
            if not np.array_equal(point_data["temperature_event"], ds.temperature_event.isel(event=k).values):
                fail(f"{stem}.events.xmf: event {k} differs from temperature_event")
    weighted = float(ds.temperature.weighted(ds.node_volume).mean())
    integral = float((ds.temperature * ds.node_volume).sum() / ds.node_volume.sum())
    if not np.isclose(weighted, integral, rtol=1e-12):
        fail(f"{nc}: weighted mean {weighted} vs {integral}")
    print(f"{nc}: meshio read {stem}.xmf and {r.num_steps} events; volume mean ΔT {weighted:.6g} K, "
          f"node mean {float(ds.temperature.mean()):.6g} K")

sys.exit(1 if failures else 0)
