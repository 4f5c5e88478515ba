/// How well a predictor trained on a few cells ranks the rest of a table.
/// Encoded with snake_case keys for reports.
public struct PredictorMetrics: Hashable, Sendable, Codable {
    /// Predictor name (`RankPredictor.name`).
    public let predictor: String
    /// Encoding name (`CellEncoding.name`), or `features` when given raw features.
    public let encoding: String
    /// Seed of the fit.
    public let seed: UInt64
    /// Kendall τ-b between predicted scores and true labels on the test set (nil if undefined).
    public let kendallTau: Double?
    /// Spearman ρ on the test set (nil if undefined).
    public let spearman: Double?
    /// Training rows.
    public let nTrain: Int
    /// Test rows.
    public let nTest: Int
    /// K of the search result (10 unless the test set is smaller).
    public let topK: Int
    /// Best true label among the K test cells predicted best: the accuracy a
    /// search that trains only those K would find.
    public let topKBestLabel: Double
    /// Rank of that label in the whole table (train ∪ test), 1 = best; ties share the better rank.
    public let topKBestRank: Int
    /// Percentile of that label in the whole table: 100 × (cells with label ≤ it) / cells.
    public let topKBestPercentile: Double

    enum CodingKeys: String, CodingKey {
        case predictor, encoding, seed, spearman
        case kendallTau = "kendall_tau"
        case nTrain = "n_train"
        case nTest = "n_test"
        case topK = "top_k"
        case topKBestLabel = "top_k_best_label"
        case topKBestRank = "top_k_best_rank"
        case topKBestPercentile = "top_k_best_percentile"
    }
}

/// Fits `predictor` on the training cells (encoded by `encoding`) and scores
/// the test cells; see `evaluatePredictor(_:trainFeatures:…)`.
public func evaluatePredictor<P: RankPredictor, E: CellEncoding>(
    _ predictor: P, encoding: E, trainCells: [E.Cell], trainLabels: [Double],
    testCells: [E.Cell], testLabels: [Double], seed: UInt64, topK: Int = 10
) throws -> PredictorMetrics {
    try evaluatePredictor(
        predictor, trainFeatures: encoding.encode(trainCells), trainLabels: trainLabels,
        testFeatures: encoding.encode(testCells), testLabels: testLabels, seed: seed, topK: topK,
        encodingName: encoding.name)
}

/// Fits a copy of `predictor` with `seed` on the training rows, predicts the
/// test rows, and measures ranking quality on the test set plus the result
/// of a top-K search: the best true label among the K test cells predicted
/// best, located in the whole table (training and test rows together).
public func evaluatePredictor<P: RankPredictor>(
    _ predictor: P, trainFeatures: FeatureMatrix, trainLabels: [Double],
    testFeatures: FeatureMatrix, testLabels: [Double], seed: UInt64, topK: Int = 10,
    encodingName: String = "features"
) throws -> PredictorMetrics {
    guard testFeatures.rows == testLabels.count, !testLabels.isEmpty else {
        throw NASError.invalidArgument(
            name: "testLabels", reason: "\(testLabels.count) labels for \(testFeatures.rows) test rows (need ≥ 1)")
    }
    guard topK >= 1 else { throw NASError.invalidArgument(name: "topK", reason: "\(topK) must be at least 1") }
    var model = predictor
    try model.fit(features: trainFeatures, labels: trainLabels, seed: seed)
    let scores = try model.predict(features: testFeatures)
    let k = min(topK, testLabels.count)
    let best = topIndices(scores, k).map { testLabels[$0] }.max()!  // k ≥ 1
    let table = trainLabels + testLabels
    return PredictorMetrics(
        predictor: model.name, encoding: encodingName, seed: seed,
        kendallTau: try kendallTau(scores, testLabels), spearman: try spearmanRho(scores, testLabels),
        nTrain: trainLabels.count, nTest: testLabels.count, topK: k, topKBestLabel: best,
        topKBestRank: 1 + table.filter { $0 > best }.count,
        topKBestPercentile: 100 * Double(table.filter { $0 <= best }.count) / Double(table.count))
}
