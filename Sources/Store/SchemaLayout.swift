/// The versioned layout of every HDF5 file the pipeline writes: the single source of truth that the writers use,
/// `pbte-pipeline validate` checks, `pbte-pipeline schema --json` prints, and data-schema/ documents.
public struct SchemaField: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case dataset, attribute }
    public var path: String
    public var kind: Kind
    /// float64 (float32 accepted where `acceptsFloat32`), int32, int64, string, string-array.
    public var type: String
    /// Symbolic dimensions: a name binds on first sight ("modes"), a number is fixed, "name+1" is derived.
    public var shape: [String]
    /// Required value of the dataset's `units` attribute (UDUNITS spelling); nil for attributes.
    public var units: String?
    public var required: Bool
    /// Reject ±Inf as well as NaN (NaN is always rejected).
    public var finite: Bool
    public var description: String

    public static func dataset(
        _ path: String, _ type: String, _ shape: [String], _ units: String,
        required: Bool = true, finite: Bool = true, _ description: String
    ) -> SchemaField {
        SchemaField(
            path: path, kind: .dataset, type: type, shape: shape, units: units, required: required,
            finite: finite, description: description)
    }
    public static func attribute(_ path: String, _ type: String, required: Bool = true, _ description: String) -> SchemaField {
        SchemaField(
            path: path, kind: .attribute, type: type, shape: [], units: nil, required: required,
            finite: true, description: description)
    }
}

public struct FileSchema: Sendable, Codable, Equatable {
    public var filetype: String
    public var version: Int
    public var description: String
    public var fields: [SchemaField]
}

public enum Schema {
    public static let programVersion = "0.1.0"

    /// Root attributes every file carries (provenance).
    static func provenance(_ filetype: String) -> [SchemaField] {
        [
            .attribute("/@filetype", "string", "always \"\(filetype)\""),
            .attribute("/@schema_version", "int64", "layout version; readers refuse newer versions"),
            .attribute("/@program_version", "string", "pbte-pipeline version that wrote the file"),
            .attribute("/@created", "string", "UTC time of writing, ISO 8601"),
            .attribute("/@input_files", "string-array", "paths of the inputs, as given"),
            .attribute("/@input_sha256", "string-array", "SHA-256 of each input, same order")
        ]
    }

    static func modeFields(_ p: String) -> [SchemaField] {
        [
            .dataset("\(p)/temperature", "float64", [], "K", "temperature of the phonon data"),
            .dataset("\(p)/frequency", "float64", ["modes"], "THz", "ordinary frequency ν = ω/2π per mode μ = q·nbranch + branch"),
            .dataset("\(p)/velocity", "float64", ["modes", "3"], "m s-1", "group velocity (Cartesian)"),
            .dataset("\(p)/lifetime", "float64", ["modes"], "s", finite: false, "RTA lifetime τ; +inf for an excluded mode"),
            .dataset("\(p)/volume_weight", "float64", ["modes"], "m-3", "ρ_μ = w_q/Ω: mode sums per unit volume are Σ ρ_μ (…)"),
            .dataset("\(p)/dndT", "float64", ["modes"], "K-1", "∂n̄/∂T at the temperature"),
            .dataset("\(p)/heat_capacity", "float64", ["modes"], "J K-1", "C_μ = ħω ∂n̄/∂T"),
            .dataset("\(p)/wavevector", "float64", ["modes", "3"], "m-1", "Cartesian phonon wavevector q"),
            .dataset("\(p)/branch", "int32", ["modes"], "1", "branch index"),
            .dataset("\(p)/q_index", "int32", ["modes"], "1", "q-point index"),
            .dataset("\(p)/excluded", "int32", ["modes"], "1", "1 for modes left out of transport (e.g. acoustic at Γ, zero linewidth)")
        ]
    }

    static func meshFields(_ p: String) -> [SchemaField] {
        [
            .dataset("\(p)/nodes", "float64", ["nodes", "3"], "m", "node coordinates"),
            .dataset("\(p)/tets", "int32", ["tets", "4"], "1", "0-based node indices of linear tetrahedra (gmsh orientation)"),
            .dataset("\(p)/region", "int32", ["tets"], "1", "physical volume tag of each tetrahedron"),
            .dataset("\(p)/boundary/tet", "int32", ["faces"], "1", "tetrahedron of each tagged boundary or interface face"),
            .dataset("\(p)/boundary/face", "int32", ["faces"], "1", "local face (opposite this corner) of that tetrahedron"),
            .dataset("\(p)/boundary/tag", "int32", ["faces"], "1", "physical surface tag"),
            .dataset("\(p)/names/region_tag", "int32", ["regions"], "1", "tags of named regions"),
            .attribute("\(p)/names@region_name", "string-array", "names of those regions, same order"),
            .dataset("\(p)/names/boundary_tag", "int32", ["tags"], "1", "tags of named boundaries"),
            .attribute("\(p)/names@boundary_name", "string-array", "names of those boundaries, same order")
        ]
    }

