import Foundation
import NAS
import Pipeline

/// `benchmark.load`: validates a benchmark table and splits it into training
/// and test rows, writing the typed table artifact (`BenchmarkArtifact`).
///
/// The table arrives as the `table` input, bound in the document to a
/// repository file (`table: data/nb101/nb101-20k.csv.zst`). An op sees no
/// repository root, and an input is better anyway: the file's content digest
/// enters the cache key, so editing the table re-runs the stage.
public struct BenchmarkLoadOp: Op {
    /// The op's registry name.
    public static let name = "benchmark.load"

    /// A `benchmark.load` op.
    public init() {}

    /// Schema.
    public var descriptor: OpDescriptor {
        let labels = ["auto"] + BenchmarkFormat.allCases.flatMap(\.labels)
        return OpDescriptor(
            name: Self.name, version: 1,
            summary: "validate a NAS benchmark table and split it into train/test rows",
            params: [
                ParamSpec("format", .string, allowed: BenchmarkFormat.allCases.map { .string($0.rawValue) },
                          doc: "table format: nb101, nb201 (200-epoch CIFAR-10) or nb201-12ep"),
                ParamSpec("label", .string, default: "auto", allowed: labels.map { .string($0) },
                          doc: "column used as accuracy; auto = val_acc_108 / test_top1 / cifar10-test"),
                ParamSpec("train_size", .int, default: 424, range: 0...1_000_000,
                          doc: "rows drawn (seeded) for train.csv"),
                ParamSpec("seed", .int, default: 0, range: 0...Double(Int32.max), doc: "seed of the split"),
            ],
            inputs: [
                InputSpec("table", doc: "the benchmark table (plain or .zst CSV), e.g. data/nb101/nb101-20k.csv.zst"),
                InputSpec("test_table", required: false,
                          doc: "same format; when given, test.csv is its rows (minus training cells) instead of the rest"),
            ])
    }

    /// Loads, validates, splits and writes `table.json`, `train.csv`, `test.csv`.
    public func run(_ context: OpContext) async throws -> OpResult {
        let op = Self.name
        let formatName = try context.string("format", op: op)
        guard let format = BenchmarkFormat(rawValue: formatName) else {
            throw PipelineError.opFailed(op: op, reason: "unknown format '\(formatName)'")
        }
        var label = try context.string("label", op: op)
        if label == "auto" { label = format.defaultLabel }
        guard format.labels.contains(label) else {
            throw PipelineError.opFailed(op: op, reason: "label '\(label)' is not a column of \(format.rawValue) "
                + "(one of \(format.labels.joined(separator: ", ")))")
        }
        let trainSize = try context.int("train_size", op: op)
        let seed = try context.seed("seed", op: op)

        context.progress(OpProgress(fraction: 0, message: "validating table"))
        let (rows, warnings) = try CSVInput.read(try context.input("table", op: op), displayName: "table", op: op) {
            try format.rows(of: $0, label: label)
        }
        try context.checkCancellation()
        guard trainSize <= rows.count else {
            throw PipelineError.opFailed(op: op, reason: "train_size \(trainSize) exceeds the table's \(rows.count) rows")
        }
        let split = try TrainTestSplit(count: rows.count, trainSize: trainSize, seed: seed)
        let train = split.train.map { rows[$0] }
        var test = split.test.map { rows[$0] }
        var testSource = "remaining"
        var overlap = 0
        var allWarnings = warnings
        if let testURL = context.inputs["test_table"] {
            context.progress(OpProgress(fraction: 0.5, message: "validating test table"))
            let (testRows, testWarnings) = try CSVInput.read(testURL, displayName: "test_table", op: op) {
                try format.rows(of: $0, label: label)
            }
            // Scoring a predictor on cells it was trained on would inflate τ.
            let trained = Set(train.map(\.id))
            test = testRows.filter { !trained.contains($0.id) }
            overlap = testRows.count - test.count
            testSource = "test_table"
            allWarnings += testWarnings.map { "test_table \($0)" }
        }

        let metadata = BenchmarkMetadata(
            layoutVersion: 1, format: format, space: format.space, label: label, unit: format.unit,
            columns: format.canonicalColumns, rows: rows.count, train: train.count, test: test.count,
            trainSize: trainSize, seed: seed, testSource: testSource, testOverlapRemoved: overlap,
            warnings: allWarnings.count)
        try BenchmarkArtifact(metadata: metadata, train: train, test: test)
            .write(to: context.outputDirectory, warnings: allWarnings)
        context.progress(OpProgress(fraction: 1, message: "\(train.count) train, \(test.count) test rows"))

        let best = rows.map(\.accuracy).max() ?? 0
        let summary = ReportTable(
            title: "\(format.rawValue) table (\(label), \(format.unit))",
            columns: ["rows", "train", "test", "test source", "best accuracy", "warnings"],
            rows: [[String(rows.count), String(train.count), String(test.count), testSource, "\(best)",
                    String(allWarnings.count)]])
        return OpResult(
            outputDirectory: context.outputDirectory,
            metrics: ["rows": Double(rows.count), "train": Double(train.count), "test": Double(test.count),
                      "warnings": Double(allWarnings.count), "test_overlap_removed": Double(overlap)],
            tables: [summary])
    }
}
