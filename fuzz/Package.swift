// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for the pipeline's parsers and the paths behind them. Built only by `make fuzz` (see
// docs/fuzzing.md), with `-sanitize=fuzzer,address`; each executable runs one entry point on whatever bytes
// libFuzzer hands it (decoded into a structure first where the format is binary).

let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
    ("fuzz-d3q-grid", [.product(name: "Ingest", package: "pbte-pipeline")]),
    ("fuzz-crystal-header", [.product(name: "Ingest", package: "pbte-pipeline")]),
    ("fuzz-scattering-text", [.product(name: "Ingest", package: "pbte-pipeline")]),
    ("fuzz-gmsh", [.product(name: "Ingest", package: "pbte-pipeline")]),
    // The configuration alone: module Config, without the solver.
    ("fuzz-run-config", [.product(name: "Config", package: "pbte-pipeline")]),
    // These three also `import Store`, which the root package builds as a dependency of Ingest and Solve but does
    // not export as a product of its own (docs/fuzzing.md).
    ("fuzz-phono3py", [.product(name: "Ingest", package: "pbte-pipeline")]),
    ("fuzz-analyze-options", ["FuzzAnalyze", .product(name: "Ingest", package: "pbte-pipeline"),
                              .product(name: "Config", package: "pbte-pipeline"),
                              .product(name: "Solve", package: "pbte-pipeline")]),
    ("fuzz-config-run", [.product(name: "Ingest", package: "pbte-pipeline"),
                         .product(name: "Config", package: "pbte-pipeline"),
                         .product(name: "Solve", package: "pbte-pipeline")]),
]

let package = Package(
    name: "pbte-fuzz",
    platforms: [.macOS(.v13)],
    products: fuzzTargets.map { .executable(name: $0.name, targets: [$0.name]) },
    dependencies: [.package(name: "pbte-pipeline", path: "..")],
    targets: [
        .target(name: "FuzzSupport"),
        // The root package's Analyze sources (Sources/FuzzAnalyze is a symlink to ../../Sources/Analyze), compiled
        // here as module FuzzAnalyze because the root package has no Analyze library product.
        // Solve brings COpenBLAS (NodeObservables imports it) and Ingest brings Store.
        .target(name: "FuzzAnalyze", dependencies: [.product(name: "Model", package: "pbte-pipeline"),
                                                    .product(name: "Ingest", package: "pbte-pipeline"),
                                                    .product(name: "Solve", package: "pbte-pipeline")]),
    ] + fuzzTargets.map { t in
        // Ingest calls LAPACK's dsyevd_ (SymmetricEigen.swift) without depending on COpenBLAS, and since 1c81118
        // Model no longer links OpenBLAS either: a target that does not also link Solve needs the library named.
        .executableTarget(name: t.name, dependencies: ["FuzzSupport"] + t.dependencies,
                          linkerSettings: [.linkedLibrary("openblas")])
    }
)
