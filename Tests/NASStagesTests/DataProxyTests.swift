import ArtifactStore
import Foundation
import NAS
import NASStages
import Pipeline
import XCTest

/// An in-memory item cache that counts stores (= executed items) and can
/// throw on a chosen store to imitate an interruption.
final class CountingItemCache: ItemCache, @unchecked Sendable {
    // @unchecked: every stored property is guarded by `lock`.
    private let lock = NSLock()
    private var items: [[String: String]: Data] = [:]
    private var stores = 0
    private var failOnStore: Int?

    func load(_ item: [String: String]) throws -> Data? { lock.withLock { items[item] } }

    func store(_ item: [String: String], _ data: Data) throws {
        try lock.withLock {
            stores += 1
            if stores == failOnStore { throw CancellationError() }
            items[item] = data
        }
    }

    /// Stores so far (including a failing one), then resets the count.
    func takeStores() -> Int { lock.withLock { defer { stores = 0 }; return stores } }
    func failOn(_ store: Int?) { lock.withLock { failOnStore = store } }
}

/// The data-proxy ops on real Fashion-MNIST, at toy sizes.
final class DataProxyTests: XCTestCase {
    private func requireData() throws {
        guard FileManager.default.fileExists(atPath: IDXLoader.defaultFashionMNISTDirectory + "train-labels-idx1-ubyte.gz") else {
            throw XCTSkip("Fashion-MNIST not installed")
        }
    }

    /// Tiny setup: 7×7 images, 200 training and 100 test examples, one epoch.
    private func tiny(_ context: inout OpContext) {
        for (name, value) in [("train_size", 200), ("test_size", 100), ("resolution", 7), ("epochs", 1), ("batch", 50)] {
            context.params[name] = .int(value)
        }
    }

    func testPopulationTrainResumesAfterAnInterruptionTrainingOnlyTheRest() async throws {
        try requireData()
        let harness = try OpHarness()
        let (_, sample) = try await harness.run(PopulationSampleOp()) {
            $0.params["population"] = .int(5)
            $0.params["heldout"] = .int(2)
        }
        let cache = CountingItemCache()
        cache.failOn(3)  // the third finished architecture "crashes" the stage
        await assertThrows("Cancellation") {
            _ = try await harness.run(PopulationTrainOp(), inputs: ["cells": sample]) {
                self.tiny(&$0)
                $0.params["parallel"] = .int(1)
                $0.itemCache = cache
            }
        }
        XCTAssertEqual(cache.takeStores(), 3)
        cache.failOn(nil)
        let (result, out) = try await harness.run(PopulationTrainOp(), inputs: ["cells": sample]) {
            self.tiny(&$0)
            $0.itemCache = cache
        }
        XCTAssertEqual(cache.takeStores(), 3, "2 cached architectures are loaded, the other 3 trained")
        XCTAssertEqual(result.metrics["runs"], 5)
        let runs = try JSONDecoder().decode([ArchitectureRun].self, from: Data(contentsOf: out.appendingPathComponent("runs.json")))
        XCTAssertEqual(runs.count, 5)
        XCTAssertTrue(runs.allSatisfy { $0.trainCorrect.count == 1 && $0.trainCorrect[0].count == 200 && $0.trainEntropy.count == 200 })
        // A fresh run without the cache reproduces the cached results exactly (wall times aside).
        let (_, again) = try await harness.run(PopulationTrainOp(), inputs: ["cells": sample]) { self.tiny(&$0) }
        let fresh = try JSONDecoder().decode([ArchitectureRun].self, from: Data(contentsOf: again.appendingPathComponent("runs.json")))
        XCTAssertEqual(fresh.map(\.testCorrect), runs.map(\.testCorrect))
        XCTAssertEqual(fresh.map(\.trainLosses), runs.map(\.trainLosses))
    }

    func testWarmupEntersTheRecipeAndTheItemKeysAndMustBeShorterThanTraining() async throws {
        try requireData()
        let harness = try OpHarness()
        let (_, sample) = try await harness.run(PopulationSampleOp()) {
            $0.params["population"] = .int(2)
            $0.params["heldout"] = .int(2)
        }
        let cache = CountingItemCache()
        func train(warmup: Int) async throws -> [ArchitectureRun] {
            let (_, out) = try await harness.run(PopulationTrainOp(), inputs: ["cells": sample]) {
                self.tiny(&$0)
                $0.params["epochs"] = .int(2)
                $0.params["warmup_epochs"] = .int(warmup)
                $0.itemCache = cache
            }
            return try JSONDecoder().decode([ArchitectureRun].self, from: Data(contentsOf: out.appendingPathComponent("runs.json")))
        }
        let cold = try await train(warmup: 0)
        XCTAssertEqual(cache.takeStores(), 2)
        let warm = try await train(warmup: 1)
        XCTAssertEqual(cache.takeStores(), 2, "a different warm-up is a different item: both cells train again")
        XCTAssertNotEqual(warm.map(\.trainLosses), cold.map(\.trainLosses), "warm-up changes the first epoch's rates")
        _ = try await train(warmup: 1)
        XCTAssertEqual(cache.takeStores(), 0, "same warm-up: every run comes from the item cache")
        await assertThrows("warmup_epochs 2 must be less than epochs 2") {
            _ = try await train(warmup: 2)
        }
    }