    public static let material = FileSchema(
        filetype: "pbte-material", version: 2,
        description: "A material's phonon modes at one temperature and how they scatter (written by ingest).",
        fields: provenance("pbte-material") + [
            .attribute("/@name", "string", "material name"),
            .attribute("/@source_format", "string", "d3q-text, phono3py or gray-synthetic")
        ] + modeFields("/modes") + [
            .dataset("/crystal/cell_volume", "float64", [], "m3", "primitive-cell volume Ω"),
            .dataset("/crystal/q_mesh", "int32", ["3"], "1", "q-point mesh"),
            .dataset("/crystal/branch_count", "int32", [], "1", "branches per q-point"),
            .attribute("/collision@kind", "string", "relaxation-to-temperature, dense or sparse"),
            .dataset(
                "/collision/matrix", "float64", ["modes", "modes"], "s-1", required: false,
                "dense M: G_{m+1} = M ψ^(m); zero diagonal (1/τ is /modes/lifetime)"),
            .dataset("/collision/row_start", "int64", ["modes+1"], "1", required: false, "sparse M: compressed-row offsets"),
            .dataset("/collision/column", "int32", ["nonzeros"], "1", required: false, "sparse M: column of each value"),
            .dataset("/collision/value", "float64", ["nonzeros"], "s-1", required: false, "sparse M: values"),
            .dataset(
                "/harmonic/eigenvector", "float64", ["modes", "branches", "2"], "1", required: false,
                "polarisation e_{κα}(μ) from fc2 at each mode's q (component 3κ+α; re, im), phonopy's phase convention (version 2)"),
            .dataset(
                "/harmonic/largest_frequency_deviation", "float64", [], "THz", required: false,
                "max |f(fc2) − f(/modes)|: how well the force constants describe the modes"),
            .dataset(
                "/harmonic/gruneisen", "float64", ["modes"], "1", required: false,
                "mode Grüneisen parameter γ_μ from fc3 under uniform strain, ions relaxed (tr of the tensor / 3)"),
            .dataset(
                "/harmonic/gruneisen_tensor", "float64", ["modes", "3", "3"], "1", required: false,
                "γ_μ,kl = −e† ∂D/∂ε_kl e / 2ω²"),
            .dataset("/force_constants/primitive_lattice", "float64", ["3", "3"], "angstrom", required: false, "primitive cell, rows"),
            .dataset("/force_constants/supercell_lattice", "float64", ["3", "3"], "angstrom", required: false, "supercell of the force constants, rows"),
            .dataset("/force_constants/position", "float64", ["atoms", "3"], "angstrom", required: false, "supercell atoms, Cartesian"),
            .dataset("/force_constants/mass", "float64", ["atoms"], "u", required: false, "atomic masses"),
            .dataset("/force_constants/p2s_map", "int32", ["primitive_atoms"], "1", required: false, "supercell index of each primitive atom"),
            .dataset(
                "/force_constants/fc2", "float64", ["primitive_atoms", "atoms", "3", "3"], "eV angstrom-2", required: false,
                "harmonic force constants, phonopy's compact layout"),
            .dataset(
                "/force_constants/fc3", "float64", ["primitive_atoms", "atoms", "atoms", "3", "3", "3"], "eV angstrom-3",
                required: false, "cubic force constants, phono3py's compact layout"),
            .dataset("/diagnostics/kappa_rta", "float64", ["3", "3"], "W m-1 K-1", required: false, "κ from lifetimes"),
            .dataset("/diagnostics/kappa_lbte", "float64", ["3", "3"], "W m-1 K-1", required: false, "κ from the full matrix"),
            .dataset(
                "/diagnostics/energy_residual", "float64", [], "1", required: false,
                "max_μ' |Σ_μ ħω_μ M_μμ' − ħω_μ'/τ_μ'| / max ħω/τ"),
            .dataset("/diagnostics/spectral_radius", "float64", [], "1", required: false, "spectral radius of τM")
        ])

    public static let mesh = FileSchema(
        filetype: "pbte-mesh", version: 1,
        description: "A tetrahedral mesh with material regions and tagged boundary and interface faces (written by ingest).",
        fields: provenance("pbte-mesh") + meshFields(""))

