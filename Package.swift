// swift-tools-version:6.0
import PackageDescription

// MARK: - C system libraries (Debian: libhdf5-dev, libnetcdf-dev, libopenblas-dev)

let cLibraries: [Target] = [
    .systemLibrary(name: "CHDF5", pkgConfig: "hdf5-serial",
                   providers: [.apt(["libhdf5-dev"])]),
    .systemLibrary(name: "CNetCDF", pkgConfig: "netcdf",
                   providers: [.apt(["libnetcdf-dev"])]),
    .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                   providers: [.apt(["libopenblas-dev"])]),
]

// MARK: - Libraries: model (no I/O), store (HDF5/NetCDF), and the three stages

let libraries: [Target] = [
    .target(name: "Model", dependencies: ["COpenBLAS"]),
    .target(name: "Store", dependencies: ["CHDF5", "CNetCDF", "Model"]),
    .target(name: "Ingest", dependencies: ["Model", "Store"]),
    .target(name: "Solve", dependencies: ["Model", "Store", "COpenBLAS"]),
    .target(name: "Analyze", dependencies: ["Model", "Store"]),
]

// MARK: - The command-line tool

let executables: [Target] = [
    .executableTarget(name: "pbte-pipeline", dependencies: [
        "Model", "Store", "Ingest", "Solve", "Analyze",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]),
]

// MARK: - Tests mirror the modules

let tests: [Target] = [
    .testTarget(name: "ModelTests", dependencies: ["Model"]),
    .testTarget(name: "StoreTests", dependencies: ["Store", "Model"]),
    .testTarget(name: "IngestTests", dependencies: ["Ingest", "Store", "Model"]),
    .testTarget(name: "SolveTests", dependencies: ["Solve", "Ingest", "Store", "Model"]),
    .testTarget(name: "AnalyzeTests", dependencies: ["Analyze", "Solve", "Store", "Model"]),
    .testTarget(name: "CLITests", dependencies: ["pbte-pipeline"]),
]

let package = Package(
    name: "pbte-pipeline",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "pbte-pipeline", targets: ["pbte-pipeline"]),
        // Libraries for packages built beside this one, such as fuzz/ (docs/fuzzing.md).
        .library(name: "Model", targets: ["Model"]),
        .library(name: "Ingest", targets: ["Ingest"]),
        .library(name: "Solve", targets: ["Solve"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: cLibraries + libraries + executables + tests
)