    func testQuickStudyRunsThroughTheRunnerAndWritesMetrics() async throws {
        try requireData()
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("proxy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let document = OpHarness.repositoryRoot.appendingPathComponent("pipelines/data-proxy-fashion.md")
        let overrides = ["population=4", "heldout=4", "train_size=200", "test_size=100", "epochs=1", "batch=50", "cells=1",
                         "reference_seeds=2", "selection_seeds=2", "method_count=3", "ratio_count=1"]
        let validation = try PipelineValidator(registry: .nasbook, repositoryRoot: OpHarness.repositoryRoot)
            .check(fileAt: document, displayPath: "pipelines/data-proxy-fashion.md", overrides: overrides.map(ParamOverride.parse))
        XCTAssertEqual(validation.diagnostics.map(\.description), [])
        let pipeline = try XCTUnwrap(validation.pipeline)
        let runner = try PipelineRunner(storeRoot: base.appendingPathComponent("store"), repositoryRoot: OpHarness.repositoryRoot,
                                        registry: .nasbook)
        let result = try await runner.run(pipeline, name: "proxy", document: Data(contentsOf: document), options: RunOptions(jobs: 1))
        XCTAssertTrue(result.succeeded, "\(result.report.failures)")
        let output = try XCTUnwrap(result.report.outcomes["validate"]?.output)
        let metrics = try JSONSerialization.jsonObject(with: Data(readTree(runner, output, "metrics.json").utf8)) as? [String: Any]
        let methods = try XCTUnwrap(metrics?["methods"] as? [String: [String: [String: Any]]])
        XCTAssertEqual(Set(methods.keys), ["ranking", "random", "entropy"])
        let ranking = try XCTUnwrap(methods["ranking"]?["0.1"])
        let tau = try XCTUnwrap(ranking["kendall_tau"] as? [String: Any])
        XCTAssertEqual((tau["per_seed"] as? [Double])?.count, 2)
        XCTAssertNotNil(ranking["spearman_rho"])
        XCTAssertNotNil(ranking["top5_overlap"])
        XCTAssertGreaterThan(ranking["speedup"] as? Double ?? 0, 1)
        XCTAssertNotNil(metrics?["noise_ceiling"] as? Double)
        XCTAssertNotNil(metrics?["full_run_tau"] as? Double)
        XCTAssertTrue(try readTree(runner, output, "tau_vs_ratio.svg").hasPrefix("<svg"))
        // Item blobs are kept for resumption: population 4 + held-out 4×2 + proxies 3×2×4.
        XCTAssertEqual(StoreItemCache.itemCacheRoots(storeRoot: runner.storeRoot).count, 4 + 8 + 24)

        // A proxy recipe param is part of every proxy item's key, and only of those:
        // the full-data runs are reused, every proxy is trained again.
        let batched = try XCTUnwrap(try PipelineValidator(registry: .nasbook, repositoryRoot: OpHarness.repositoryRoot)
            .check(fileAt: document, displayPath: "pipelines/data-proxy-fashion.md",
                   overrides: (overrides + ["proxy_batch=10"]).map(ParamOverride.parse)).pipeline)
        let second = try await runner.run(batched, name: "proxy", document: Data(contentsOf: document), options: RunOptions(jobs: 1))
        XCTAssertTrue(second.succeeded, "\(second.report.failures)")
        XCTAssertEqual(StoreItemCache.itemCacheRoots(storeRoot: runner.storeRoot).count, 4 + 8 + 24 + 24)
        let csv = try readTree(runner, try XCTUnwrap(second.report.outcomes["validate"]?.output), "proxy_runs.csv")
        XCTAssertEqual(csv.split(separator: "\n").count, 1 + 24)

        // So is the proxy learning rate.
        let slower = try XCTUnwrap(try PipelineValidator(registry: .nasbook, repositoryRoot: OpHarness.repositoryRoot)
            .check(fileAt: document, displayPath: "pipelines/data-proxy-fashion.md",
                   overrides: (overrides + ["proxy_batch=10", "proxy_learning_rate=0.05"]).map(ParamOverride.parse)).pipeline)
        let third = try await runner.run(slower, name: "proxy", document: Data(contentsOf: document), options: RunOptions(jobs: 1))
        XCTAssertTrue(third.succeeded, "\(third.report.failures)")
        XCTAssertEqual(StoreItemCache.itemCacheRoots(storeRoot: runner.storeRoot).count, 4 + 8 + 24 + 24 + 24)

        // And the proxy warm-up, which must be shorter than the proxy trainings.
        let warmed = try XCTUnwrap(try PipelineValidator(registry: .nasbook, repositoryRoot: OpHarness.repositoryRoot)
            .check(fileAt: document, displayPath: "pipelines/data-proxy-fashion.md",
                   overrides: (overrides + ["proxy_batch=10", "proxy_learning_rate=0.05", "proxy_epochs=2", "proxy_warmup_epochs=1"])
                    .map(ParamOverride.parse)).pipeline)
        let fourth = try await runner.run(warmed, name: "proxy", document: Data(contentsOf: document), options: RunOptions(jobs: 1))
        XCTAssertTrue(fourth.succeeded, "\(fourth.report.failures)")
        XCTAssertEqual(StoreItemCache.itemCacheRoots(storeRoot: runner.storeRoot).count, 4 + 8 + 24 + 24 + 24 + 24)
        let tooLong = try XCTUnwrap(try PipelineValidator(registry: .nasbook, repositoryRoot: OpHarness.repositoryRoot)
            .check(fileAt: document, displayPath: "pipelines/data-proxy-fashion.md",
                   overrides: (overrides + ["proxy_warmup_epochs=1"]).map(ParamOverride.parse)).pipeline)
        let fifth = try await runner.run(tooLong, name: "proxy", document: Data(contentsOf: document), options: RunOptions(jobs: 1))
        XCTAssertFalse(fifth.succeeded)
        XCTAssertTrue("\(fifth.report.failures)".contains("must be shorter than their 1 epochs"), "\(fifth.report.failures)")

        // Two proxy trainings per cell: the first is the single-training run (cached), one more per
        // proxy is trained, and the CSV keeps one row per proxy and cell (the mean accuracy).
        let twice = try XCTUnwrap(try PipelineValidator(registry: .nasbook, repositoryRoot: OpHarness.repositoryRoot)
            .check(fileAt: document, displayPath: "pipelines/data-proxy-fashion.md",
                   overrides: (overrides + ["proxy_batch=10", "proxy_trainings=2"]).map(ParamOverride.parse)).pipeline)
        let sixth = try await runner.run(twice, name: "proxy", document: Data(contentsOf: document), options: RunOptions(jobs: 1))
        XCTAssertTrue(sixth.succeeded, "\(sixth.report.failures)")
        let proxyItems: Int = 24 * 5  // five proxy configurations so far, one new training each
        XCTAssertEqual(StoreItemCache.itemCacheRoots(storeRoot: runner.storeRoot).count, 4 + 8 + proxyItems)
        let twiceCSV = try readTree(runner, try XCTUnwrap(sixth.report.outcomes["validate"]?.output), "proxy_runs.csv")
        XCTAssertEqual(twiceCSV.split(separator: "\n").count, 1 + 24)
        XCTAssertNotEqual(twiceCSV, csv, "accuracies are means over two trainings")
    }

    func testDocumentValidatesAsWrittenWithTheStudyDefaults() throws {
        let result = try PipelineValidator(registry: .nasbook, repositoryRoot: OpHarness.repositoryRoot)
            .check(fileAt: OpHarness.repositoryRoot.appendingPathComponent("pipelines/data-proxy-fashion.md"),
                   displayPath: "pipelines/data-proxy-fashion.md", overrides: [])
        XCTAssertEqual(result.diagnostics.map(\.description), [])
        let select = try XCTUnwrap(result.pipeline?.stages.first { $0.name == "selections" })
        XCTAssertEqual(select.params["methods"]?.listValue?.count, 7)
        XCTAssertEqual(select.params["seeds"]?.intValue, 5, "session 7: 5 selection seeds")
        let heldout = try XCTUnwrap(result.pipeline?.stages.first { $0.name == "heldout" })
        XCTAssertEqual(heldout.params["seeds"]?.intValue, 3, "session 7: the ceiling is the mean of three seed pairs")
        let sample = try XCTUnwrap(result.pipeline?.stages.first { $0.name == "sample" })
        XCTAssertEqual(sample.params["stratify"]?.stringValue, "cifar100-12ep", "session 7: table strata")
        let validate = try XCTUnwrap(result.pipeline?.stages.first { $0.name == "validate" })
        XCTAssertEqual(validate.params["proxy_batch"]?.intValue, 32, "session 4: proxies train at batch 32, full runs at 64")
        XCTAssertEqual(heldout.params["batch"]?.intValue, 64)
        let quick = try PipelineValidator(registry: .nasbook, repositoryRoot: OpHarness.repositoryRoot)
            .check(fileAt: OpHarness.repositoryRoot.appendingPathComponent("pipelines/data-proxy-fashion.md"),
                   displayPath: "pipelines/data-proxy-fashion.md", preset: "quick")
        XCTAssertEqual(quick.diagnostics.map(\.description), [])
        let quickSelect = try XCTUnwrap(quick.pipeline?.stages.first { $0.name == "selections" })
        XCTAssertEqual(quickSelect.params["methods"]?.listValue?.count, 2, "a preset sets a list param")
        XCTAssertEqual(quickSelect.params["seeds"]?.intValue, 2)
    }

    private func readTree(_ runner: PipelineRunner, _ digest: Digest, _ path: String) throws -> String {
        var current = digest
        for component in path.split(separator: "/") {
            current = try XCTUnwrap(try runner.store.readTree(current)?[String(component)]?.digest)
        }
        return try runner.store.getString(current)
    }
}
