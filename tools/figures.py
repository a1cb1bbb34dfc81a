"""Figures of the pipelines, from the analysis NetCDF (and the material HDF5 for spectra).

    python tools/figures.py nanoparticle --products out/products.nc --material out/si.h5 --out out/figures
"""
import argparse
import os

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402


def radial_profiles(d, out):
    r = d["r"].values * 1e9
    fig, ax = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    cmap = plt.get_cmap("viridis")
    ne = d.sizes["event"]
    for m in range(ne):
        c = cmap(m / max(ne - 1, 1))
        ax[0].plot(r, d["temperature_binned_event"].isel(event=m), color=c, lw=1)
        ax[1].plot(r, d["temperature_binned_cumulative"].isel(event=m), color=c, lw=1)
    if "temperature_binned" in d:
        ax[1].plot(r, d["temperature_binned"], "k--", lw=2, label="steady (all events + remainder)")
        ax[1].legend()
    ax[0].set_title("contribution of event m")
    ax[1].set_title("accumulated over events 0..m")
    for a in ax:
        a.set_xlabel("r (nm)")
        a.set_ylabel("ΔT (K)")
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(0, ne - 1))
    fig.colorbar(sm, ax=ax, label="scattering event m")
    fig.savefig(os.path.join(out, "radial_temperature.png"), dpi=120)
    plt.close(fig)


