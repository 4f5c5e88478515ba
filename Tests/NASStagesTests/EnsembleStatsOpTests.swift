import Foundation
import NAS
@testable import NASStages
import Pipeline
import XCTest

/// `ensemble-stats` through `predictor.train` / `predictor.evaluate` on the first 60 rows of
/// the real NB101 table: the stage must build the documented feature layout
/// (tensor | flat | statistics | path) and match `RankEnsemble.statistics` in the library.
final class EnsembleStatsOpTests: XCTestCase {
    private static let rows: [BenchmarkRow] = {
        let url = OpHarness.repositoryRoot.appendingPathComponent(BenchmarkFormat.nb101.repositoryTable)
        let csv = try! CSVFile.load(path: url.path)  // the shipped table; loading it is tested elsewhere
        let text = ([csv.header.joined(separator: ",")] + csv.records.prefix(60).map { $0.fields.joined(separator: ",") })
            .joined(separator: "\n")
        let table = try! NB101Table(csv: CSVFile(file: "first 60 rows", text: text))
        return table.records.map { BenchmarkRow(id: $0.hash, cell: .nb101($0.cell), accuracy: $0.validationAccuracy108) }
    }()

    func testEnsembleStatsMatchesLibrary() async throws {
        let harness = try OpHarness()
        let split = try TrainTestSplit(count: Self.rows.count, trainSize: 30, seed: 0)
        let format = BenchmarkFormat.nb101
        let metadata = BenchmarkMetadata(
            layoutVersion: 1, format: format, space: "nb101", label: "val_acc_108", unit: format.unit,
            columns: format.canonicalColumns, rows: 60, train: 30, test: 30, trainSize: 30,
            seed: 0, testSource: "remaining", testOverlapRemoved: 0, warnings: 0)
        let artifact = BenchmarkArtifact(metadata: metadata, train: split.train.map { Self.rows[$0] },
                                         test: split.test.map { Self.rows[$0] })
        let tableURL = harness.scratch.appendingPathComponent("table")
        try FileManager.default.createDirectory(at: tableURL, withIntermediateDirectories: true)
        try artifact.write(to: tableURL, warnings: [])

        let (fit, model) = try await harness.run(PredictorTrainOp(), inputs: ["table": tableURL]) {
            $0.params["variant"] = .string("ensemble-stats")
            $0.params["epochs"] = .int(1)
            $0.params["batch_size"] = .int(16)
            $0.params["seed"] = .int(2)
        }
        let (result, _) = try await harness.run(PredictorEvaluateOp(), inputs: ["model": model, "table": tableURL])
        let (tensor, flat, stats, path) = (NB101ReNASEncoding(), NB101FlatEncoding(), NB101CellStatistics(), NB101PathEncoding())
        let ensemble = RankEnsemble.statistics(
            cnn: ReNASPredictor.nb101(options: .init(epochs: 1, batchSize: 16)), tensorWidth: tensor.featureCount,
            flatWidth: flat.featureCount, statisticsWidth: stats.featureCount, pathWidth: path.featureCount)
        func features(_ rows: [BenchmarkRow]) throws -> FeatureMatrix {
            let cells = rows.nb101Cells!
            return try tensor.encode(cells).concatenating(columnsOf: flat.encode(cells))
                .concatenating(columnsOf: stats.encode(cells)).concatenating(columnsOf: path.encode(cells))
        }
        let expected = try evaluatePredictor(
            ensemble, trainFeatures: try features(artifact.train), trainLabels: artifact.train.accuracies,
            testFeatures: try features(artifact.test), testLabels: artifact.test.accuracies, seed: 2)
        XCTAssertEqual(result.metrics["kendall_tau"], expected.kendallTau)
        XCTAssertEqual(fit.metrics["features"], Double(931 + 36 + 11 + 364))
        let saved = try ModelMetadata.read(from: model, inputName: "model", op: "test")
        XCTAssertEqual(saved.encoding, "renas-nb101+flat-nb101+stats-nb101+path-nb101")
        XCTAssertEqual(saved.predictor, "ensemble(renas-pairwise+kernel-ridge@rank+ridge@rank)")
    }
}
