import Foundation

/// A comma-separated table read whole into memory: header plus records with
/// their 1-based line numbers (line 1 is the header) for error messages.
///
/// The benchmark tables never quote fields, so quoting is not supported: a
/// field containing a comma would show up as a wrong column count.
public struct CSVFile: Sendable {
    /// Path as given, used in every error.
    public let file: String
    /// Column names of line 1.
    public let header: [String]
    /// Data lines: line number and fields. Empty lines are skipped.
    public let records: [(line: Int, fields: [Substring])]

    /// The zstd frame magic number as it appears on disk.
    static let zstdMagic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]

    /// Reads `path`, decompressing it when its content is a zstd frame or its
    /// name ends in `.zst` (then anything else is an error); `name` (default:
    /// `path`) is what every error names.
    ///
    /// The content decides, not a `.zst` suffix: the runner hands a stage its
    /// inputs under their input names (`inputs/table`), which have lost the
    /// repository file's suffix. Valid UTF-8 text cannot start with the magic
    /// (0xB5 is a continuation byte), so no plain CSV is mistaken for one.
    public static func load(path: String, name: String? = nil) throws -> CSVFile {
        let label = name ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NASError.unreadableFile(file: label, reason: "no such file or not readable")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: zstdMagic) || path.hasSuffix(".zst") { bytes = try ZstdDecoder.decompress(bytes, file: label) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw NASError.unreadableFile(file: label, reason: "not valid UTF-8")
        }
        return try CSVFile(file: label, text: text)
    }

    /// Parses CSV text with `\n` or `\r\n` line ends; `file` names it in errors.
    /// Lines are split on bytes because Swift treats `\r\n` as one Character.
    public init(file: String, text: String) throws {
        self.file = file
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { line in line.last == UInt8(ascii: "\r") ? line.dropLast() : line }
            .map { Substring($0) }
            .enumerated().makeIterator()
        guard let first = lines.next(), !first.element.isEmpty else {
            throw NASError.badHeader(file: file, reason: "file is empty")
        }
        header = first.element.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var records: [(Int, [Substring])] = []
        while let (index, line) = lines.next() {
            if line.isEmpty { continue }
            records.append((index + 1, line.split(separator: ",", omittingEmptySubsequences: false)))
        }
        self.records = records
    }

    /// Checks that the header is exactly `expected` (names and order).
    public func requireHeader(_ expected: [String]) throws {
        guard header == expected else {
            let missing = expected.filter { !header.contains($0) }
            let detail = missing.isEmpty ? "columns out of order" : "missing \(missing.joined(separator: ", "))"
            throw NASError.badHeader(
                file: file, reason: "expected '\(expected.joined(separator: ","))', \(detail)")
        }
    }
}

/// Typed field access that turns every parse failure into `NASError.badRow`.
struct CSVRow {
    let file: String
    let line: Int
    let fields: [Substring]
    let header: [String]

    init(file: String, line: Int, fields: [Substring], header: [String]) throws {
        guard fields.count == header.count else {
            throw NASError.badRow(file: file, line: line, reason: "\(fields.count) fields, expected \(header.count)")
        }
        self.file = file
        self.line = line
        self.fields = fields
        self.header = header
    }

    func string(_ column: Int) -> String { String(fields[column]) }

    func int(_ column: Int) throws -> Int {
        guard let value = Int(fields[column]) else { throw bad(column, "an integer") }
        return value
    }

    func double(_ column: Int) throws -> Double {
        guard let value = Double(fields[column]), value.isFinite else { throw bad(column, "a finite number") }
        return value
    }

    /// An empty field reads as nil; anything else must be a finite number.
    func optionalDouble(_ column: Int) throws -> Double? {
        fields[column].isEmpty ? nil : try double(column)
    }

    func bad(_ column: Int, _ expected: String) -> NASError {
        .badRow(file: file, line: line, reason: "column '\(header[column])' is '\(fields[column])', expected \(expected)")
    }

    func fail(_ reason: String) -> NASError { .badRow(file: file, line: line, reason: reason) }
}