def event_contributions(d, out):
    fig, ax = plt.subplots(figsize=(5, 4))
    t = d["temperature_binned_event"]
    filled = [k for k in range(d.sizes["r"]) if np.isfinite(t.isel(r=k).values).all()]
    for k in sorted({filled[0], filled[len(filled) // 2], filled[-1]}):
        ax.semilogy(d["event"], np.abs(t.isel(r=k)), "o-", label=f"r = {d['r'].values[k] * 1e9:.0f} nm")
    ax.set_xlabel("scattering event m")
    ax.set_ylabel("|ΔT^(m)| (K)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(out, "event_contributions.png"), dpi=120)
    plt.close(fig)


def surface_map(d, out):
    """Absolute power per frequency and event, and each event's spectrum normalised to its own total: the second
    panel shows how the spectrum reaching the surface shifts with the number of scattering events."""
    p = d["surface_power"].sum("boundary")
    share = p / p.sum("frequency").where(p.sum("frequency") != 0)
    fig, ax = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    im = ax[0].pcolormesh(d["event"], d["frequency"], p.T * 1e6, shading="nearest", cmap="inferno")
    fig.colorbar(im, ax=ax[0], label="power reaching the surface (µW)")
    ax[0].set_title("absolute")
    im = ax[1].pcolormesh(d["event"], d["frequency"], share.T, shading="nearest", cmap="inferno")
    fig.colorbar(im, ax=ax[1], label="share of event m's power")
    mean = (p * d["frequency"]).sum("frequency") / p.sum("frequency")
    ax[1].plot(d["event"], mean, "w.-", lw=1, label="mean frequency")
    ax[1].legend(loc="upper right", fontsize=8)
    ax[1].set_title("normalised per event")
    for a in ax:
        a.set_xlabel("scattering event m")
        a.set_ylabel("phonon frequency (THz)")
    fig.savefig(os.path.join(out, "surface_energy_event.png"), dpi=120)
    plt.close(fig)


def angular_map(d, out):
    if "surface_power_angular" not in d:
        return
    # Stored per steradian in bins of equal solid angle (uniform in cos θ): drawn against cos θ, every cell is
    # the same size on the page as on the sphere.
    total = d["surface_power_angular"].sum("event")
    mu = np.cos(np.radians(d["polar_angle"].values))
    fig, ax = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    for a, data, title in [(ax[0], d["surface_power_angular"].isel(event=0), "event 0"), (ax[1], total, "all events")]:
        im = a.pcolormesh(d["azimuth"], mu, data * 1e6, shading="nearest", cmap="magma")
        a.set_xlabel("azimuth φ (degree)")
        a.set_ylabel("cos θ (polar angle from +z)")
        a.set_title(f"power reaching the surface, {title}")
        fig.colorbar(im, ax=a, label="µW sr⁻¹")
    fig.savefig(os.path.join(out, "surface_angular.png"), dpi=120)
    plt.close(fig)


def christoffel_speeds(c11, c12, c44, directions):
    """Sound speeds (the three roots) of a cubic crystal along unit vectors, with C/ρ in m² s⁻²."""
    out = []
    for n in directions:
        g = np.empty((3, 3))
        for i in range(3):
            for k in range(3):
                g[i, k] = (c12 + c44) * n[i] * n[k] if i != k else c11 * n[i] ** 2 + c44 * (1 - n[i] ** 2)
        out.append(np.sqrt(np.sort(np.linalg.eigvalsh(g))))
    return np.array(out)


def group_speeds(freq, v, q, branch, out):
    """The paper's Fig. 2f: |v| of the acoustic branches versus direction in the (100) plane (q_x = 0), with the
    long-wavelength sound speeds of cubic elasticity. C11/ρ, C44/ρ come from the slopes ω/|q| of the shortest q along
    [001] (longitudinal, transverse) and C12/ρ from the longitudinal slope along [011]; the curves at the other angles
    are what those three constants predict."""
    qn = np.linalg.norm(q, axis=1)
    plane = (np.abs(q[:, 0]) <= 1e-6 * qn.max()) & (qn > 0) & (branch < 3)
    if plane.sum() < 3:
        return
    ang = np.arctan2(q[plane, 1], q[plane, 2])  # from [001] toward [010]
    speed = np.linalg.norm(v[plane], axis=1)

    def slope(direction, which):
        d = np.asarray(direction, float) / np.linalg.norm(direction)
        along = plane & (np.abs(q @ d - qn) <= 1e-6 * qn.max())
        if not along.any():
            return None
        qmin = qn[along].min()
        pick = along & np.isclose(qn, qmin)
        w = np.sort(2 * np.pi * 1e12 * freq[pick])
        return (w[which] / qmin) ** 2 if len(w) == 3 else None

    l001, t001, l011 = slope([0, 0, 1], 2), slope([0, 0, 1], 0), slope([0, 1, 1], 2)
    fig = plt.figure(figsize=(5.5, 5))
    ax = fig.add_subplot(projection="polar")
    ax.scatter(ang, speed / 1e3, c=branch[plane], s=10, cmap="viridis", label="modes with q in the (100) plane")
    if None not in (l001, t001, l011):
        c11, c44 = l001, t001
        c12 = 2 * l011 - c11 - 2 * c44
        phi = np.linspace(0, 2 * np.pi, 361)
        sp = christoffel_speeds(c11, c12, c44, [(0, np.sin(a), np.cos(a)) for a in phi])
        for k, style in enumerate(["--", "-.", "-"]):
            ax.plot(phi, sp[:, k] / 1e3, "k" + style, lw=1, label=("elasticity: " if k == 0 else "") + ["TA₁", "TA₂", "LA"][k])
        ax.set_title(f"group speed in the (100) plane (km/s)\nC11/ρ, C12/ρ, C44/ρ = {c11 / 1e6:.1f}, {c12 / 1e6:.1f}, {c44 / 1e6:.1f} km² s⁻²",
                     fontsize=9)
    ax.set_theta_zero_location("N")
    ax.legend(loc="lower left", fontsize=7, bbox_to_anchor=(-0.15, -0.15))
    fig.tight_layout()
    fig.savefig(os.path.join(out, "group_speed_polar.png"), dpi=120)
    plt.close(fig)


def spectra(material, out):
    with h5py.File(material, "r") as f:
        freq = f["/modes/frequency"][:]
        tau = f["/modes/lifetime"][:]
        v = f["/modes/velocity"][:]
        q = f["/modes/wavevector"][:]
        branch = f["/modes/branch"][:]
    group_speeds(freq, v, q, branch, out)
    ok = np.isfinite(tau)
    fig, ax = plt.subplots(1, 2, figsize=(10, 4))
    ax[0].semilogy(freq[ok], tau[ok] * 1e12, ".", ms=3)
    ax[0].set_xlabel("frequency (THz)")
    ax[0].set_ylabel("lifetime τ (ps)")
    speed = np.linalg.norm(v, axis=1)
    qn = np.linalg.norm(q, axis=1)
    mask = qn > 0
    theta = np.degrees(np.arccos(np.clip(np.abs(q[mask, 2]) / qn[mask], 0, 1)))
    sc = ax[1].scatter(theta, speed[mask] / 1e3, c=freq[mask], s=4, cmap="viridis")
    ax[1].set_xlabel("angle of q from [001] (degrees)")
    ax[1].set_ylabel("group velocity |v| (km/s)")
    fig.colorbar(sc, ax=ax[1], label="frequency (THz)")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "lifetime_velocity.png"), dpi=120)
    plt.close(fig)


def interface_profiles(paths, out):
    fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
    for p in paths:
        d = xr.open_dataset(p)
        name = os.path.basename(p).replace(".nc", "").upper()
        z = d["z"].values * 1e9
        label = name
        if "tir_equivalent" in d:
            label += f"  (G_eq = {1e-6 / float(d.tir_equivalent[0]):.0f} MW m⁻² K⁻¹)"
        ax.plot(z, d["temperature_binned"], "o-", ms=3, label=label)
        if "interface_position" in d:
            ax.axvline(float(d.interface_position[0]) * 1e9, color="grey", ls=":")
    ax.set_xlabel("z (nm)   [Si | Ge]")
    ax.set_ylabel("ΔT (K), equivalent-equilibrium")
    ax.set_title("Steady temperature across the Si/Ge bilayer (hot Si wall 1 K, cold Ge wall 0 K)", fontsize=10)
    ax.legend()
    fig.savefig(os.path.join(out, "sige_temperature.png"), dpi=120)
    plt.close(fig)


def decay_profiles(path, out):
    d = xr.open_dataset(path)
    if "population_deviation_binned" not in d:
        return
    name = os.path.basename(path).replace(".nc", "")
    fig, ax = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    z = d[d.population_deviation_binned.dims[1]].values * 1e9
    cmap = plt.get_cmap("plasma")
    nf = d.sizes["frequency"]
    for k in range(nf):
        ax[0].plot(z, d.population_deviation_binned.isel(frequency=k), color=cmap(k / max(nf - 1, 1)), lw=1)
    ax[0].axvline(float(d.interface_position[0]) * 1e9, color="grey", ls=":")
    ax[0].set_xlabel("z (nm)")
    ax[0].set_ylabel("δ_b: energy beyond local equilibrium (J m⁻³)")
    ax[0].set_title(f"{name.upper()}: populations per frequency bin")
    f = d.frequency.values
    for side, label in [(0, "below (Si side)"), (1, "above (Ge side)")]:
        ax[1].errorbar(f, d.decay_length.isel(side=side) * 1e9, yerr=d.decay_length_uncertainty.isel(side=side) * 1e9,
                       fmt="o", capsize=3, label=label)
    ax[1].set_xlabel("frequency (THz)")
    ax[1].set_ylabel("decay length (nm)")
    ax[1].legend()
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(f.min(), f.max()))
    fig.colorbar(sm, ax=ax[0], label="frequency bin (THz)")
    fig.savefig(os.path.join(out, f"{name}_decay.png"), dpi=120)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("study", choices=["nanoparticle", "interface"])
    ap.add_argument("--products", required=True, nargs="+")
    ap.add_argument("--material")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if a.study == "interface":
        interface_profiles(a.products, a.out)
        for p in a.products:
            decay_profiles(p, a.out)
            sub = os.path.join(a.out, os.path.basename(p).replace(".nc", ""))
            os.makedirs(sub, exist_ok=True)
            surface_map(xr.open_dataset(p), sub)
        print("figures in", a.out)
        return
    d = xr.open_dataset(a.products[0])
    radial_profiles(d, a.out)
    event_contributions(d, a.out)
    surface_map(d, a.out)
    angular_map(d, a.out)
    if a.material:
        spectra(a.material, a.out)
    print("figures in", a.out)


if __name__ == "__main__":
    main()
