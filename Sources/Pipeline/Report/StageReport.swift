import Foundation

/// The report material a stage leaves in its output tree, stored as
/// `_report/report.json` with each figure's SVG beside it (`_report/NAME.svg`).
///
/// This is the one definition of that file: the runner writes it from an
/// `OpResult` (`StageReport.write(_:into:)`), `nasbook report` reads it back.
/// Keeping figures as separate files (not inline strings) lets `nasbook show
/// NAME:STAGE/_report/fig.svg` and `export` reach them like any other output.
public struct StageReport: Codable, Hashable, Sendable {
    /// Folder inside a stage output tree that holds the report files.
    public static let directory = "_report"
    /// Path of the JSON file inside a stage output tree.
    public static let path = "_report/report.json"

    /// A figure as stored: caption and the tree path of its SVG file.
    public struct Figure: Codable, Hashable, Sendable {
        /// Caption.
        public var title: String
        /// Path inside the stage output tree, always `_report/NAME.svg`.
        public var file: String

        /// A stored figure.
        public init(title: String, file: String) {
            self.title = title
            self.file = file
        }
    }

    /// Named scalar results; non-finite values survive (see `MetricValue`).
    public var metrics: [String: MetricValue]
    /// Tables, in the order the op returned them.
    public var tables: [ReportTable]
    /// Figures, in the order the op returned them.
    public var figures: [Figure]

    /// A report.
    public init(metrics: [String: MetricValue] = [:], tables: [ReportTable] = [], figures: [Figure] = []) {
        self.metrics = metrics
        self.tables = tables
        self.figures = figures
    }

    /// The report describing `result`, with figure files named `StageReport.figureFile(index:title:)`.
    public init(result: OpResult) {
        self.metrics = result.metrics.mapValues(MetricValue.number)
        self.tables = result.tables
        self.figures = result.figures.enumerated().map { index, figure in
            Figure(title: figure.title, file: StageReport.figureFile(index: index, title: figure.title))
        }
    }

    /// Whether the op supplied no report material at all (then no `_report/` is written).
    public var isEmpty: Bool { metrics.isEmpty && tables.isEmpty && figures.isEmpty }

    /// `_report/figN-slug.svg`: the index keeps names unique, the slug keeps them readable.
    public static func figureFile(index: Int, title: String) -> String {
        var slug = ""
        for scalar in title.lowercased().unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, slug.last != "-" {
                slug += "-"
            }
            if slug.count >= 40 { break }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return "\(directory)/fig\(index + 1)\(slug.isEmpty ? "" : "-" + slug).svg"
    }

    /// The JSON bytes (sorted keys, so equal reports give equal bytes and equal digests).
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Decodes `_report/report.json`; `what` names the file in the error.
    public static func decode(_ data: Data, what: String) throws -> StageReport {
        do {
            return try JSONDecoder().decode(StageReport.self, from: data)
        } catch {
            throw PipelineError.reference(what, reason: "not a valid report.json: \(error)")
        }
    }

    /// Writes `result`'s report material into `directory` (the stage output):
    /// `_report/report.json` plus one SVG per figure. Does nothing when the result
    /// has no metrics, tables or figures, so report-less outputs keep their digests.
    public static func write(_ result: OpResult, into directory: URL) throws {
        let report = StageReport(result: result)
        guard !report.isEmpty else { return }
        let folder = directory.appendingPathComponent(StageReport.directory, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (figure, stored) in zip(result.figures, report.figures) {
            try Data(figure.svg.utf8).write(to: directory.appendingPathComponent(stored.file), options: .atomic)
        }
        try report.encoded().write(to: directory.appendingPathComponent(StageReport.path), options: .atomic)
    }
}

/// A metric value in `report.json`: a number, or text for what JSON numbers
/// cannot hold. A rank correlation of an all-tied sample is NaN; it is written
/// as the string `"nan"` (`"inf"`, `"-inf"`) rather than failing the stage.
public enum MetricValue: Codable, Hashable, Sendable, CustomStringConvertible {
    /// A number (finite, or non-finite written as text).
    case number(Double)
    /// Free text (e.g. a chosen architecture string).
    case text(String)

    /// Encodes finite numbers as JSON numbers, non-finite ones and text as strings.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let d) where d.isNaN: try c.encode("nan")
        case .number(let d) where d.isInfinite: try c.encode(d > 0 ? "inf" : "-inf")
        case .number(let d): try c.encode(d)
        case .text(let s): try c.encode(s)
        }
    }

    /// Decodes a JSON number, or a string (`nan`/`inf`/`-inf` become numbers again).
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let d = try? c.decode(Double.self) {
            self = .number(d)
            return
        }
        let s = try c.decode(String.self)
        switch s {
        case "nan": self = .number(.nan)
        case "inf": self = .number(.infinity)
        case "-inf": self = .number(-.infinity)
        default: self = .text(s)
        }
    }

    /// Numbers with up to 6 significant digits (`0.8123`, `1.2e-05`, `nan`); text as is.
    public var description: String {
        switch self {
        case .number(let d):
            if d.isNaN { return "nan" }
            if d.isInfinite { return d > 0 ? "inf" : "-inf" }
            if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
            return String(format: "%.6g", d)
        case .text(let s): return s
        }
    }

    /// Equality that treats NaN as equal to NaN, so a decoded report equals the written one.
    public static func == (lhs: MetricValue, rhs: MetricValue) -> Bool {
        switch (lhs, rhs) {
        case let (.number(a), .number(b)): return a == b || (a.isNaN && b.isNaN)
        case let (.text(a), .text(b)): return a == b
        default: return false
        }
    }

    /// Hashing consistent with `==` (all NaNs hash alike).
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .number(let d):
            hasher.combine(0)
            if d.isNaN { hasher.combine(UInt64.max) } else { hasher.combine(d) }
        case .text(let s): hasher.combine(1); hasher.combine(s)
        }
    }
}
