/// Every failure the NAS module reports. Each case names the file, line, cell
/// or argument involved so that the CLI can print one actionable line.
public enum NASError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A NAS-Bench-101 cell that breaks the space's rules (shape, labels, limits).
    case invalidNB101Cell(reason: String)
    /// A NAS-Bench-201 cell string that does not parse; `token` is the offending piece.
    case invalidNB201Cell(text: String, token: String, reason: String)
    /// A file that cannot be opened, read or decompressed.
    case unreadableFile(file: String, reason: String)
    /// A table whose header lacks a required column or has an unexpected layout.
    case badHeader(file: String, reason: String)
    /// A data row that is malformed or disagrees with our own computation.
    case badRow(file: String, line: Int, reason: String)
    /// A caller-supplied argument outside its domain (sizes, lengths, k).
    case invalidArgument(name: String, reason: String)
    /// A binary data file (IDX, CIFAR batch) whose content is wrong at byte `offset` of the
    /// (decompressed) stream: bad magic number, impossible dimension, truncation.
    case malformedData(file: String, offset: Int, reason: String)

    /// Human-readable one-line message; file-based errors read `file:line: message`.
    public var description: String {
        switch self {
        case let .invalidNB101Cell(reason):
            return "invalid NAS-Bench-101 cell: \(reason)"
        case let .invalidNB201Cell(text, token, reason):
            return "invalid NAS-Bench-201 cell '\(text)': token '\(token)': \(reason)"
        case let .unreadableFile(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .badHeader(file, reason):
            return "\(file):1: bad header: \(reason)"
        case let .badRow(file, line, reason):
            return "\(file):\(line): \(reason)"
        case let .invalidArgument(name, reason):
            return "invalid argument '\(name)': \(reason)"
        case let .malformedData(file, offset, reason):
            return "\(file): byte offset \(offset): \(reason)"
        }
    }
}
