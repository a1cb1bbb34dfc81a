import Model
import Config

/// Interface kernels by name, as the run configuration selects them (`[[interface]] kind = …`).
enum InterfaceFactory {
    /// `harmonics`: the force-constant data of the materials of side A and side B (for the SMM's fc3 coupling).
    static func builder(
        for spec: RunConfig.Interface, file: String,
        harmonics: (ModeHarmonics?, ModeHarmonics?) = (nil, nil)
    ) throws -> (ModeSet, ModeSet, Vector3) throws -> InterfaceKernel {
        switch spec.model {
        case .diffuseSheet(let t, let w):
            return { a, b, n in try InterfaceKernel.diffuseSheet(modesA: a, modesB: b, normal: n, transmissivity: t, binWidth: w) }
        case .dmm(let w):
            return { a, b, n in try InterfaceKernel.diffuseMismatch(modesA: a, modesB: b, normal: n, binWidth: w) }
        case .amm(let p):
            return { a, b, n in try InterfaceKernel.acousticMismatch(modesA: a, modesB: b, normal: n, parameters: p) }
        case .ammDmm(let p, let s, let w):
            return { a, b, n in
                try InterfaceKernel.mix(
                    try InterfaceKernel.acousticMismatch(modesA: a, modesB: b, normal: n, parameters: p),
                    try InterfaceKernel.diffuseMismatch(modesA: a, modesB: b, normal: n, binWidth: w), p: s)
            }
        case .smm(let p):
            if p.coupling == .forceConstants {
                guard harmonics.0?.forceConstants.fc3 != nil, harmonics.1?.forceConstants.fc3 != nil else {
                    throw ConfigError(
                        file: file, line: spec.lines["coupling"],
                        "[[interface]] coupling = \"force-constants\" needs both regions' material files ingested with --fc2, --fc3 and --structure (pbte-pipeline ingest phono3py --help)"
                    )
                }
            }
            let (ha, hb) = harmonics
            return { a, b, n in try InterfaceKernel.strainMismatch(modesA: a, modesB: b, normal: n, parameters: p, harmonicsA: ha, harmonicsB: hb) }
        }
    }
}
