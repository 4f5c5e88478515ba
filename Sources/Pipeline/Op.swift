import Provenance
import Foundation

/// A built-in pipeline operation.
///
/// Ops are pure functions of their inputs and validated parameters: they read
/// `context.inputs`, write only under `context.outputDirectory`, and must not
/// consult the environment, the clock or global state (the cache key would
/// not see it).
public protocol Op: Sendable {
    /// Name, version, parameter and input schemas.
    var descriptor: OpDescriptor { get }
    /// Does the work; throw `PipelineError.opFailed` (or any error) on failure.
    func run(_ context: OpContext) async throws -> OpResult
}

/// Progress an op reports while running, for the CLI's status line.
public struct OpProgress: Hashable, Sendable {
    /// Fraction done in 0...1, when known.
    public var fraction: Double?
    /// Short human message ("epoch 3/10").
    public var message: String

    /// A progress report.
    public init(fraction: Double? = nil, message: String) {
        self.fraction = fraction
        self.message = message
    }
}

/// Everything an op run gets: inputs, parameters, a place to write, and hooks.
public struct OpContext: Sendable {
    /// The stage being run (for messages).
    public var stage: String
    /// Input name → materialised file or directory.
    public var inputs: [String: URL]
    /// Parameters, validated and with defaults filled in.
    public var params: [String: ParamValue]
    /// Empty scratch directory; everything written here becomes the stage output.
    public var outputDirectory: URL
    /// Receives progress reports; may be called from any task.
    public var progress: @Sendable (OpProgress) -> Void
    /// Extra cancellation signal besides Swift task cancellation (e.g. Ctrl-C).
    public var isCancelled: @Sendable () -> Bool
    /// Per-item result cache for resumable ops (see `ItemCache`); nil when the
    /// caller offers none, in which case ops simply do every item.
    public var itemCache: (any ItemCache)?

    /// A context; `progress` and `isCancelled` default to no-ops, `itemCache` to none.
    public init(stage: String, inputs: [String: URL], params: [String: ParamValue], outputDirectory: URL,
                progress: @escaping @Sendable (OpProgress) -> Void = { _ in },
                isCancelled: @escaping @Sendable () -> Bool = { false }, itemCache: (any ItemCache)? = nil) {
        self.stage = stage
        self.inputs = inputs
        self.params = params
        self.outputDirectory = outputDirectory
        self.progress = progress
        self.isCancelled = isCancelled
        self.itemCache = itemCache
    }

    /// Throws `CancellationError` when the task or the run was cancelled; call it between units of work.
    public func checkCancellation() throws {
        try Task.checkCancellation()
        if isCancelled() { throw CancellationError() }
    }

    /// Parameter `name`; throws when validation did not supply it.
    public func param(_ name: String, op: String) throws -> ParamValue {
        guard let value = params[name] else { throw PipelineError.missingParam(op: op, param: name) }
        return value
    }

    /// Input `name`; throws when it was not supplied.
    public func input(_ name: String, op: String) throws -> URL {
        guard let url = inputs[name] else { throw PipelineError.missingInput(op: op, input: name) }
        return url
    }
}

/// A table for the report: a header row and rows of cells.
public struct ReportTable: Hashable, Sendable, Codable {
    /// Caption shown above the table.
    public var title: String
    /// Column names.
    public var columns: [String]
    /// Rows, each with `columns.count` cells.
    public var rows: [[String]]

    /// A table.
    public init(title: String, columns: [String], rows: [[String]]) {
        self.title = title
        self.columns = columns
        self.rows = rows
    }
}

/// An SVG figure for the report.
public struct ReportFigure: Hashable, Sendable, Codable {
    /// Caption.
    public var title: String
    /// The complete `<svg>` document.
    public var svg: String

    /// A figure.
    public init(title: String, svg: String) {
        self.title = title
        self.svg = svg
    }
}

/// What an op produced: its output directory plus optional report material.
public struct OpResult: Sendable {
    /// The directory holding the output tree (normally `context.outputDirectory`).
    public var outputDirectory: URL
    /// Named scalar results (accuracy, Kendall tau…), shown in reports and `status`.
    public var metrics: [String: Double]
    /// Tables for the report.
    public var tables: [ReportTable]
    /// Figures for the report.
    public var figures: [ReportFigure]

    /// A result.
    public init(outputDirectory: URL, metrics: [String: Double] = [:], tables: [ReportTable] = [],
                figures: [ReportFigure] = []) {
        self.outputDirectory = outputDirectory
        self.metrics = metrics
        self.tables = tables
        self.figures = figures
    }
}
