// swift-tools-version:6.0
// nasbook: literate, content-addressed pipelines for cheap neural architecture search.
// Target layout and allowed imports are fixed by docs/architecture.md.
import PackageDescription

/// System libraries come from Debian packages installed by scripts/setup and are
/// located through pkg-config, so no include path is hard-coded here.
func systemLibrary(_ name: String, pkgConfig: String, apt: String) -> Target {
    .systemLibrary(name: name, pkgConfig: pkgConfig, providers: [.apt([apt])])
}

let package = Package(
    name: "nasbook",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "nasbook", targets: ["nasbook"]),
        .library(name: "ArtifactStore", targets: ["ArtifactStore"]),
        .library(name: "Provenance", targets: ["Provenance"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
        .library(name: "Numerics", targets: ["Numerics"]),
        .library(name: "NAS", targets: ["NAS"]),
        .library(name: "NASStages", targets: ["NASStages"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        systemLibrary("CZstd", pkgConfig: "libzstd", apt: "libzstd-dev"),
        systemLibrary("CGit2", pkgConfig: "libgit2", apt: "libgit2-dev"),
        systemLibrary("CBLAS", pkgConfig: "openblas", apt: "libopenblas-dev"),
        systemLibrary("CCmark", pkgConfig: "libcmark", apt: "libcmark-dev"),
        systemLibrary("CZlib", pkgConfig: "zlib", apt: "zlib1g-dev"),

        .target(name: "ArtifactStore", dependencies: [
            "CZstd", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "Provenance", dependencies: ["ArtifactStore", "CGit2"]),
        .target(name: "Pipeline", dependencies: [
            "Provenance", "ArtifactStore", "CCmark", .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "Numerics", dependencies: ["CBLAS"]),
        .target(name: "NAS", dependencies: [
            "Numerics", "CZlib", "CZstd", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "NASStages", dependencies: ["Pipeline", "NAS"]),
        .executableTarget(name: "nasbook", dependencies: [
            "ArtifactStore", "Provenance", "Pipeline", "NAS", "NASStages",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "ArtifactStoreTests", dependencies: ["ArtifactStore"]),
        .testTarget(name: "ProvenanceTests", dependencies: ["Provenance"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline"]),
        .testTarget(name: "NumericsTests", dependencies: ["Numerics"]),
        .testTarget(name: "NASTests", dependencies: ["NAS"]),
        .testTarget(name: "NASStagesTests", dependencies: ["NASStages"]),
    ],
    swiftLanguageModes: [.v6]
)
