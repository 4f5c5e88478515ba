import Foundation
import Pipeline

/// One fit of a sweep.
struct SweepRun: Hashable, Sendable {
    var variant: String
    var size: Int
    var seed: Int
    var metrics: RankingMetrics
}

/// Aggregation of sweep runs per (variant, size): mean and sample standard
/// deviation over seeds, as CSV, a report table, metrics and an SVG plot.
struct SweepSummary {
    /// One aggregated cell of the table.
    struct Cell {
        var variant: String
        var size: Int
        var runs: Int
        var tau: (mean: Double, std: Double)
        var best: (mean: Double, std: Double)
        var percentile: (mean: Double, std: Double)
    }

    let runs: [SweepRun]
    let unit: String
    let cells: [Cell]

    init(runs: [SweepRun], unit: String) {
        self.runs = runs
        self.unit = unit
        var order: [String] = []
        var groups: [String: [SweepRun]] = [:]
        for run in runs {
            let key = "\(run.variant)\u{0}\(run.size)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(run)
        }
        cells = order.map { key in
            let group = groups[key]!
            // An undefined τ (constant scores) counts as 0: no ranking information.
            return Cell(variant: group[0].variant, size: group[0].size, runs: group.count,
                        tau: Self.meanStd(group.map { $0.metrics.kendallTau ?? 0 }),
                        best: Self.meanStd(group.map(\.metrics.topKBestAccuracy)),
                        percentile: Self.meanStd(group.map(\.metrics.topKBestPercentile)))
        }
    }

    /// Mean and sample standard deviation (0 for a single value).
    static func meanStd(_ values: [Double]) -> (mean: Double, std: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        guard values.count > 1 else { return (mean, 0) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        return (mean, variance.squareRoot())
    }

    /// `runs.csv`: one line per fit.
    var runsCSV: String {
        var text = "variant,size,seed,kendall_tau,spearman,top_k_best_accuracy,top_k_best_rank,top_k_best_percentile\n"
        for run in runs {
            let m = run.metrics
            text += "\(run.variant),\(run.size),\(run.seed),\(m.kendallTau.map { "\($0)" } ?? ""),"
                + "\(m.spearman.map { "\($0)" } ?? ""),\(m.topKBestAccuracy),\(m.topKBestRank),\(m.topKBestPercentile)\n"
        }
        return text
    }

    /// `summary.csv`: one line per (variant, size).
    var summaryCSV: String {
        var text = "variant,size,runs,tau_mean,tau_std,best_mean,best_std,percentile_mean,percentile_std\n"
        for c in cells {
            text += "\(c.variant),\(c.size),\(c.runs),\(c.tau.mean),\(c.tau.std),\(c.best.mean),\(c.best.std),"
                + "\(c.percentile.mean),\(c.percentile.std)\n"
        }
        return text
    }

    /// The report table, τ and search result as mean ± std.
    var table: ReportTable {
        ReportTable(
            title: "Kendall τ and top-K search, mean ± std over seeds",
            columns: ["variant", "n_train", "runs", "Kendall τ", "best of top K (\(unit))", "percentile"],
            rows: cells.map { c in
                [c.variant, String(c.size), String(c.runs), String(format: "%.3f ± %.3f", c.tau.mean, c.tau.std),
                 String(format: "%.4f ± %.4f", c.best.mean, c.best.std),
                 String(format: "%.2f ± %.2f", c.percentile.mean, c.percentile.std)]
            })
    }

    /// `tau_mean.<variant>.<size>` and `percentile_mean.<variant>.<size>`.
    var metrics: [String: Double] {
        var out: [String: Double] = ["runs": Double(runs.count)]
        for c in cells {
            out["tau_mean.\(c.variant).\(c.size)"] = c.tau.mean
            out["percentile_mean.\(c.variant).\(c.size)"] = c.percentile.mean
        }
        return out
    }

    /// τ against training size, one series per variant, error bars = std, log x axis.
    func plot(title: String) -> String {
        var variants: [String] = []
        for c in cells where !variants.contains(c.variant) { variants.append(c.variant) }
        let series = variants.map { variant in
            let mine = cells.filter { $0.variant == variant }
            return SVGPlot.Series(name: variant, x: mine.map { Double($0.size) }, y: mine.map(\.tau.mean),
                                  yError: mine.map(\.tau.std))
        }
        return SVGPlot(title: title, xLabel: "training cells", yLabel: "Kendall τ", series: series, xScale: .log).render()
    }
}
