// swift-tools-version:5.10
import PackageDescription

let package = Package(
    name: "SFTAtlas",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sftatlas", targets: ["sftatlas"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Used only by the ingest benchmark, which compares it with AtlasIngest's CSV reader.
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        // System-library shims.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CGD", pkgConfig: "gdlib", providers: [.apt(["libgd-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CEpoll"),

        // Libraries, lowest first.
        .target(name: "AtlasAnalysis"),
        .target(name: "AtlasStore", dependencies: ["CSQLite", "COpenSSL"]),
        .target(name: "AtlasIngest", dependencies: ["AtlasStore", "AtlasAnalysis"]),
        .target(name: "AtlasCharts", dependencies: ["CGD"]),
        .target(name: "AtlasSite", dependencies: ["AtlasStore", "AtlasCharts", "AtlasAnalysis"]),

        // The command.
        .executableTarget(
            name: "sftatlas",
            dependencies: [
                "AtlasIngest", "AtlasStore", "AtlasSite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Benchmarks (run by bench/ingest.sh, documented in README.md).
        .executableTarget(
            name: "atlas-bench",
            dependencies: [
                "AtlasIngest", "AtlasStore",
                .product(name: "CSV", package: "CSV.swift"),
            ],
            path: "Benchmarks/atlas-bench"
        ),

        .target(name: "AtlasTestSupport", dependencies: ["AtlasIngest", "AtlasStore"], path: "Tests/AtlasTestSupport"),
        .testTarget(name: "AtlasAnalysisTests", dependencies: ["AtlasAnalysis"]),
        .testTarget(name: "AtlasChartsTests", dependencies: ["AtlasCharts"]),
        .testTarget(name: "AtlasStoreTests", dependencies: ["AtlasStore", "AtlasIngest", "AtlasTestSupport"]),
        .testTarget(name: "AtlasIngestTests", dependencies: ["AtlasIngest", "AtlasStore", "AtlasTestSupport"]),
        .testTarget(name: "SFTAtlasCLITests", dependencies: ["sftatlas", "AtlasTestSupport"]),
        .testTarget(name: "ShimTests", dependencies: ["CGD", "CEpoll", "COpenSSL", "CSQLite"]),
    ]
)
