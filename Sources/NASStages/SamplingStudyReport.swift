import Foundation
import NAS
import Pipeline

/// Everything `search.predictor` writes: `metrics.json`, `runs.csv`,
/// `curves.csv`, `best_so_far.svg`, and the report's tables.
struct SamplingStudyReport {
    /// `metrics.json`.
    struct Metrics: Codable, Hashable {
        var space: String
        /// `test` or `validation`: what the best-so-far curves plot.
        var reported: String
        var cells: Int
        var meanNeighbours: Double
        var targetCells: [Int]
        var targetDefinition: String
        var expectedRandomQueries: Double
        var medianRandomQueries: Int
        var budget: Int
        var predictor: String
        var encoding: String
        var seeds: [UInt64]
        var strategies: [String: Strategy]

        enum CodingKeys: String, CodingKey {
            case space, reported, cells, meanNeighbours = "mean_neighbours", targetCells = "target_cells"
            case targetDefinition = "target_definition"
            case expectedRandomQueries = "expected_random_queries", medianRandomQueries = "median_random_queries"
            case budget, predictor, encoding, seeds, strategies
        }
    }

    /// One strategy's entry of `metrics.json`; infinite values (an
    /// unreached median) are written as null, which JSON can hold.
    struct Strategy: Codable, Hashable {
        var queriesToTarget: [Int?]
        var reached: Int
        var medianQueries: Double?
        var gain: Double
        var gainInterval: [Double]
        var medianGain: Double
        var fractionOfFullGain: Double?
        var maxScoredPerIteration: Int
        var meanFinalBest: Double

        enum CodingKeys: String, CodingKey {
            case queriesToTarget = "queries_to_target", reached, medianQueries = "median_queries", gain
            case gainInterval = "gain_ci95", medianGain = "gain_vs_random_median"
            case fractionOfFullGain = "fraction_of_full_gain", maxScoredPerIteration = "max_scored_per_iteration"
            case meanFinalBest = "mean_final_best"
        }

