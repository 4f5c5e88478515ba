/// The thing a search asks for the accuracy of an architecture: a benchmark
/// table look-up (`TableOracle`), or training the cell on a data proxy
/// (`TrainingOracle`).
///
/// Searches rank cells by **validation** accuracy only; test accuracy is
/// exposed separately and only ever reported (best-so-far curves, targets),
/// never used to steer a search. Every distinct cell a search asks about is
/// one query: that count is the cost a sample-efficiency gain is measured in.
/// Asking again about a cell already queried returns the same answer and
/// costs nothing (a training oracle would cache its result the same way).
///
/// A training oracle conforms by training in `validationAccuracy(of:)` (it
/// may throw, e.g. on a diverged run), counting trained cells, and returning
/// nil from `reportedTestAccuracy(of:)` unless it also evaluates a test split.
public protocol Oracle {
    /// The architecture type queried.
    associatedtype Cell: Hashable & Sendable
    /// Distinct cells queried so far.
    var queryCount: Int { get }
    /// Validation accuracy (%) of `cell`; counts one query the first time `cell` is asked about.
    mutating func validationAccuracy(of cell: Cell) throws -> Double
    /// Test accuracy (%) of `cell` for reports, nil when unknown; never counts a query.
    func reportedTestAccuracy(of cell: Cell) -> Double?
    /// A hint that `cells` are about to be asked about, so an oracle that can
    /// answer several at once (a training oracle on several cores) prepares
    /// them together; counts no query. The answers must not depend on it.
    mutating func prepare(_ cells: [Cell]) throws
}

extension Oracle {
    /// Default: nothing to prepare (a table look-up is instant).
    public mutating func prepare(_ cells: [Cell]) throws {}
}

/// An oracle that reads a benchmark table: validation and (optional) test
/// accuracy per cell, looked up instead of trained.
public struct TableOracle<Cell: Hashable & Sendable>: Oracle, Sendable {
    /// Validation and test accuracy of one cell (%).
    public struct Entry: Hashable, Sendable {
        /// Validation accuracy (%), what searches see.
        public let validation: Double
        /// Test accuracy (%), reported only; nil when the table has none.
        public let test: Double?

        /// An entry.
        public init(validation: Double, test: Double?) {
            self.validation = validation
            self.test = test
        }
    }

    /// Short name for reports (e.g. `nb201-cifar10-valid`).
    public let name: String
    private let entries: [Cell: Entry]
    private var queried: Set<Cell> = []

    /// An oracle over `entries`; throws on an empty table or a non-finite accuracy.
    public init(name: String, entries: [Cell: Entry]) throws {
        guard !entries.isEmpty else {
            throw NASError.invalidArgument(name: "entries", reason: "oracle '\(name)' has no cells")
        }
        for entry in entries.values where !entry.validation.isFinite || !(entry.test?.isFinite ?? true) {
            throw NASError.invalidArgument(name: "entries", reason: "oracle '\(name)' has a non-finite accuracy")
        }
        self.name = name
        self.entries = entries
    }

    /// Distinct cells queried so far.
    public var queryCount: Int { queried.count }

    /// The table's validation accuracy; throws for a cell the table lacks.
    public mutating func validationAccuracy(of cell: Cell) throws -> Double {
        guard let entry = entries[cell] else {
            throw NASError.invalidArgument(name: "cell", reason: "\(cell) is not in oracle '\(name)'")
        }
        queried.insert(cell)
        return entry.validation
    }

    /// The table's test accuracy, if it has one.
    public func reportedTestAccuracy(of cell: Cell) -> Double? { entries[cell]?.test }

    /// The table's row for `cell` without counting a query: for fixing a
    /// target from the whole table before a search, never for searching.
    public func entry(of cell: Cell) -> Entry? { entries[cell] }

    /// Forgets every query (a fresh search on the same table).
    public mutating func reset() { queried = [] }
}
