import Numerics
import XCTest
@testable import NAS

/// Checks every `RankPredictor` must pass; each conforming type's tests call
/// it with a factory for an unfitted instance.
func assertRankPredictorConformance<P: RankPredictor>(
    minimumTau: Double = 0.8, file: StaticString = #filePath, line: UInt = #line, _ make: () -> P
) throws {
    // Synthetic task: label = monotone (non-linear) function of a linear score plus small noise.
    var rng = SplitMix64(seed: 99)
    func sample(_ n: Int) -> (FeatureMatrix, [Double]) {
        var rows: [[Double]] = [], labels: [Double] = []
        for _ in 0..<n {
            let x = (0..<6).map { _ in Double(rng.next() % 2001) / 1000 - 1 }
            let score = 2 * x[0] - x[1] + 0.5 * x[2]
            rows.append(x)
            labels.append(atan(score) + 0.01 * (Double(rng.next() % 1001) / 1000 - 0.5))
        }
        return (try! FeatureMatrix(rows), labels)  // rows are all 6 long
    }
    let (trainX, trainY) = sample(120)
    let (testX, testY) = sample(200)

    XCTAssertThrowsError(try make().predict(features: testX), "predict before fit", file: file, line: line)
    var bad = make()
    XCTAssertThrowsError(try bad.fit(features: trainX, labels: Array(trainY.dropLast()), seed: 0), file: file, line: line)
    XCTAssertThrowsError(try bad.fit(features: trainX.selecting(rows: [0]), labels: [trainY[0]], seed: 0), file: file, line: line)

    var first = make(), second = make()
    try first.fit(features: trainX, labels: trainY, seed: 3)
    try second.fit(features: trainX, labels: trainY, seed: 3)
    let scores = try first.predict(features: testX)
    XCTAssertEqual(scores.count, testX.rows, file: file, line: line)
    XCTAssertEqual(scores, try second.predict(features: testX), "same seed, same scores", file: file, line: line)
    XCTAssertTrue(scores.allSatisfy(\.isFinite), file: file, line: line)
    let tau = try XCTUnwrap(kendallTau(scores, testY), file: file, line: line)
    XCTAssertGreaterThan(tau, minimumTau, "learns a monotone linear signal", file: file, line: line)
    XCTAssertThrowsError(try first.predict(features: FeatureMatrix([[1, 2]])), "wrong width", file: file, line: line)
    XCTAssertFalse(first.name.isEmpty, file: file, line: line)
}