        /// Writes every key, an unknown median or fraction as an explicit null.
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(queriesToTarget, forKey: .queriesToTarget)
            try c.encode(reached, forKey: .reached)
            try c.encode(medianQueries, forKey: .medianQueries)
            try c.encode(gain, forKey: .gain)
            try c.encode(gainInterval, forKey: .gainInterval)
            try c.encode(medianGain, forKey: .medianGain)
            try c.encode(fractionOfFullGain, forKey: .fractionOfFullGain)
            try c.encode(maxScoredPerIteration, forKey: .maxScoredPerIteration)
            try c.encode(meanFinalBest, forKey: .meanFinalBest)
        }
    }

    let metrics: Metrics
    let studies: [MethodStudy]

    /// Summarises `studies` against `target`.
    init(studies: [MethodStudy], target: SearchTarget, space: String, reported: String, meanNeighbours: Double,
         budget: Int, predictor: String, encoding: String, resamples: Int) throws {
        let expected = SampleEfficiency.expectedRandomQueries(spaceSize: target.spaceSize, targets: target.cells.count)
        let randomMedian = SampleEfficiency.medianRandomQueries(spaceSize: target.spaceSize, targets: target.cells.count)
        var strategies: [String: Strategy] = [:]
        for study in studies {
            let queries = study.queriesToReach(target)
            let estimate = try SampleEfficiency.gain(queries: queries, reference: expected, resamples: resamples)
            let median = estimate.medianQueries
            strategies[study.method] = Strategy(
                queriesToTarget: queries, reached: estimate.reached, medianQueries: median.isFinite ? median : nil,
                gain: estimate.gain, gainInterval: [estimate.lower, estimate.upper],
                medianGain: median.isFinite ? Double(randomMedian) / median : 0, fractionOfFullGain: nil,
                maxScoredPerIteration: study.maxScoredPerIteration, meanFinalBest: study.meanBestSoFar.last ?? .nan)
        }
        if let full = strategies["full"]?.gain, full > 0 {
            for (name, entry) in strategies { strategies[name]?.fractionOfFullGain = entry.gain / full }
        }
        self.studies = studies
        self.metrics = Metrics(
            space: space, reported: reported, cells: target.spaceSize, meanNeighbours: meanNeighbours,
            targetCells: target.cells.sorted(),
            targetDefinition: target.definition, expectedRandomQueries: expected, medianRandomQueries: randomMedian,
            budget: budget, predictor: predictor, encoding: encoding, seeds: studies.first?.seeds ?? [],
            strategies: strategies)
    }

    /// Writes the four files into `directory`.
    func write(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try (encoder.encode(metrics) + Data("\n".utf8)).write(to: directory.appendingPathComponent("metrics.json"))
        try Data(runsCSV.utf8).write(to: directory.appendingPathComponent("runs.csv"))
        try Data(curvesCSV.utf8).write(to: directory.appendingPathComponent("curves.csv"))
        try Data(plot.utf8).write(to: directory.appendingPathComponent("best_so_far.svg"))
    }

    /// `strategy,seed,queries_to_target,final_best`; an unreached target is empty.
    var runsCSV: String {
        var text = "strategy,seed,queries_to_target,final_best\n"
        for study in studies {
            let queries = study.queries(metrics)
            for (i, trace) in study.traces.enumerated() {
                text += "\(study.method),\(study.seeds[i]),\(queries[i].map(String.init) ?? ""),"
                    + "\(trace.bestSoFar.last.map { "\($0)" } ?? "")\n"
            }
        }
        return text
    }

    /// `queries` then one column of mean best-so-far accuracy per strategy.
    var curvesCSV: String {
        let curves = studies.map(\.meanBestSoFar)
        let length = curves.map(\.count).max() ?? 0
        var text = (["queries"] + studies.map(\.method)).joined(separator: ",") + "\n"
        for q in 0..<length {
            text += ([String(q + 1)] + curves.map { q < $0.count ? String(format: "%.4f", $0[q]) : "" })
                .joined(separator: ",") + "\n"
        }
        return text
    }

    /// Mean best-so-far true accuracy against queries, one line per strategy.
    var plot: String {
        let series = studies.map { study -> SVGPlot.Series in
            let curve = study.meanBestSoFar
            return SVGPlot.Series(name: study.method, x: curve.indices.map { Double($0 + 1) }, y: curve, style: .line)
        }
        return SVGPlot(title: "Best-so-far accuracy (\(metrics.space), mean over \(metrics.seeds.count) seeds)",
                       xLabel: "oracle queries", yLabel: "\(metrics.reported) accuracy of best-validation cell (%)",
                       series: series, xScale: .log).render()
    }

    /// The report's tables: the target, then one row per strategy.
    var tables: [ReportTable] {
        let m = metrics
        let target = ReportTable(
            title: "Target (\(m.space), \(m.cells) cells)",
            columns: ["definition", "cells", "random search: expected queries", "random search: median queries",
                      "mean neighbourhood size"],
            rows: [[m.targetDefinition, String(m.targetCells.count), String(format: "%.1f", m.expectedRandomQueries),
                    String(m.medianRandomQueries), String(format: "%.2f", m.meanNeighbours)]])
        let rows = studies.map { study -> [String] in
            let s = m.strategies[study.method]!  // one entry per study, built in init
            return [study.method, "\(s.reached)/\(s.queriesToTarget.count)",
                    s.medianQueries.map { String(format: "%.1f", $0) } ?? "> \(m.budget)",
                    String(format: "%.1f×", s.gain),
                    String(format: "%.1f–%.1f", s.gainInterval[0], s.gainInterval[1]),
                    s.fractionOfFullGain.map { String(format: "%.0f %%", 100 * $0) } ?? "–",
                    s.maxScoredPerIteration == 0 ? "–" : String(s.maxScoredPerIteration),
                    String(format: "%.2f", s.meanFinalBest)]
        }
        let strategies = ReportTable(
            title: "Queries to the target and sample-efficiency gain over random search (\(m.predictor) on \(m.encoding))",
            columns: ["strategy", "reached", "median queries", "gain", "95 % CI", "of full-access gain",
                      "cells scored / iteration", "mean final best (\(m.reported), %)"],
            rows: rows)
        return [target, strategies]
    }

    /// Scalars for `status` and the report header: `<strategy>.gain`, `.median_queries`, `.reached`.
    var scalars: [String: Double] {
        var out: [String: Double] = ["targets": Double(metrics.targetCells.count),
                                     "expected_random_queries": metrics.expectedRandomQueries]
        for (name, s) in metrics.strategies {
            out["\(name).gain"] = s.gain
            out["\(name).reached"] = Double(s.reached)
            if let median = s.medianQueries { out["\(name).median_queries"] = median }
        }
        return out
    }
}

private extension MethodStudy {
    /// The queries recorded for this study in `metrics`.
    func queries(_ metrics: SamplingStudyReport.Metrics) -> [Int?] {
        metrics.strategies[method]?.queriesToTarget ?? traces.map { _ in nil }
    }
}
