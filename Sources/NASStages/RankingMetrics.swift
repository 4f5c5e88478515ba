import NAS

/// How well scores rank a test set, and what a top-K search over it finds:
/// the numbers `predictor.evaluate` writes to `metrics.json`.
///
/// The search protocol is the ReNAS one: score every test cell, "train" only
/// the K predicted best (look up their true accuracy), keep the best of them.
/// Its rank and percentile are taken in the whole table (training and test
/// rows), as the table is the search space the search explored.
public struct RankingMetrics: Hashable, Sendable, Codable {
    /// Kendall τ-b of scores against true accuracies on the test set (nil if undefined).
    public var kendallTau: Double?
    /// Spearman ρ on the test set (nil if undefined).
    public var spearman: Double?
    /// Training rows.
    public var nTrain: Int
    /// Test rows.
    public var nTest: Int
    /// K of the search (10 unless the test set is smaller).
    public var topK: Int
    /// Best true accuracy among the K test cells predicted best.
    public var topKBestAccuracy: Double
    /// Its rank in the whole table, 1 = best; ties share the better rank.
    public var topKBestRank: Int
    /// 100 × (table cells with accuracy ≤ it) / table cells.
    public var topKBestPercentile: Double
    /// Fraction of the K truly best test cells among the K predicted best.
    public var precisionAtK: Double
    /// Best accuracy in the whole table, for scale.
    public var tableBestAccuracy: Double
    /// Test-set indices of the K predicted best, best first.
    public var topKIndices: [Int]

    enum CodingKeys: String, CodingKey {
        case kendallTau = "kendall_tau", spearman, nTrain = "n_train", nTest = "n_test", topK = "top_k"
        case topKBestAccuracy = "top_k_best_accuracy", topKBestRank = "top_k_best_rank"
        case topKBestPercentile = "top_k_best_percentile", precisionAtK = "precision_at_k"
        case tableBestAccuracy = "table_best_accuracy", topKIndices = "top_k_indices"
    }

    /// Metrics of `scores` for `testLabels`, with `trainLabels` completing the table.
    public init(scores: [Double], testLabels: [Double], trainLabels: [Double], k requested: Int = 10) throws {
        guard scores.count == testLabels.count, !testLabels.isEmpty else {
            throw NASError.invalidArgument(name: "scores", reason: "\(scores.count) scores for \(testLabels.count) test rows (need ≥ 1)")
        }
        let k = min(max(1, requested), testLabels.count)
        // Ties in score go to the lower index, so the result is deterministic.
        let top = Array(scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }.prefix(k))
        let best = top.map { testLabels[$0] }.max()!  // k ≥ 1
        let table = trainLabels + testLabels
        kendallTau = try NAS.kendallTau(scores, testLabels)
        spearman = try spearmanRho(scores, testLabels)
        nTrain = trainLabels.count
        nTest = testLabels.count
        topK = k
        topKBestAccuracy = best
        topKBestRank = 1 + table.filter { $0 > best }.count
        topKBestPercentile = 100 * Double(table.filter { $0 <= best }.count) / Double(table.count)
        precisionAtK = try NAS.precisionAtTopK(predicted: scores, truth: testLabels, k: k)
        tableBestAccuracy = table.max()!
        topKIndices = top
    }

    /// The scalar metrics for `OpResult.metrics` (undefined correlations left out).
    var scalars: [String: Double] {
        var out: [String: Double] = [
            "n_train": Double(nTrain), "n_test": Double(nTest), "top_k": Double(topK),
            "top_k_best_accuracy": topKBestAccuracy, "top_k_best_rank": Double(topKBestRank),
            "top_k_best_percentile": topKBestPercentile, "precision_at_k": precisionAtK,
        ]
        if let kendallTau { out["kendall_tau"] = kendallTau }
        if let spearman { out["spearman"] = spearman }
        return out
    }
}
