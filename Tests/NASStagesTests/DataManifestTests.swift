import Foundation
import NAS
@testable import NASStages
import Pipeline
import XCTest

/// The dataset manifest: what makes the Fashion-MNIST files' content, not
/// their path, an input of the data-proxy training stages.
final class DataManifestTests: XCTestCase {
    private let manifestURL = OpHarness.repositoryRoot.appendingPathComponent("data/fashion-mnist.sha256")

    func testParsesSha256sumFormatAndRejectsMalformedLines() throws {
        let hex = String(repeating: "ab", count: 32)
        let manifest = try DataManifest(text: "\(hex)  a.gz\n\n\(hex.uppercased()) *b.gz\n", source: "m", op: "t")
        XCTAssertEqual(manifest.digests, ["a.gz": "sha256:" + hex, "b.gz": "sha256:" + hex])
        for bad in ["\(hex)", "abc  a.gz", "\(hex)  dir/a.gz", ""] {
            XCTAssertThrowsError(try DataManifest(text: bad, source: "m", op: "t"), bad)
        }
    }

    func testVerifyPassesOnMatchingFilesAndNamesTheChangedOne() throws {
        let harness = try OpHarness()
        let file = try harness.file("x.bin", "hello")
        // sha256("hello"), pinned.
        let good = DataManifest(digests: ["x.bin": "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"])
        XCTAssertNoThrow(try good.verify(directory: harness.scratch.path, op: "t"))
        try Data("hellO".utf8).write(to: file)
        XCTAssertThrowsError(try good.verify(directory: harness.scratch.path, op: "t")) { error in
            XCTAssertTrue("\(error)".contains("x.bin") && "\(error)".contains("manifest says"), "\(error)")
        }
        let missing = DataManifest(digests: ["gone.bin": good.digests["x.bin"]!])
        XCTAssertThrowsError(try missing.verify(directory: harness.scratch.path, op: "t"))
    }

    func testRepositoryManifestMatchesTheInstalledFashionMNIST() throws {
        guard FileManager.default.fileExists(atPath: IDXLoader.defaultFashionMNISTDirectory + "train-labels-idx1-ubyte.gz") else {
            throw XCTSkip("Fashion-MNIST not installed")
        }
        let manifest = try DataManifest(contentsOf: manifestURL, op: "t")
        XCTAssertEqual(manifest.digests.count, 4)
        XCTAssertNoThrow(try manifest.verify(directory: IDXLoader.defaultFashionMNISTDirectory, op: "t"))
    }

    /// The digests enter the item keys through the setup, and a manifest that
    /// does not match the files stops the stage before any training.
    func testPopulationTrainRecordsTheDigestsAndRefusesOtherData() async throws {
        guard FileManager.default.fileExists(atPath: IDXLoader.defaultFashionMNISTDirectory + "train-labels-idx1-ubyte.gz") else {
            throw XCTSkip("Fashion-MNIST not installed")
        }
        let harness = try OpHarness()
        let (_, sample) = try await harness.run(PopulationSampleOp()) {
            $0.params["population"] = .int(2)
            $0.params["heldout"] = .int(2)
        }
        func tiny(_ context: inout OpContext) {
            for (name, value) in [("train_size", 100), ("test_size", 50), ("resolution", 7), ("epochs", 1), ("batch", 50)] {
                context.params[name] = .int(value)
            }
        }
        let (_, out) = try await harness.run(PopulationTrainOp(), inputs: ["cells": sample, "data": manifestURL]) { tiny(&$0) }
        let setup = try JSONDecoder().decode(SetupRecord.self, from: Data(contentsOf: out.appendingPathComponent("setup.json"))).setup
        let manifest = try DataManifest(contentsOf: manifestURL, op: "t")
        XCTAssertEqual(setup.dataDigests, manifest.digests)
        XCTAssertTrue(setup.canonical.contains(manifest.digests["train-images-idx3-ubyte.gz"]!))
        var wrong = manifest.digests
        wrong["t10k-labels-idx1-ubyte.gz"] = "sha256:" + String(repeating: "0", count: 64)
        let wrongURL = try harness.file("wrong.sha256",
                                        wrong.map { "\($0.value.dropFirst("sha256:".count))  \($0.key)\n" }.sorted().joined())
        await assertThrows("t10k-labels-idx1-ubyte.gz") {
            _ = try await harness.run(PopulationTrainOp(), inputs: ["cells": sample, "data": wrongURL]) { tiny(&$0) }
        }
    }
}
