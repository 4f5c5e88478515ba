import Foundation
import NAS
@testable import NASStages
import Pipeline
import XCTest

/// The predictor ops on a small table: the first 60 rows of the real
/// NAS-Bench-201 table, written as a benchmark.load artifact.
final class PredictorOpsTests: XCTestCase {
    private static let rows: [BenchmarkRow] = {
        let url = OpHarness.repositoryRoot.appendingPathComponent(BenchmarkFormat.nb201.repositoryTable)
        let table = try! NB201Table.load(path: url.path)  // the shipped table; loading it is tested elsewhere
        return table.records.prefix(60).map { BenchmarkRow(id: String($0.arch), cell: .nb201($0.cell), accuracy: $0.testAccuracy) }
    }()

    /// A benchmark.load-style artifact of the 60 rows split (trainSize, seed).
    private func table(_ harness: OpHarness, trainSize: Int = 30, seed: UInt64 = 0) throws -> (URL, BenchmarkArtifact) {
        let split = try TrainTestSplit(count: Self.rows.count, trainSize: trainSize, seed: seed)
        let format = BenchmarkFormat.nb201
        let metadata = BenchmarkMetadata(
            layoutVersion: 1, format: format, space: "nb201", label: "test_top1", unit: format.unit,
            columns: format.canonicalColumns, rows: 60, train: trainSize, test: 60 - trainSize, trainSize: trainSize,
            seed: seed, testSource: "remaining", testOverlapRemoved: 0, warnings: 0)
        let artifact = BenchmarkArtifact(metadata: metadata, train: split.train.map { Self.rows[$0] },
                                         test: split.test.map { Self.rows[$0] })
        let dir = harness.scratch.appendingPathComponent("table-\(trainSize)-\(seed)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try artifact.write(to: dir, warnings: [])
        return (dir, artifact)
    }

    private func train(_ harness: OpHarness, _ table: URL, variant: String, encoding: String = "renas",
                       epochs: Int = 2, seed: Int = 0) async throws -> (OpResult, URL) {
        try await harness.run(PredictorTrainOp(), inputs: ["table": table]) {
            $0.params["variant"] = .string(variant)
            $0.params["encoding"] = .string(encoding)
            $0.params["epochs"] = .int(epochs)
            $0.params["batch_size"] = .int(16)
            $0.params["seed"] = .int(seed)
        }
    }

    func testRidgeTrainEvaluateAgreesWithLibraryEvaluation() async throws {
        let harness = try OpHarness()
        let (tableURL, artifact) = try table(harness)
        let (fit, model) = try await train(harness, tableURL, variant: "ridge", encoding: "flat")
        let (result, out) = try await harness.run(PredictorEvaluateOp(), inputs: ["model": model, "table": tableURL])

        let encoding = NB201FlatEncoding()
        let expected = try evaluatePredictor(
            RidgeRegression(), encoding: encoding, trainCells: artifact.train.nb201Cells!,
            trainLabels: artifact.train.accuracies, testCells: artifact.test.nb201Cells!,
            testLabels: artifact.test.accuracies, seed: 0, topK: 10)
        XCTAssertEqual(result.metrics["kendall_tau"], expected.kendallTau)
        XCTAssertEqual(result.metrics["spearman"], expected.spearman)
        XCTAssertEqual(result.metrics["top_k_best_accuracy"], expected.topKBestLabel)
        XCTAssertEqual(result.metrics["top_k_best_rank"], Double(expected.topKBestRank))
        XCTAssertEqual(result.metrics["top_k_best_percentile"], expected.topKBestPercentile)
        XCTAssertEqual(result.metrics["n_train"], 30)
        XCTAssertEqual(result.metrics["n_test"], 30)
        XCTAssertEqual(fit.metrics["features"], Double(encoding.featureCount))

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("metrics.json"))) as! [String: Any]
        for key in ["kendall_tau", "spearman", "n_train", "n_test", "top_k_best_accuracy", "top_k_best_percentile"] {
            XCTAssertNotNil(json[key], key)
        }
        XCTAssertEqual(try String(contentsOf: out.appendingPathComponent("top.csv"), encoding: .utf8)
            .split(separator: "\n").count, 11)

