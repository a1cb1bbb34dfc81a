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
    .target(name: "Model"),
    // The run configuration: TOML → checked values (run, events, checks, output, walls, sources, interfaces, transient).
    .target(name: "Config", dependencies: ["Model"]),
    .target(name: "Store", dependencies: ["CHDF5", "CNetCDF", "Model"]),
    .target(name: "Ingest", dependencies: ["Model", "Store"]),
    .target(name: "Solve", dependencies: ["Model", "Config", "Store", "COpenBLAS"]),
    .target(name: "Analyze", dependencies: ["Model", "Store", "COpenBLAS"]),
]

// MARK: - The command-line tool

let executables: [Target] = [
    .executableTarget(name: "pbte-pipeline", dependencies: [
        "Model", "Config", "Store", "Ingest", "Solve", "Analyze",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]),
    // `make bench` (docs/performance.md): timing lives outside the stages and the product CLI.
    .executableTarget(name: "pbte-bench", dependencies: [
        "Model", "Config", "Store", "Ingest", "Solve", "COpenBLAS",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]),
]

// MARK: - Tests mirror the modules

let tests: [Target] = [
    .testTarget(name: "ModelTests", dependencies: ["Model"]),
    .testTarget(name: "StoreTests", dependencies: ["Store", "Model"]),
    .testTarget(name: "IngestTests", dependencies: ["Ingest", "Store", "Model"]),
    .testTarget(name: "SolveTests", dependencies: ["Solve", "Config", "Ingest", "Store", "Model"]),
    .testTarget(name: "AnalyzeTests", dependencies: ["Analyze", "Solve", "Config", "Ingest", "Store", "Model"]),
    .testTarget(name: "CLITests", dependencies: ["pbte-pipeline", "pbte-bench"]),
]

// MARK: - The opt-in MPI build (docs/mpi.md): PBTE_MPI=1 swift build --scratch-path .build-mpi
// A package of its own: one solve-only executable on Open MPI and Debian's parallel libhdf5 (module CHDF5 from
// Sources/CHDF5-openmpi). NetCDF is not in this graph at all: libnetcdf links the serial libhdf5, whose symbols
// are the same as the parallel one's, so no binary may load both.

let mpiTargets: [Target] = [
    .systemLibrary(name: "CHDF5", path: "Sources/CHDF5-openmpi", pkgConfig: "hdf5-openmpi",
                   providers: [.apt(["libhdf5-openmpi-dev"])]),
    .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
    .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .target(name: "Model"),
    .target(name: "Store", dependencies: ["CHDF5", "Model"],
            exclude: ["NetCDFAttribute.swift", "NetCDFError.swift", "NetCDFFile.swift", "NetCDFVariable.swift", "ProductsValidator.swift"],
            swiftSettings: [.define("PBTE_MPI")]),
    .target(name: "Config", dependencies: ["Model"]),
    .target(name: "Solve", dependencies: ["Model", "Config", "Store", "COpenBLAS"]),
    .executableTarget(name: "pbte-solve-mpi", dependencies: ["CMPI", "Solve", "Config", "Store", "Model"],
                      swiftSettings: [.define("PBTE_MPI")]),
]

let package: Package
if Context.environment["PBTE_MPI"] == "1" {
    package = Package(
        name: "pbte-pipeline",
        platforms: [.macOS(.v13)],
        products: [.executable(name: "pbte-solve-mpi", targets: ["pbte-solve-mpi"])],
        targets: mpiTargets
    )
} else {
    package = Package(
        name: "pbte-pipeline",
        platforms: [.macOS(.v13)],
        products: [
            .executable(name: "pbte-pipeline", targets: ["pbte-pipeline"]),
            .executable(name: "pbte-bench", targets: ["pbte-bench"]),
            // Libraries for packages built beside this one, such as fuzz/ (docs/fuzzing.md).
            .library(name: "Model", targets: ["Model"]),
            .library(name: "Config", targets: ["Config"]),
            .library(name: "Ingest", targets: ["Ingest"]),
            .library(name: "Solve", targets: ["Solve"]),
        ],
        dependencies: [
            .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        ],
        targets: cLibraries + libraries + executables + tests
    )
}