    public static let run = FileSchema(
        filetype: "pbte-run", version: 3,
        description:
            "A solved run: ψ^(m)(μ, r) for every scattering event and region, boundary fluxes, energy balance (written by solve). Each material region is a group /regions/<name> with its own modes and node subset; fields marked /regions/* exist in every region group, with dimensions scoped to that region.",
        fields: provenance("pbte-run") + [
            .attribute("/@config", "string", "the run configuration (TOML text) as read"),
            .attribute(
                "/@config_canonical", "string", required: false,
                "the configuration as the values it parses to, one `path = value` line each (units applied, paths absolute, comments and order gone); a resume must match it"
            ),
            .attribute("/@counting", "string", "bulk-only or bulk-and-boundary: what advances the event index"),
            .attribute("/@precision", "string", "float64 or float32 storage of ψ"),
            .attribute("/@regions", "string-array", "names of the region groups, in solver order"),
            .attribute("/@events_completed", "int64", "events fully written; a resumed run continues after them"),
            .attribute("/@complete", "int64", "1 once the run finished (remainder and accumulated fields written)")
        ] + meshFields("/mesh") + modeFields("/regions/*/modes") + [
            .dataset("/regions/*/node_index", "int32", ["nodes"], "1", "mesh node (row of /mesh/nodes) of each region node"),
            .dataset("/regions/*/face_index", "int32", ["faces"], "1", "mesh boundary face (row of /mesh/boundary/*) of each region boundary face"),
            .dataset("/regions/*/events/psi", "float64", ["events", "modes", "nodes"], "1", "ψ^(m) at the region's nodes, per unit drive"),
            .dataset(
                "/regions/*/events/boundary_flux", "float64", ["events", "modes", "faces"], "m s-1",
                "S = (v·n)ψ averaged over each boundary face (n outward): positive leaves the region, negative enters"),
            .dataset(
                "/regions/*/events/psi_digest", "int64", ["events"], "1", required: false,
                "WordDigest of each event's stored ψ row (docs/reliability.md, Checksums); absent in MPI-written files"),
            .dataset(
                "/regions/*/events/boundary_flux_digest", "int64", ["events"], "1", required: false,
                "WordDigest of each event's stored boundary-flux row"),
            .dataset(
                "/regions/*/checkpoint/boundary_trace", "float64", ["2", "modes", "corners"], "1",
                "ψ at the 3 corners of each boundary face for the last two events, event m in slot m mod 2 (exact resume); attribute digest: the WordDigest of each slot"
            ),
            .dataset("/regions/*/remainder/psi", "float64", ["modes", "nodes"], "1", required: false, "Σ_{m≥N} ψ^(m) from GMRES"),
            .dataset("/regions/*/accumulated/psi", "float64", ["modes", "nodes"], "1", required: false, "Σ ψ^(m) + remainder: the steady state"),
            .dataset("/events/balance/injected_volume", "float64", ["events"], "W", "power injected by volume sources"),
            .dataset("/events/balance/injected_boundary", "float64", ["events"], "W", "power entering through walls and interfaces"),
            .dataset("/events/balance/scattered", "float64", ["events"], "W", "power scattered out (injected into the next event)"),
            .dataset(
                "/events/balance/gross", "float64", ["events"], "W", required: false,
                "Σ|power| per mode of source, inflow and scattered ψ: the scale of the closure when the drive injects no net power (0: not known, a checkpoint from before it was stored)"
            ),
            .dataset("/events/balance/leaving", "float64", ["events", "tags"], "W", "power leaving through each boundary tag"),
            .dataset("/events/balance/tag", "int32", ["tags"], "1", "boundary tags of the leaving columns"),
            .dataset("/events/balance/relative_change", "float64", ["events"], "1", "‖ψ^(m)‖/‖Σψ‖"),
            .dataset("/events/balance/sweeps", "int32", ["events"], "1", "drift sweeps spent in each event"),
            .dataset("/remainder/residual", "float64", ["iterations"], "1", required: false, "GMRES relative residual history"),
            .dataset("/interfaces/tag", "int32", ["interfaces"], "1", required: false, "boundary tag of each interface"),
            .dataset(
                "/interfaces/landauer_conductance", "float64", ["interfaces"], "W m-2 K-1", required: false,
                "G_emit = Σ_μ ρC|v·n| t_μ from the kernel's transmission (side listed first → second)"),
            .attribute("/interfaces@kernel", "string-array", required: false, "kernel name and parameters with units, per interface"),
            .attribute("/interfaces@warnings", "string-array", required: false, "what the kernels reported"),
            .dataset(
                "/accumulated/temperature", "float64", ["nodes"], "K", required: false, "equivalent-equilibrium ΔT of the steady state at every mesh node"),
            .dataset("/accumulated/heat_flux", "float64", ["nodes", "3"], "W m-2", required: false, "heat flux of the steady state"),
            .attribute(
                "/accumulated@warnings", "string-array", required: false, "invariant violations the run went on after ([checks] on_violation = \"warn\")")
        ])

