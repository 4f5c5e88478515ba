/// A position in a pipeline document, 1-based like compilers print it.
public struct SourceLocation: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// Line number, starting at 1.
    public var line: Int
    /// Column number (in Unicode scalars), starting at 1.
    public var column: Int

    /// A location at `line`:`column`.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `LINE:COL`.
    public var description: String { "\(line):\(column)" }

    /// Orders by line, then column, so diagnostics print top to bottom.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// One problem found in a pipeline document.
///
/// Printed exactly as `pipelines/NAME.md:LINE:COL: error: message`, the form
/// editors and CI log parsers already understand.
public struct Diagnostic: Hashable, Sendable, Codable, CustomStringConvertible {
    /// How serious a diagnostic is; errors stop a run, warnings do not.
    public enum Severity: String, Sendable, Codable {
        /// The document cannot run as written.
        case error
        /// Suspicious but harmless; the document still runs.
        case warning
    }

    /// The document path as the user would type it (e.g. `pipelines/demo.md`).
    public var file: String
    /// Where in the document the problem is.
    public var location: SourceLocation
    /// Error or warning.
    public var severity: Severity
    /// One-line message naming what is wrong.
    public var message: String

    /// A diagnostic at `location` in `file`.
    public init(file: String, location: SourceLocation, severity: Severity, message: String) {
        self.file = file
        self.location = location
        self.severity = severity
        self.message = message
    }

    /// `FILE:LINE:COL: SEVERITY: MESSAGE`.
    public var description: String {
        "\(file):\(location.line):\(location.column): \(severity.rawValue): \(message)"
    }
}

extension Array where Element == Diagnostic {
    /// True when at least one diagnostic is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Sorted by position (stable for equal positions), the order they are printed in.
    public var sortedByLocation: [Diagnostic] {
        enumerated().sorted { a, b in
            a.element.location != b.element.location
                ? a.element.location < b.element.location : a.offset < b.offset
        }.map(\.element)
    }
}
