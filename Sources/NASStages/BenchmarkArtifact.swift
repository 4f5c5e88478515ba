import Foundation
import NAS
import Pipeline

/// `table.json` of a `benchmark.load` output: what the two CSV files hold.
public struct BenchmarkMetadata: Hashable, Sendable, Codable {
    /// Version of this artifact layout; bumped with `BenchmarkLoadOp`'s version when it changes.
    public var layoutVersion: Int
    /// Source format.
    public var format: BenchmarkFormat
    /// `nb101` or `nb201`.
    public var space: String
    /// Source column used as `accuracy`.
    public var label: String
    /// `fraction` or `percent`.
    public var unit: String
    /// Header of `train.csv` and `test.csv`.
    public var columns: [String]
    /// Rows of the `table` input.
    public var rows: Int
    /// Rows in `train.csv`.
    public var train: Int
    /// Rows in `test.csv`.
    public var test: Int
    /// Requested training-set size.
    public var trainSize: Int
    /// Seed of the split.
    public var seed: UInt64
    /// `remaining` (every row not trained on) or `test_table` (the optional input).
    public var testSource: String
    /// Cells of `test_table` dropped because they are also training cells.
    public var testOverlapRemoved: Int
    /// Data-quality warnings (NB201 `params` that disagree with our count); listed in `warnings.txt`.
    public var warnings: Int

    enum CodingKeys: String, CodingKey {
        case layoutVersion = "layout_version", format, space, label, unit, columns, rows, train, test
        case trainSize = "train_size", seed, testSource = "test_source"
        case testOverlapRemoved = "test_overlap_removed", warnings
    }
}

/// The typed table artifact `benchmark.load` writes and the predictor ops read:
/// `table.json` (metadata), `train.csv`, `test.csv` and, when there are any,
/// `warnings.txt`.
///
/// The CSVs are canonical so that equal data gives equal bytes (and so equal
/// digests downstream): header `id,<cell columns>,accuracy`, `\n` line ends,
/// rows in source-table order, cells in the benchmark's own string forms and
/// accuracies in Swift's shortest round-trip form.
public struct BenchmarkArtifact: Hashable, Sendable {
    /// Metadata.
    public var metadata: BenchmarkMetadata
    /// Training rows.
    public var train: [BenchmarkRow]
    /// Test rows.
    public var test: [BenchmarkRow]

    /// An artifact.
    public init(metadata: BenchmarkMetadata, train: [BenchmarkRow], test: [BenchmarkRow]) {
        self.metadata = metadata
        self.train = train
        self.test = test
    }

    /// Writes the artifact files into `directory`.
    public func write(to directory: URL, warnings: [String]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try (encoder.encode(metadata) + Data("\n".utf8)).write(to: directory.appendingPathComponent("table.json"))
        try Data(Self.csv(train, columns: metadata.columns).utf8).write(to: directory.appendingPathComponent("train.csv"))
        try Data(Self.csv(test, columns: metadata.columns).utf8).write(to: directory.appendingPathComponent("test.csv"))
        if !warnings.isEmpty {
            try Data((warnings.joined(separator: "\n") + "\n").utf8).write(to: directory.appendingPathComponent("warnings.txt"))
        }
    }

    /// The canonical CSV text of `rows`.
    static func csv(_ rows: [BenchmarkRow], columns: [String]) -> String {
        var text = columns.joined(separator: ",") + "\n"
        for row in rows {
            text += ([row.id] + row.cell.csvFields + ["\(row.accuracy)"]).joined(separator: ",") + "\n"
        }
        return text
    }

    /// Reads an artifact written by `write`; every row is parsed back into a
    /// valid cell, and errors name `inputName/train.csv:LINE`.
    public static func read(from directory: URL, inputName: String, op: String) throws -> BenchmarkArtifact {
        let metadataURL = directory.appendingPathComponent("table.json")
        guard let data = FileManager.default.contents(atPath: metadataURL.path) else {
            throw PipelineError.opFailed(op: op, reason: "input '\(inputName)' has no table.json; bind it to a benchmark.load output")
        }
        let metadata: BenchmarkMetadata
        do {
            metadata = try JSONDecoder().decode(BenchmarkMetadata.self, from: data)
        } catch {
            throw PipelineError.opFailed(op: op, reason: "\(inputName)/table.json: not benchmark.load metadata (\(error))")
        }
        func rows(_ file: String) throws -> [BenchmarkRow] {
            let url = directory.appendingPathComponent(file)
            return try CSVInput.read(url, displayName: "\(inputName)/\(file)", op: op) { csv in
                try parseRows(csv, format: metadata.format)
            }
        }
        return BenchmarkArtifact(metadata: metadata, train: try rows("train.csv"), test: try rows("test.csv"))
    }

    /// Parses canonical rows of `format`.
    static func parseRows(_ csv: CSVFile, format: BenchmarkFormat) throws -> [BenchmarkRow] {
        try csv.requireHeader(format.canonicalColumns)
        return try csv.records.map { line, fields in
            guard fields.count == format.canonicalColumns.count else {
                throw NASError.badRow(file: csv.file, line: line,
                                      reason: "\(fields.count) fields, expected \(format.canonicalColumns.count)")
            }
            guard let accuracy = Double(fields[fields.count - 1]), accuracy.isFinite else {
                throw NASError.badRow(file: csv.file, line: line, reason: "accuracy '\(fields[fields.count - 1])' is not a finite number")
            }
            let cell: BenchmarkCell
            do {
                if format == .nb101 {
                    cell = .nb101(try NB101Cell(adjacencyDigits: String(fields[1]), opsField: String(fields[2])))
                } else {
                    cell = .nb201(try NB201Cell(string: String(fields[1])))
                }
            } catch let error as NASError {
                throw NASError.badRow(file: csv.file, line: line, reason: "\(error)")
            }
            return BenchmarkRow(id: String(fields[0]), cell: cell, accuracy: accuracy)
        }
    }
}
