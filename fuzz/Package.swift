// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for the pipeline's text parsers. Built only by `make fuzz` (see docs/fuzzing.md), with
// `-sanitize=fuzzer,address`; each executable runs one parser on whatever bytes libFuzzer hands it.

let fuzzTargets: [(name: String, library: String)] = [
    ("fuzz-d3q-grid", "Ingest"),
    ("fuzz-crystal-header", "Ingest"),
    ("fuzz-scattering-text", "Ingest"),
    ("fuzz-gmsh", "Ingest"),
    ("fuzz-run-config", "Solve"),
]

let package = Package(
    name: "pbte-fuzz",
    platforms: [.macOS(.v13)],
    products: fuzzTargets.map { .executable(name: $0.name, targets: [$0.name]) },
    dependencies: [.package(name: "pbte-pipeline", path: "..")],
    targets: [.target(name: "FuzzSupport")] + fuzzTargets.map { t in
        .executableTarget(name: t.name, dependencies: [
            "FuzzSupport", .product(name: t.library, package: "pbte-pipeline"),
        ])
    }
)
