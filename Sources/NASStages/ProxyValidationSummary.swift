import Foundation
import NAS
import Pipeline

/// Mean, sample standard deviation and per-seed values of one measurement.
struct SeedStatistic: Codable, Sendable, Hashable {
    /// Mean over seeds.
    var mean: Double
    /// Sample standard deviation over seeds (0 for one seed).
    var std: Double
    /// Values in seed order.
    var perSeed: [Double]

    /// Summarises `values`.
    init(_ values: [Double]) {
        perSeed = values
        mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        let m = mean
        std = values.count < 2 ? 0 : (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
    }

    enum CodingKeys: String, CodingKey { case mean, std, perSeed = "per_seed" }
}

/// Validation results of one method at one ratio.
struct ProxyRatioResult: Codable, Sendable, Hashable {
    /// Kendall τ against the reference ranking, per seed.
    var kendallTau: SeedStatistic
    /// Spearman ρ against the reference ranking, per seed.
    var spearmanRho: SeedStatistic
    /// Top-k overlap with the reference's top k, per seed.
    var topKOverlap: SeedStatistic
    /// Mean full-data training seconds / mean proxy training seconds (wall clock).
    var speedup: Double

    enum CodingKeys: String, CodingKey {
        case kendallTau = "kendall_tau", spearmanRho = "spearman_rho", topKOverlap = "top5_overlap", speedup
    }
}

/// The test-proxy check: how well accuracy on the reduced test set ranks the
/// held-out architectures, against a random test subset of the same size.
struct TestProxyResult: Codable, Sendable, Hashable {
    /// Test examples kept.
    var size: Int
    /// τ of the test-proxy ranking against the full-test reference.
    var kendallTau: Double
    /// τ of a random test subset of the same size (mean over 10 draws).
    var randomKendallTau: Double

    enum CodingKeys: String, CodingKey { case size, kendallTau = "kendall_tau", randomKendallTau = "random_kendall_tau" }
}

/// `metrics.json` of `proxy.validate`.
struct ProxyValidationMetrics: Codable, Sendable {
    /// Mean τ over pairs of independent full-data seeds of the held-out cells.
    var noiseCeiling: Double?
    /// Mean over seeds of τ(one full-data seed, the reference mean): the figure
    /// a single proxy run is comparable with (optimistic, the seed is in the mean).
    var fullRunTau: Double
    /// Held-out architectures and seeds of the reference.
    var architectures: Int, referenceSeeds: Int
    /// Max − min of the reference (mean) accuracies, in percentage points.
    var referenceSpreadPoints: Double
    /// Method → ratio (as text, e.g. "0.1") → results.
    var methods: [String: [String: ProxyRatioResult]]
    /// The reduced test proxy.
    var testProxy: TestProxyResult

    enum CodingKeys: String, CodingKey {
        case noiseCeiling = "noise_ceiling", fullRunTau = "full_run_tau", architectures, referenceSeeds = "reference_seeds",
             referenceSpreadPoints = "reference_spread_points", methods, testProxy = "test_proxy"
    }
}

/// Aggregation, table and plot of a validation.
enum ProxyValidationSummary {
    /// Reference accuracies: mean over seeds per cell, cells in `cells` order.
    static func reference(_ runs: [ArchitectureRun], cells: [String]) -> [Double] {
        cells.map { cell in
            let accs = runs.filter { $0.cell == cell }.map(\.testAccuracy)
            return accs.reduce(0, +) / Double(max(1, accs.count))
        }
    }

    /// `accuracies[seed][cell]` of the runs (seeds in increasing order).
    static func bySeed(_ runs: [ArchitectureRun], cells: [String]) -> [[Double]] {
        Set(runs.map(\.seed)).sorted().map { seed in
            cells.map { cell in runs.first { $0.cell == cell && $0.seed == seed }?.testAccuracy ?? 0 }
        }
    }

    /// The report table, methods in `order`, ratios ascending.
    static func table(_ metrics: ProxyValidationMetrics, order: [String]) -> ReportTable {
        var rows: [[String]] = []
        for method in order {
            guard let byRatio = metrics.methods[method] else { continue }
            for ratio in byRatio.keys.sorted(by: { Double($0)! < Double($1)! }) {
                let r = byRatio[ratio]!
                rows.append([method, ratio, String(format: "%.3f ± %.3f", r.kendallTau.mean, r.kendallTau.std),
                             String(format: "%.3f", r.spearmanRho.mean), String(format: "%.2f", r.topKOverlap.mean),
                             String(format: "%.1f×", r.speedup)])
            }
        }
        let ceiling = metrics.noiseCeiling.map { String(format: "%.3f", $0) } ?? "n/a"
        return ReportTable(title: "Kendall τ against the held-out reference (mean ± std over seeds); noise ceiling \(ceiling), "
                               + String(format: "one full-data run vs reference %.3f", metrics.fullRunTau),
                           columns: ["method", "ratio", "τ", "ρ", "top-5", "speedup"], rows: rows)
    }

    /// τ against ratio per method with seed spread, plus the noise ceiling.
    static func plot(_ metrics: ProxyValidationMetrics, order: [String]) -> String {
        var series: [SVGPlot.Series] = []
        var allRatios: [Double] = []
        for method in order {
            guard let byRatio = metrics.methods[method] else { continue }
            let ratios = byRatio.keys.compactMap(Double.init).sorted()
            allRatios += ratios
            let points = ratios.map { byRatio[ratio(key: $0, in: byRatio)]! }
            series.append(SVGPlot.Series(name: method, x: ratios.map { 100 * $0 }, y: points.map(\.kendallTau.mean),
                                         yError: points.map(\.kendallTau.std)))
        }
        if let ceiling = metrics.noiseCeiling, let lo = allRatios.min(), let hi = allRatios.max() {
            series.append(SVGPlot.Series(name: "noise ceiling", x: [100 * lo, 100 * hi], y: [ceiling, ceiling], style: .line))
        }
        return SVGPlot(title: "Proxy ranking quality", xLabel: "proxy size (% of training set)", yLabel: "Kendall τ",
                       series: series, xScale: .log).render()
    }

    /// The dictionary key of `value` among `byRatio`'s keys.
    private static func ratio(key value: Double, in byRatio: [String: ProxyRatioResult]) -> String {
        byRatio.keys.first { Double($0) == value }!
    }
}
