import Foundation

/// The report material of one op run, stored *inside* the stage's output tree at
/// `_report/report.json`, with each figure beside it as `_report/figure-N.svg`.
///
/// Keeping it in the tree (rather than in the run record) means a cache hit
/// restores the report with the output, and `nasbook report` needs nothing but
/// the store. The stage name is deliberately absent: it is not part of the cache
/// key, so a renamed stage reuses the same output tree.
public struct StageReport: Codable, Sendable, Equatable {
    /// Directory inside the output tree.
    public static let directory = "_report"
    /// JSON file inside `directory`.
    public static let fileName = "report.json"
    /// Version of this layout.
    public static let currentFormat = 1

    /// A figure as referenced from `report.json`.
    public struct Figure: Codable, Sendable, Equatable {
        /// Caption.
        public var title: String
        /// File name inside `_report/` (`figure-1.svg`, …).
        public var file: String
    }

    /// Layout version (`currentFormat` when written).
    public var formatVersion: Int
    /// Named scalar results; non-finite values are written as the strings `"nan"`, `"+inf"`, `"-inf"`.
    public var metrics: [String: Double]
    /// Tables in the order the op returned them.
    public var tables: [ReportTable]
    /// Figures in the order the op returned them.
    public var figures: [Figure]

    /// Writes `result`'s metrics, tables and figures under `directory/_report/`;
    /// does nothing when the op reported none (so plain outputs stay plain).
    public static func write(_ result: OpResult, into directory: URL) throws {
        guard !result.metrics.isEmpty || !result.tables.isEmpty || !result.figures.isEmpty else { return }
        let reportDir = directory.appendingPathComponent(Self.directory)
        try FileManager.default.createDirectory(at: reportDir, withIntermediateDirectories: true)
        var figures: [Figure] = []
        for (i, figure) in result.figures.enumerated() {
            let file = "figure-\(i + 1).svg"
            try Data(figure.svg.utf8).write(to: reportDir.appendingPathComponent(file))
            figures.append(Figure(title: figure.title, file: file))
        }
        let report = StageReport(formatVersion: currentFormat, metrics: result.metrics, tables: result.tables,
                                 figures: figures)
        try report.encoded().write(to: reportDir.appendingPathComponent(fileName))
    }

    /// Canonical bytes: sorted keys, so equal reports give equal output trees.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+inf",
                                                                      negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    /// Reads a `report.json` written by `write`.
    public static func decode(_ data: Data) throws -> StageReport {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "+inf",
                                                                        negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(StageReport.self, from: data)
    }
}
