import ArtifactStore
import Foundation
import NAS
import NASStages
import Pipeline
import XCTest

/// `pipelines/efficient-nas.md`: the document validates with its defaults and
/// with the quick preset it prints, and a toy setting runs end to end
/// through the runner, resumes a grown search from the item cache, and
/// accounts for its cost.
final class EfficientNASPipelineTests: XCTestCase {
    private let path = "pipelines/efficient-nas.md"
    private var document: URL { OpHarness.repositoryRoot.appendingPathComponent(path) }

    private func validate(_ overrides: [String], preset: String? = nil) throws -> ValidationResult {
        try PipelineValidator(registry: .nasbook, repositoryRoot: OpHarness.repositoryRoot)
            .check(fileAt: document, displayPath: path, overrides: overrides.map(ParamOverride.parse), preset: preset)
    }

    /// The preset named by the quick command line the document prints.
    private func quickPreset() throws -> String {
        let text = try String(contentsOf: document, encoding: .utf8)
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("nasbook run efficient-nas") })
        let words = line.split(separator: " ").map(String.init)
        let at = try XCTUnwrap(words.firstIndex(of: "--preset"))
        return try XCTUnwrap(words.indices.contains(at + 1) ? words[at + 1] : nil)
    }

    func testDocumentValidatesWithItsDefaultsAndItsQuickSetting() throws {
        let defaults = try validate([])
        XCTAssertEqual(defaults.diagnostics.map(\.description), [])
        let search = try XCTUnwrap(defaults.pipeline?.stages.first { $0.name == "search" })
        XCTAssertEqual(search.kind, .op(SearchTrainedOp.name))
        XCTAssertEqual(search.params["budget"]?.intValue, 150)
        XCTAssertEqual(search.params["strategy"]?.stringValue, "smart-subset")
        let quick = try quickPreset()
        XCTAssertEqual(quick, "quick")
        let result = try validate([], preset: quick)
        XCTAssertEqual(result.diagnostics.map(\.description), [])
        let quickSearch = try XCTUnwrap(result.pipeline?.stages.first { $0.name == "search" })
        XCTAssertEqual(quickSearch.params["budget"]?.intValue, 30)
        let population = try XCTUnwrap(result.pipeline?.stages.first { $0.name == "population" })
        XCTAssertEqual(population.params["train_size"]?.intValue, 5000, "the preset reaches ${train_size}")
        XCTAssertEqual(try validate(["train_size=700"], preset: quick).pipeline?.stages
                           .first { $0.name == "population" }?.params["train_size"]?.intValue, 700,
                       "--set wins over the preset")
        let final = try XCTUnwrap(result.pipeline?.stages.first { $0.name == "final" })
        XCTAssertEqual(final.kind, .op(FinalTrainOp.name))
        XCTAssertFalse(try validate(["budget=2"]).diagnostics.isEmpty, "budget below the op's range")
    }

    func testToySettingRunsEndToEndAndAGrownSearchTrainsOnlyTheNewQueries() async throws {
        guard FileManager.default.fileExists(atPath: IDXLoader.defaultFashionMNISTDirectory + "train-labels-idx1-ubyte.gz") else {
            throw XCTSkip("Fashion-MNIST not installed")
        }
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let toy = ["population=3", "train_size=200", "test_size=100", "valid_size=50", "epochs=1", "batch=50",
                   "n0=10", "k=1", "subset_size=20", "top=2"]
        let runner = try PipelineRunner(storeRoot: base.appendingPathComponent("store"), repositoryRoot: OpHarness.repositoryRoot,
                                        registry: .nasbook)
        func run(budget: Int) async throws -> (search: [String: Double], final: [String: Double], labels: [Substring], finalOutput: Digest) {
            let validation = try validate(toy + ["budget=\(budget)"])
            XCTAssertEqual(validation.diagnostics.map(\.description), [])
            let result = try await runner.run(try XCTUnwrap(validation.pipeline), name: "e2e", document: Data(contentsOf: document),
                                              options: RunOptions(jobs: 1))
            XCTAssertTrue(result.succeeded, "\(result.report.failures)")
            let search = try XCTUnwrap(result.report.outcomes["search"])
            let final = try XCTUnwrap(result.report.outcomes["final"])
            let searchOutput = try XCTUnwrap(search.output), finalOutput = try XCTUnwrap(final.output)
            return (try metrics(runner, searchOutput), try metrics(runner, finalOutput),
                    try readTree(runner, searchOutput, "labels.csv").split(separator: "\n"), finalOutput)
        }
        let first = try await run(budget: 11)
        XCTAssertEqual(first.search["queries"], 11)
        XCTAssertEqual(first.search["proxy_examples"], 20, "ranking proxy: 10 % of 200")
        XCTAssertEqual(first.search["validation_examples"], 50)
        let perCell = try XCTUnwrap(first.final["full_seconds_per_cell"])
        XCTAssertGreaterThan(perCell, 0)
        XCTAssertEqual(try XCTUnwrap(first.final["full_search_estimate_seconds"]), 11 * perCell, accuracy: 1e-9)
        let cost = try JSONDecoder().decode([String: Double].self, from: Data(readTree(runner, first.finalOutput, "cost.json").utf8))
        XCTAssertEqual(cost["searchQueries"], 11)
        XCTAssertEqual(cost["finalRuns"], 2)
        let csv = try readTree(runner, first.finalOutput, "final.csv").split(separator: "\n")
        XCTAssertEqual(csv.count, 3, "header and the 2 best cells")
        // Items kept for resumption: 3 population runs, 11 proxy trainings, 2 final trainings.
        XCTAssertEqual(StoreItemCache.itemCacheRoots(storeRoot: runner.storeRoot).count, 3 + 11 + 2)

        // A larger budget re-runs the search stage; the same seed replays the
        // first 11 queries, which come from the item cache: their rows, measured
        // CPU seconds included, are the first run's, byte for byte (a re-training
        // would re-measure them).
        let grown = try await run(budget: 13)
        XCTAssertEqual(grown.search["queries"], 13)
        XCTAssertEqual(first.labels.count, 1 + 11)
        XCTAssertEqual(grown.labels.count, 1 + 13)
        XCTAssertEqual(Array(grown.labels.prefix(12)), first.labels)
        XCTAssertEqual(StoreItemCache.itemCacheRoots(storeRoot: runner.storeRoot).count, 3 + 13 + 2 + 2,
                       "2 new proxy trainings; the final stage's input changed, so its 2 items are new")
    }

    /// The numeric metrics of a stage's report.
    private func metrics(_ runner: PipelineRunner, _ output: Digest) throws -> [String: Double] {
        let report = try JSONDecoder().decode(StageReport.self, from: Data(readTree(runner, output, StageReport.path).utf8))
        return report.metrics.compactMapValues { if case let .number(x) = $0 { return x } else { return nil } }
    }

    private func readTree(_ runner: PipelineRunner, _ digest: Digest, _ path: String) throws -> String {
        var current = digest
        for component in path.split(separator: "/") {
            current = try XCTUnwrap(try runner.store.readTree(current)?[String(component)]?.digest)
        }
        return try runner.store.getString(current)
    }
}
