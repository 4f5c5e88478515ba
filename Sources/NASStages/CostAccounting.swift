import Foundation
import Pipeline

/// `cost.json` of `final.train`: what each training stage of the efficient
/// NAS workflow cost, and what the same search would have cost on the full
/// data. All figures are single-threaded training seconds, so they add up to
/// CPU time and compare across machine loads (population runs report wall
/// time of a single-threaded training, which equals CPU time on an idle core).
struct CostAccounting: Codable, Sendable, Hashable {
    /// Population trainings (proxy generation) and their seconds.
    var populationRuns: Int, populationSeconds: Double
    /// Oracle queries of the search and their CPU seconds on the proxy.
    var searchQueries: Int, searchSeconds: Double
    /// Final full-data trainings and their CPU seconds.
    var finalRuns: Int, finalSeconds: Double
    /// Measured full-data CPU seconds per cell (mean of the final trainings).
    var fullSecondsPerCell: Double
    /// Estimated CPU seconds of the same search on the full data: queries × `fullSecondsPerCell`.
    var fullSearchEstimate: Double
    /// `fullSearchEstimate` / `searchSeconds`: what the proxy saved on the search alone.
    var searchSpeedup: Double
    /// `fullSearchEstimate` / (population + search): the saving after paying for the proxy.
    var totalSpeedup: Double

    /// The accounting of a run: population cost, the search's labels and the final trainings.
    init(population: (runs: Int, seconds: Double), search: TrainedSearchResult, final: [FinalRun]) {
        populationRuns = population.runs
        populationSeconds = population.seconds
        searchQueries = search.queries.count
        searchSeconds = search.queries.map(\.cpuSeconds).reduce(0, +)
        finalRuns = final.count
        finalSeconds = final.map(\.cpuSeconds).reduce(0, +)
        fullSecondsPerCell = finalSeconds / Double(max(1, finalRuns))
        fullSearchEstimate = Double(searchQueries) * fullSecondsPerCell
        searchSpeedup = fullSearchEstimate / max(1e-9, searchSeconds)
        totalSpeedup = fullSearchEstimate / max(1e-9, populationSeconds + searchSeconds)
    }

    /// Report metrics.
    var metrics: [String: Double] {
        ["population_seconds": populationSeconds, "search_seconds": searchSeconds, "final_seconds": finalSeconds,
         "full_seconds_per_cell": fullSecondsPerCell, "full_search_estimate_seconds": fullSearchEstimate,
         "search_speedup": searchSpeedup, "total_speedup": totalSpeedup,
         "workflow_training_seconds": populationSeconds + searchSeconds + finalSeconds]
    }

    /// The report's cost table.
    var table: ReportTable {
        func s(_ x: Double) -> String { String(format: "%.1f", x) }
        return ReportTable(
            title: "Cost accounting (single-threaded training seconds)",
            columns: ["stage", "trainings", "seconds", "note"],
            rows: [
                ["population.train", "\(populationRuns)", s(populationSeconds), "proxy generation (per-example statistics)"],
                ["search.trained", "\(searchQueries)", s(searchSeconds), "each query trains one cell on the proxy"],
                ["final.train", "\(finalRuns)", s(finalSeconds), "best cells on the full data"],
                ["same search on full data (estimate)", "\(searchQueries)", s(fullSearchEstimate),
                 "queries × \(s(fullSecondsPerCell)) s measured per full-data cell"],
                ["speed-up of the search", "", String(format: "%.1f×", searchSpeedup), "estimate ÷ search.trained"],
                ["speed-up incl. proxy generation", "", String(format: "%.1f×", totalSpeedup), "estimate ÷ (population + search)"],
            ])
    }
}
