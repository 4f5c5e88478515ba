import Numerics

/// Sample-efficiency arithmetic (docs/methods/sampling.md): what random
/// search needs, exactly, and the gain of a method over it with a bootstrap
/// interval over seeds.
public enum SampleEfficiency {
    /// Expected number of queries random search (uniform sampling without
    /// replacement) needs to hit one of `targets` cells in a space of
    /// `spaceSize`: E[T] = (N + 1) / (m + 1).
    ///
    /// Why: the m targets split the N − m other cells into m + 1 gaps that are
    /// exchangeable under a uniform order, so the first gap holds (N − m)/(m + 1)
    /// cells on average and T is one more than that.
    public static func expectedRandomQueries(spaceSize: Int, targets: Int) -> Double {
        Double(spaceSize + 1) / Double(targets + 1)
    }

    /// P(T > t) for random search: the first t draws all miss the targets,
    /// C(N − m, t) / C(N, t) = Π_{i<t} (N − m − i) / (N − i).
    public static func randomMissProbability(after t: Int, spaceSize: Int, targets: Int) -> Double {
        var p = 1.0
        for i in 0..<max(0, t) {
            let numerator = Double(spaceSize - targets - i)
            if numerator <= 0 { return 0 }
            p *= numerator / Double(spaceSize - i)
        }
        return p
    }

    /// Median of T for random search: the smallest t with P(T ≤ t) ≥ 1/2.
    public static func medianRandomQueries(spaceSize: Int, targets: Int) -> Int {
        var p = 1.0
        for t in 1...max(1, spaceSize) {
            p *= Double(spaceSize - targets - (t - 1)) / Double(spaceSize - (t - 1))
            if p <= 0.5 { return t }
        }
        return spaceSize
    }

    /// Median of `queries`, a run that never reached the target (nil)
    /// counting as +∞; the mean of the two middle values for an even count.
    public static func median(_ queries: [Int?]) -> Double {
        let values = queries.map { $0.map(Double.init) ?? .infinity }.sorted()
        guard !values.isEmpty else { return .nan }
        let mid = values.count / 2
        return values.count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2
    }

    /// The gain of runs that needed `queries` (nil: not reached within the
    /// budget) over a `reference` number of queries (normally
    /// `expectedRandomQueries`): reference / median, 0 when the median is
    /// unreached. The interval is the percentile bootstrap over runs
    /// (`resamples` resamples drawn with `seed`).
    public static func gain(queries: [Int?], reference: Double, resamples: Int = 2000, confidence: Double = 0.95,
                            seed: UInt64 = 0) throws -> GainEstimate {
        guard !queries.isEmpty, resamples > 0, confidence > 0, confidence < 1, reference > 0 else {
            throw NASError.invalidArgument(name: "gain", reason: "\(queries.count) runs, \(resamples) resamples, "
                + "confidence \(confidence), reference \(reference)")
        }
        func ratio(_ median: Double) -> Double { median.isFinite ? reference / median : 0 }
        var rng = SplitMix64(seed: seed)
        var boot: [Double] = []
        boot.reserveCapacity(resamples)
        for _ in 0..<resamples {
            let sample = (0..<queries.count).map { _ in queries[rng.index(below: queries.count)] }
            boot.append(ratio(median(sample)))
        }
        boot.sort()
        let tail = (1 - confidence) / 2
        let median = median(queries)
        return GainEstimate(runs: queries.count, reached: queries.compactMap { $0 }.count, medianQueries: median,
                            gain: ratio(median), lower: quantile(boot, tail), upper: quantile(boot, 1 - tail),
                            confidence: confidence)
    }

    /// Linear-interpolation quantile of sorted `values` (type 7).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = min(sorted.count - 1, low + 1)
        let weight = position - Double(low)
        return sorted[low] * (1 - weight) + sorted[high] * weight
    }
}

/// A sample-efficiency gain with its bootstrap interval.
public struct GainEstimate: Hashable, Sendable, Codable {
    /// Runs (seeds).
    public let runs: Int
    /// Runs that reached the target within the budget.
    public let reached: Int
    /// Median queries to the target (+∞ when more than half never reached it).
    public let medianQueries: Double
    /// Reference queries / median queries.
    public let gain: Double
    /// Lower and upper ends of the bootstrap interval.
    public let lower: Double, upper: Double
    /// The interval's nominal coverage.
    public let confidence: Double
}
