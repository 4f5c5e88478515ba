import Foundation
import XCTest
@testable import NAS

/// Scores a row by its first feature: a perfect predictor when that feature is the label.
struct FirstFeaturePredictor: RankPredictor {
    var fitted = false
    var name: String { "first-feature" }
    mutating func fit(features: FeatureMatrix, labels: [Double], seed: UInt64) throws { fitted = true }
    func predict(features: FeatureMatrix) throws -> [Double] {
        guard fitted else { throw NASError.invalidArgument(name: "predictor", reason: "unfitted") }
        return (0..<features.rows).map { features[$0, 0] }
    }
}

final class PredictorEvaluationTests: XCTestCase {
    func testPerfectAndReversedPredictors() throws {
        let train: [Double] = [5, 50, 13]
        let test: [Double] = (0..<30).map { Double(($0 * 7) % 30) }  // 0…29 permuted
        let trainX = try FeatureMatrix(train.map { [$0] }), testX = try FeatureMatrix(test.map { [$0] })
        let m = try evaluatePredictor(FirstFeaturePredictor(), trainFeatures: trainX, trainLabels: train,
                                      testFeatures: testX, testLabels: test, seed: 0)
        XCTAssertEqual(m.kendallTau, 1)
        XCTAssertEqual(m.spearman, 1)
        XCTAssertEqual(m.nTrain, 3)
        XCTAssertEqual(m.nTest, 30)
        XCTAssertEqual(m.topK, 10)
        XCTAssertEqual(m.topKBestLabel, 29)
        XCTAssertEqual(m.topKBestRank, 2)  // 50 in the training set is better
        XCTAssertEqual(m.topKBestPercentile, 100 * 32 / 33, accuracy: 1e-12)

        let reversed = try FeatureMatrix(test.map { [-$0] })
        let r = try evaluatePredictor(FirstFeaturePredictor(), trainFeatures: trainX, trainLabels: train,
                                      testFeatures: reversed, testLabels: test, seed: 0, topK: 3)
        XCTAssertEqual(r.kendallTau, -1)
        XCTAssertEqual(r.topKBestLabel, 2)  // predicted best are the true 0, 1, 2
        XCTAssertEqual(r.topKBestRank, 31)  // test labels 3…29 (27) and all 3 training labels are better
        XCTAssertThrowsError(try evaluatePredictor(FirstFeaturePredictor(), trainFeatures: trainX, trainLabels: train,
                                                   testFeatures: testX, testLabels: [1], seed: 0))
    }

    func testCellOverloadEncodesAndMetricsRoundTripAsSnakeCaseJSON() throws {
        let table = try TestData.nb201Table.get()
        let records = Array(table.records.prefix(120))
        let split = try TrainTestSplit(count: records.count, trainSize: 40, seed: 2)
        let (train, test) = try split.apply(to: records)
        let m = try evaluatePredictor(RidgeRegression(), encoding: NB201FlatEncoding(),
                                      trainCells: train.map(\.cell), trainLabels: train.map(\.testAccuracy),
                                      testCells: test.map(\.cell), testLabels: test.map(\.testAccuracy), seed: 2)
        XCTAssertEqual(m.encoding, "flat-nb201")
        XCTAssertEqual(m.predictor, "ridge")
        XCTAssertEqual(m.nTest, 80)
        let json = try JSONEncoder().encode(m)
        let text = String(decoding: json, as: UTF8.self)
        for key in ["kendall_tau", "spearman", "n_train", "n_test", "top_k_best_percentile"] {
            XCTAssertTrue(text.contains("\"\(key)\""), key)
        }
        XCTAssertEqual(try JSONDecoder().decode(PredictorMetrics.self, from: json), m)
    }
}
