/// The set of cells a search must find, fixed from the whole table before
/// any search runs (so it can use test accuracy: it only *measures* runs).
public struct SearchTarget: Hashable, Sendable {
    /// Space indices of the target cells.
    public let cells: Set<Int>
    /// Size of the space the target lives in.
    public let spaceSize: Int
    /// One-line definition for reports.
    public let definition: String

    /// A target of explicit `cells` in a space of `spaceSize`.
    public init(cells: Set<Int>, spaceSize: Int, definition: String) throws {
        guard !cells.isEmpty, cells.allSatisfy({ (0..<spaceSize).contains($0) }) else {
            throw NASError.invalidArgument(name: "target", reason: "needs 1...\(spaceSize) cells inside the space")
        }
        self.cells = cells
        self.spaceSize = spaceSize
        self.definition = definition
    }

    /// The best-validation cell(s) together with every cell whose test
    /// accuracy is within `tolerance` points of the best test accuracy.
    /// Where the table has no test accuracy (`test[i] == nil` for all i),
    /// the second part uses validation accuracy instead.
    public static func nearBest(validation: [Double], test: [Double?], tolerance: Double) throws -> SearchTarget {
        guard !validation.isEmpty, validation.count == test.count, tolerance >= 0 else {
            throw NASError.invalidArgument(name: "target", reason: "\(validation.count) validation and \(test.count) "
                + "test values, tolerance \(tolerance)")
        }
        let bestValidation = validation.max()!  // non-empty: checked above
        var cells = Set(validation.indices.filter { validation[$0] == bestValidation })
        let hasTest = test.contains { $0 != nil }
        let reported = validation.indices.map { hasTest ? (test[$0] ?? -Double.infinity) : validation[$0] }
        let bestReported = reported.max()!
        cells.formUnion(reported.indices.filter { reported[$0] >= bestReported - tolerance })
        let column = hasTest ? "test" : "validation"
        return try SearchTarget(
            cells: cells, spaceSize: validation.count,
            definition: "best-validation cell or \(column) accuracy within \(tolerance) points of the best "
                + "(\(String(format: "%.2f", bestReported))): \(cells.count) of \(validation.count) cells")
    }
}