    public static let transient = FileSchema(
        filetype: "pbte-transient", version: 1,
        description:
            "A transient run: ψ(μ, r, t) at the stored steps of a time-dependent solve, optionally split by the number of scattering events suffered, with the energy history (written by solve from a configuration with [transient]). Region groups as in pbte-run.",
        fields: provenance("pbte-transient") + [
            .attribute("/@config", "string", "the run configuration (TOML text) as read"),
            .attribute(
                "/@config_canonical", "string", required: false,
                "the configuration as the values it parses to, one `path = value` line each (units applied, paths absolute, comments and order gone); a resume must match it"
            ),
            .attribute("/@counting", "string", "bulk-only or bulk-and-boundary: what advances the event label"),
            .attribute("/@precision", "string", "float64 or float32 storage of ψ"),
            .attribute("/@regions", "string-array", "names of the region groups, in solver order"),
            .attribute("/@scheme", "string", "backward-euler or bdf2"),
            .attribute("/@parts", "int64", "event-labelled parts per step: ψ_0 … ψ_{K−1} and the rest ψ_{≥K} (1: the whole population)"),
            .attribute("/@mean_events", "int64", "1 when χ = Σ m ψ_m is stored beside ψ"),
            .attribute("/@steps", "int64", "time steps the run was asked for"),
            .attribute("/@steps_completed", "int64", "steps fully written"),
            .attribute("/@checkpoint_step", "int64", "step of the resume state on disk (0: none); a resumed run continues after it"),
            .attribute("/@checkpoint_slot", "int64", "slot of /regions/*/checkpoint/state holding it"),
            .attribute("/@complete", "int64", "1 once every step is written")
        ] + meshFields("/mesh") + modeFields("/regions/*/modes") + [
            .dataset("/regions/*/node_index", "int32", ["nodes"], "1", "mesh node (row of /mesh/nodes) of each region node"),
            .dataset("/regions/*/face_index", "int32", ["faces"], "1", "mesh boundary face of each region boundary face"),
            .dataset(
                "/regions/*/transient/psi", "float64", ["stored", "parts", "modes", "nodes"], "1",
                "ψ (phonon occupation deviation) at the region's nodes at each stored time, per event-labelled part"),
            .dataset("/regions/*/transient/psi_digest", "int64", ["stored"], "1", "WordDigest of each stored row (all parts)"),
            .dataset(
                "/regions/*/transient/mean_events_psi", "float64", ["stored", "modes", "nodes"], "1", required: false,
                "χ = Σ_m m ψ_m: the population weighted by the events it has suffered"),
            .dataset("/regions/*/transient/mean_events_psi_digest", "int64", ["stored"], "1", required: false, "WordDigest of each stored χ row"),
            .dataset(
                "/regions/*/checkpoint/state", "float64", ["2", "levels", "carried", "modes", "corners"], "1",
                "DG corner values (4 per tetrahedron) of every carried population at the last one (backward Euler) or two (BDF2) steps: the exact resume state, in two slots"
            ),
            .dataset("/transient/time_step", "float64", [], "s", "Δt"),
            .dataset("/transient/initial_energy", "float64", ["carried"], "J", "energy of each carried population at t = 0"),
            .dataset("/transient/tag", "int32", ["tags"], "1", "boundary tags of the leaving columns"),
            .dataset("/transient/time", "float64", ["stored"], "s", "time of each stored step"),
            .dataset("/transient/step", "int32", ["stored"], "1", "index of each stored step"),
            .dataset("/transient/history/time", "float64", ["steps"], "s", "time after every step"),
            .dataset("/transient/history/energy", "float64", ["steps", "carried"], "J", "energy of each part (then of χ) after every step"),
            .dataset("/transient/history/region_energy", "float64", ["steps", "regions"], "J", "energy of the whole population in each region"),
            .dataset("/transient/history/leaving", "float64", ["steps", "tags"], "W", "net power leaving through each boundary tag (outflow − inflow)"),
            .dataset("/transient/history/sweeps", "int32", ["steps"], "1", "drift sweeps spent in each step"),
            .dataset("/transient/history/residual", "float64", ["steps"], "1", "largest GMRES relative residual of the step")
        ])

    public static let all: [FileSchema] = [material, mesh, run, transient]
}