        // model.json holds the fitted ridge exactly.
        var reference = RidgeRegression()
        try reference.fit(features: encoding.encode(artifact.train.nb201Cells!), labels: artifact.train.accuracies, seed: 0)
        let saved = try ModelMetadata.read(from: model, inputName: "model", op: "test")
        XCTAssertEqual(saved.weights, reference.model!.weights)
        XCTAssertEqual(saved.intercept, reference.model!.intercept)
        XCTAssertEqual(saved.alpha, reference.model!.alpha)
        XCTAssertEqual(saved.means, reference.model!.standardizer.means)
        XCTAssertEqual(saved.encoding, "flat-nb201")
    }

    func testReNASFitIsDeterministicAndStoresAllTensors() async throws {
        let harness = try OpHarness()
        let (tableURL, _) = try table(harness)
        let (_, a) = try await train(harness, tableURL, variant: "renas", epochs: 2, seed: 3)
        let (_, b) = try await train(harness, tableURL, variant: "renas", epochs: 2, seed: 3)
        for name in ["model.json", "scores.csv", "weights.bin"] {
            XCTAssertEqual(try Data(contentsOf: a.appendingPathComponent(name)),
                           try Data(contentsOf: b.appendingPathComponent(name)), name)
        }
        let saved = try ModelMetadata.read(from: a, inputName: "model", op: "test")
        XCTAssertEqual(saved.predictor, "renas-pairwise")
        let floats = saved.tensorShapes.reduce(0) { $0 + $1.reduce(1, *) }
        XCTAssertGreaterThan(floats, 0)
        XCTAssertEqual(try Data(contentsOf: a.appendingPathComponent("weights.bin")).count, 4 * floats)
        XCTAssertEqual(saved.means.count, NB201ReNASEncoding().featureCount)
    }

    func testEnsembleMatchesLibraryEnsembleOnConcatenatedEncodings() async throws {
        let harness = try OpHarness()
        let (tableURL, artifact) = try table(harness)
        let (fit, model) = try await train(harness, tableURL, variant: "ensemble", epochs: 1, seed: 2)
        let (result, _) = try await harness.run(PredictorEvaluateOp(), inputs: ["model": model, "table": tableURL])
        let tensor = NB201ReNASEncoding(), flat = NB201FlatEncoding()
        let options = ReNASPredictor.Options(epochs: 1, batchSize: 16)
        let ensemble = RankEnsemble([
            .init(ReNASPredictor.nb201(loss: .pairwise, options: options), columns: 0..<tensor.featureCount),
            .init(KernelRidge(), columns: tensor.featureCount..<(tensor.featureCount + flat.featureCount)),
        ])
        func features(_ rows: [BenchmarkRow]) throws -> FeatureMatrix {
            try tensor.encode(rows.nb201Cells!).concatenating(columnsOf: flat.encode(rows.nb201Cells!))
        }
        let expected = try evaluatePredictor(
            ensemble, trainFeatures: try features(artifact.train), trainLabels: artifact.train.accuracies,
            testFeatures: try features(artifact.test), testLabels: artifact.test.accuracies, seed: 2)
        XCTAssertEqual(result.metrics["kendall_tau"], expected.kendallTau)
        XCTAssertEqual(result.metrics["top_k_best_accuracy"], expected.topKBestLabel)
        XCTAssertEqual(fit.metrics["features"], Double(tensor.featureCount + flat.featureCount))
        let saved = try ModelMetadata.read(from: model, inputName: "model", op: "test")
        XCTAssertEqual(saved.encoding, "renas-nb201+flat-nb201")
        XCTAssertEqual(saved.predictor, "ensemble(renas-pairwise+kernel-ridge)")
    }

    /// Save → load → identical scores: the predictor restored from the model
    /// artifact scores the test rows bit-identically to the fit's scores.csv, and
    /// `predictor.evaluate` (which scores from the restored model) reports the
    /// metrics of those scores.
    func testEvaluateScoresFromTheSavedModel() async throws {
        let harness = try OpHarness()
        let (tableURL, artifact) = try table(harness)
        for variant in ["renas", "renas-mse", "ridge", "kernel-ridge"] {
            let encoding = variant.hasPrefix("renas") ? "renas" : "flat"
            let (_, model) = try await train(harness, tableURL, variant: variant, encoding: encoding, epochs: 2, seed: 1)
            let metadata = try ModelMetadata.read(from: model, inputName: "model", op: "test")
            let saved = try ModelScores.read(model.appendingPathComponent("scores.csv"), name: "scores.csv", op: "test")
            let fitScores = artifact.test.map { saved.test[$0.id]! }
            let restored = try RestoredModel(metadata, directory: model, trainRows: artifact.train, op: "test")
            let x = try restored.settings.features(artifact.test, op: "test").matrix
            XCTAssertEqual(try restored.predictor.predict(features: x), fitScores, variant)

            let (result, _) = try await harness.run(PredictorEvaluateOp(), inputs: ["model": model, "table": tableURL])
            let expected = try RankingMetrics(scores: fitScores, testLabels: artifact.test.accuracies,
                                              trainLabels: artifact.train.accuracies, k: 10)
            XCTAssertEqual(result.metrics["kendall_tau"], expected.kendallTau, variant)
            XCTAssertEqual(result.metrics["top_k_best_accuracy"], expected.topKBestAccuracy, variant)
        }
    }

    /// A restorable model scores another table of the same space (here a split with
    /// other test rows), as the library predictor would; a damaged weights.bin fails.
    func testRestoredModelScoresAnotherTable() async throws {
        let harness = try OpHarness()
        let (tableURL, artifact) = try table(harness)
        let (otherURL, other) = try table(harness, trainSize: 20, seed: 7)
        let (_, model) = try await train(harness, tableURL, variant: "renas", epochs: 2, seed: 0)
        let (result, _) = try await harness.run(PredictorEvaluateOp(), inputs: ["model": model, "table": otherURL])

        var predictor = ReNASPredictor.nb201(options: .init(epochs: 2, batchSize: 16))
        let encoding = NB201ReNASEncoding()
        try predictor.fit(features: encoding.encode(artifact.train.nb201Cells!), labels: artifact.train.accuracies, seed: 0)
        let scores = try predictor.predict(features: encoding.encode(other.test.nb201Cells!))
        let expected = try RankingMetrics(scores: scores, testLabels: other.test.accuracies,
                                          trainLabels: other.train.accuracies, k: 10)
        XCTAssertEqual(result.metrics["kendall_tau"], expected.kendallTau)
        XCTAssertEqual(result.metrics["n_test"], 40)

        let weights = model.appendingPathComponent("weights.bin")
        try Data(try Data(contentsOf: weights).dropLast(4)).write(to: weights)
        await assertThrows("weights.bin") {
            _ = try await harness.run(PredictorEvaluateOp(), inputs: ["model": model, "table": otherURL])
        }
    }

    /// `ensemble-wide` = `RankEnsemble.wide` on the three encodings concatenated,
    /// evaluated from its scores.csv (not restorable).
    func testWideEnsembleMatchesLibrary() async throws {
        let harness = try OpHarness()
        let (tableURL, artifact) = try table(harness)
        let (fit, model) = try await train(harness, tableURL, variant: "ensemble-wide", epochs: 1, seed: 2)
        let (result, _) = try await harness.run(PredictorEvaluateOp(), inputs: ["model": model, "table": tableURL])
        let (tensor, flat, path) = (NB201ReNASEncoding(), NB201FlatEncoding(), NB201PathEncoding())
        let ensemble = RankEnsemble.wide(cnn: ReNASPredictor.nb201(options: .init(epochs: 1, batchSize: 16)),
                                         tensorWidth: tensor.featureCount, flatWidth: flat.featureCount,
                                         pathWidth: path.featureCount)
        func features(_ rows: [BenchmarkRow]) throws -> FeatureMatrix {
            try tensor.encode(rows.nb201Cells!).concatenating(columnsOf: flat.encode(rows.nb201Cells!))
                .concatenating(columnsOf: path.encode(rows.nb201Cells!))
        }
        let expected = try evaluatePredictor(
            ensemble, trainFeatures: try features(artifact.train), trainLabels: artifact.train.accuracies,
            testFeatures: try features(artifact.test), testLabels: artifact.test.accuracies, seed: 2)
        XCTAssertEqual(result.metrics["kendall_tau"], expected.kendallTau)
        XCTAssertEqual(fit.metrics["features"], Double(tensor.featureCount + flat.featureCount + path.featureCount))
        let saved = try ModelMetadata.read(from: model, inputName: "model", op: "test")
        XCTAssertEqual(saved.encoding, "renas-nb201+flat-nb201+path-nb201")
        XCTAssertEqual(saved.predictor, "ensemble(renas-pairwise+renas-pairwise+renas-pairwise+kernel-ridge+ridge)")
    }

    func testMismatchesFailTheStage() async throws {
        let harness = try OpHarness()
        let (tableURL, _) = try table(harness)
        await assertThrows("NB101 table") {
            _ = try await self.train(harness, tableURL, variant: "ensemble-stats", epochs: 1)
        }
        let (other, _) = try table(harness, trainSize: 30, seed: 1)
        // Kernel ridge needs the rows it was fitted on (its support vectors).
        let (_, model) = try await train(harness, tableURL, variant: "kernel-ridge", encoding: "flat")
        await assertThrows("trained on a different split") {
            _ = try await harness.run(PredictorEvaluateOp(), inputs: ["model": model, "table": other])
        }
        await assertThrows("variant renas-mse needs encoding renas, not path") {
            _ = try await self.train(harness, tableURL, variant: "renas-mse", encoding: "path")
        }
        await assertThrows("has no model.json") {
            _ = try await harness.run(PredictorEvaluateOp(), inputs: ["model": tableURL, "table": tableURL])
        }
    }

    func testSweepAggregatesRunsThatMatchDirectEvaluation() async throws {
        let harness = try OpHarness()
        let (tableURL, artifact) = try table(harness)
        let (result, out) = try await harness.run(PredictorSweepOp(), inputs: ["table": tableURL]) {
            $0.params["variants"] = ["ridge", "kernel-ridge"]
            $0.params["sizes"] = [12, 20, 40]
            $0.params["size_count"] = 2
            $0.params["seeds"] = 2
        }
        let runs = try String(contentsOf: out.appendingPathComponent("runs.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(runs.count, 1 + 2 * 2 * 2)
        let summary = try String(contentsOf: out.appendingPathComponent("summary.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(summary.count, 1 + 2 * 2)
        XCTAssertTrue(try String(contentsOf: out.appendingPathComponent("tau_vs_size.svg"), encoding: .utf8).hasPrefix("<svg"))
        XCTAssertEqual(result.figures.count, 1)
        XCTAssertEqual(result.metrics["runs"], 8)

        // ridge, n=20, seed 1 redone by hand on the same pool and split.
        let pool = PredictorSweepOp.pool(artifact)
        XCTAssertEqual(pool.map(\.id), (0..<60).map(String.init))
        let split = try TrainTestSplit(count: 60, trainSize: 20, seed: 1)
        let direct = try evaluatePredictor(
            RidgeRegression(), encoding: NB201ReNASEncoding(), trainCells: split.train.map { pool[$0].cell }.compactMap {
                if case let .nb201(c) = $0 { return c } else { return nil }
            }, trainLabels: split.train.map { pool[$0].accuracy },
            testCells: split.test.map { pool[$0].cell }.compactMap { if case let .nb201(c) = $0 { return c } else { return nil } },
            testLabels: split.test.map { pool[$0].accuracy }, seed: 1)
        let line = runs.first { $0.hasPrefix("ridge,20,1,") }.map(String.init)
        XCTAssertEqual(line?.split(separator: ",")[3].description, direct.kendallTau.map { "\($0)" })
        let tau0 = Double(runs.first { $0.hasPrefix("ridge,20,0,") }!.split(separator: ",")[3])!
        let tau1 = direct.kendallTau!
        XCTAssertEqual(result.metrics["tau_mean.ridge.20"]!, (tau0 + tau1) / 2, accuracy: 1e-12)
    }
}
