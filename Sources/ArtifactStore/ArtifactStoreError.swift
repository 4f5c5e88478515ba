/// Every failure the artifact store reports. Each case names the object or
/// path involved so the CLI can print a one-line, actionable message.
public enum ArtifactStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A string that is not `sha256:<64 hex>`.
    case malformedDigest(String, reason: String)

    /// Human-readable one-line message.
    public var description: String {
        switch self {
        case let .malformedDigest(text, reason):
            return "malformed digest '\(text)': \(reason)"
        }
    }
}
