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
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // Used only by the ingest benchmark, which compares it with AtlasIngest's CSV reader.
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        // System-library shims.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // libgd and FreeType are loaded on first use (see Sources/CGD/include/CGD.h), so only their headers
        // are needed here; FreeType's are in their own folder (pkg-config --cflags freetype2).
        .target(name: "CGD", cSettings: [.unsafeFlags(["-I/usr/include/freetype2"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CTLS", pkgConfig: "libssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CEpoll"),
        .systemLibrary(name: "CFiles"),
        .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),

        // Libraries, lowest first.
        .target(name: "AtlasDomain"),
        .target(name: "AtlasAnalysis", dependencies: ["AtlasDomain"]),
        .target(name: "AtlasStore", dependencies: ["AtlasDomain", "CSQLite", "COpenSSL"]),
        .target(name: "AtlasIngest", dependencies: ["AtlasDomain", "AtlasStore", "AtlasAnalysis"]),
        .target(name: "AtlasDeflate", dependencies: ["CDeflate"]),
        .target(name: "AtlasCharts", dependencies: ["CGD", "AtlasDeflate"]),
        .target(name: "AtlasSite", dependencies: ["AtlasDomain", "AtlasStore", "CFiles", "AtlasCharts", "AtlasAnalysis", .product(name: "Mustache", package: "swift-mustache")]),
        .target(name: "AtlasServer", dependencies: ["CEpoll", "CTLS", "AtlasDeflate"]),
        // Layer-wise weight change from safetensors checkpoints (`sftatlas weights`).
        .target(name: "AtlasWeights", dependencies: ["AtlasIngest"]),

        // The command.
        .executableTarget(
            name: "sftatlas",
            dependencies: [
                "AtlasIngest", "AtlasStore", "AtlasSite", "AtlasServer", "AtlasWeights",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Benchmarks (run by bench/ingest.sh, documented in README.md).
        .executableTarget(
            name: "atlas-bench",
            dependencies: [
                "AtlasAnalysis", "AtlasIngest", "AtlasStore", "AtlasSite", "AtlasCharts",
                .product(name: "CSV", package: "CSV.swift"),
            ],
            path: "Benchmarks/atlas-bench"
        ),

        // libFuzzer targets (built with -sanitize=fuzzer by Fuzz/run.sh; otherwise they replay inputs).
        .executableTarget(name: "fuzz-http", dependencies: ["AtlasSite", "AtlasServer", "AtlasIngest", "AtlasStore", "AtlasCharts", "AtlasTestSupport"],
                          path: "Fuzz/fuzz-http"),
        .executableTarget(name: "fuzz-tls", dependencies: ["AtlasServer", "AtlasTestSupport"], path: "Fuzz/fuzz-tls"),
        .executableTarget(name: "fuzz-ingest", dependencies: ["AtlasIngest"], path: "Fuzz/fuzz-ingest"),
        .executableTarget(name: "fuzz-results", dependencies: ["AtlasIngest"], path: "Fuzz/fuzz-results"),

        .target(name: "AtlasTestSupport", dependencies: ["AtlasIngest", "AtlasStore"], path: "Tests/AtlasTestSupport"),
        .testTarget(name: "AtlasAnalysisTests", dependencies: ["AtlasAnalysis"]),
        .testTarget(name: "AtlasChartsTests", dependencies: ["AtlasCharts", "CGD"]),
        .testTarget(name: "AtlasStoreTests", dependencies: ["AtlasStore", "AtlasIngest", "AtlasTestSupport"]),
        .testTarget(name: "AtlasIngestTests", dependencies: ["AtlasIngest", "AtlasStore", "AtlasTestSupport"]),
        .testTarget(name: "SFTAtlasCLITests", dependencies: ["sftatlas", "AtlasStore", "AtlasTestSupport"]),
        .testTarget(name: "AtlasServerTests", dependencies: ["AtlasServer", "AtlasTestSupport", "CTLS"]),
        .testTarget(name: "AtlasSiteTests", dependencies: ["AtlasSite", "AtlasStore", "AtlasCharts", "AtlasIngest", "AtlasTestSupport"]),
        .testTarget(name: "AtlasWeightsTests", dependencies: ["AtlasWeights", "AtlasIngest"]),
        .testTarget(name: "ShimTests", dependencies: ["CGD", "CEpoll", "COpenSSL", "CSQLite", "CDeflate"]),
    ]
)
