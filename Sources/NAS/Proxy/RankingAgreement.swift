/// How well one ranking of architectures reproduces a reference ranking.
public struct RankingAgreement: Sendable, Hashable, Codable {
    /// Kendall τ-b (0 when undefined, e.g. a constant ranking).
    public var kendallTau: Double
    /// Spearman ρ (0 when undefined).
    public var spearmanRho: Double
    /// Fraction of the reference's top k that the ranking also puts in its top k.
    public var topKOverlap: Double

    /// Memberwise initialiser.
    public init(kendallTau: Double, spearmanRho: Double, topKOverlap: Double) {
        self.kendallTau = kendallTau
        self.spearmanRho = spearmanRho
        self.topKOverlap = topKOverlap
    }

    /// Agreement of `scores` with `reference` (larger is better in both); k is
    /// clamped to the number of architectures.
    public init(scores: [Double], reference: [Double], k: Int = 5) throws {
        kendallTau = try NAS.kendallTau(scores, reference) ?? 0
        spearmanRho = try NAS.spearmanRho(scores, reference) ?? 0
        topKOverlap = try precisionAtTopK(predicted: scores, truth: reference, k: max(1, min(k, reference.count)))
    }

    /// The noise ceiling: mean Kendall τ over every pair of independent seeds
    /// of the same architectures (`accuracies[seed][architecture]`). No proxy
    /// ranking can be expected to agree with a single full-data training
    /// better than another full-data training does. Nil with fewer than 2 seeds.
    public static func noiseCeiling(_ accuracies: [[Double]]) throws -> Double? {
        guard accuracies.count >= 2 else { return nil }
        var taus: [Double] = []
        for a in 0..<accuracies.count {
            for b in (a + 1)..<accuracies.count {
                taus.append(try NAS.kendallTau(accuracies[a], accuracies[b]) ?? 0)
            }
        }
        return taus.reduce(0, +) / Double(taus.count)
    }
}
