import Foundation
import NAS
@testable import NASStages
import Pipeline
import XCTest

/// `predictor.train` reports per-epoch fractions, and they reach the runner's
/// event sink (the one the CLI's progress bar draws from).
final class PredictorProgressTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("nasstages-progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("repo"), withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: root) }

    /// A benchmark.load-style artifact of 40 NAS-Bench-201 rows (24 train) at `repo/table`.
    private func writeTable() throws {
        let url = OpHarness.repositoryRoot.appendingPathComponent(BenchmarkFormat.nb201.repositoryTable)
        let rows = try NB201Table.load(path: url.path).records.prefix(40)
            .map { BenchmarkRow(id: String($0.arch), cell: .nb201($0.cell), accuracy: $0.testAccuracy) }
        let split = try TrainTestSplit(count: rows.count, trainSize: 24, seed: 0)
        let format = BenchmarkFormat.nb201
        let metadata = BenchmarkMetadata(
            layoutVersion: 1, format: format, space: "nb201", label: "test_top1", unit: format.unit,
            columns: format.canonicalColumns, rows: 40, train: 24, test: 16, trainSize: 24, seed: 0,
            testSource: "remaining", testOverlapRemoved: 0, warnings: 0)
        let dir = root.appendingPathComponent("repo/table")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try BenchmarkArtifact(metadata: metadata, train: split.train.map { rows[$0] }, test: split.test.map { rows[$0] })
            .write(to: dir, warnings: [])
    }

    func testEpochFractionsReachTheRunnerEventSink() async throws {
        try writeTable()
        let document = """
            # progress

            ```stage fit
            op: predictor.train
            inputs: {table: table}
            with: {variant: renas, encoding: renas, epochs: 3, batch_size: 8}
            ```
            """
        let repo = root.appendingPathComponent("repo")
        let validated = PipelineValidator(registry: .nasbook, repositoryRoot: repo).check(document, path: "progress.md")
        let pipeline = try XCTUnwrap(validated.pipeline, "\(validated.diagnostics)")
        let runner = try PipelineRunner(storeRoot: root.appendingPathComponent("store"), repositoryRoot: repo,
                                        registry: .nasbook)
        let sink = ProgressSink()
        let result = try await runner.run(pipeline, name: "progress", document: Data(document.utf8),
                                          options: RunOptions(jobs: 1), onEvent: sink.receive)
        XCTAssertTrue(result.succeeded, "\(result.report.failures)")

        let reports = sink.reports
        XCTAssertTrue(reports.allSatisfy { $0.stage == "fit" })
        let epochs = reports.filter { $0.progress.message.hasPrefix("epoch ") }
        XCTAssertEqual(epochs.map(\.progress.message), ["epoch 1/3", "epoch 2/3", "epoch 3/3"])
        XCTAssertEqual(epochs.compactMap(\.progress.fraction), [1, 2, 3].map { Double($0) / 3 * PredictorTrainOp.fitShare })
        let fractions = reports.compactMap(\.progress.fraction)
        XCTAssertEqual(fractions, fractions.sorted(), "the bar never moves backwards")
        XCTAssertEqual(fractions.last, 1, "scoring completes the bar")
        XCTAssertTrue(fractions.contains { $0 > 0 && $0 < PredictorTrainOp.fitShare }, "fractions arrive during the fit")
    }
}

/// Collects `.progress` events from the runner's callback (called from many tasks).
private final class ProgressSink: @unchecked Sendable {
    // @unchecked: `received` is only touched under `lock`.
    private let lock = NSLock()
    private var received: [(stage: String, progress: OpProgress)] = []

    func receive(_ event: RunEvent) {
        if case let .progress(stage, progress) = event { lock.withLock { received.append((stage, progress)) } }
    }

    var reports: [(stage: String, progress: OpProgress)] { lock.withLock { received } }
}
