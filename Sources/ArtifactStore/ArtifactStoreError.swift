#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every failure the artifact store reports. Each case names the object or
/// path involved so the CLI can print a one-line, actionable message.
public enum ArtifactStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A string that is not `sha256:<64 hex>`.
    case malformedDigest(String, reason: String)
    /// No object with this digest exists; `path` is where it was looked for.
    case objectMissing(Digest, path: String)
    /// The object exists but does not decode to content with this digest.
    case objectCorrupt(Digest, path: String, reason: String)
    /// A system call failed; `code` is the `errno` it left.
    case io(operation: String, path: String, code: Int32)
    /// zstd refused to compress (a store-side failure, not a user error).
    case compression(path: String, reason: String)
    /// A file changed size while it was being stored, so no object was written.
    case fileChanged(path: String)
    /// A tree entry name that could escape or corrupt its directory.
    case invalidEntryName(String, reason: String)
    /// A manifest blob that does not follow the tree format.
    case malformedTree(Digest?, reason: String)
    /// A directory entry the tree format cannot represent (symlink, device, socket…).
    case unsupportedFileType(path: String)
    /// An export or retrieval target that must not already exist (or must be an empty directory).
    case targetExists(path: String)
    /// A non-blocking lock attempt found the store lock held by another holder.
    case storeBusy(path: String)

    /// Human-readable one-line message.
    public var description: String {
        switch self {
        case let .malformedDigest(text, reason):
            return "malformed digest '\(text)': \(reason)"
        case let .objectMissing(digest, path):
            return "object \(digest) is missing (expected at \(path))"
        case let .objectCorrupt(digest, path, reason):
            return "object \(digest) at \(path) is corrupt: \(reason)"
        case let .io(operation, path, code):
            return "cannot \(operation) '\(path)': \(String(cString: strerror(code)))"
        case let .compression(path, reason):
            return "zstd failed while writing '\(path)': \(reason)"
        case let .fileChanged(path):
            return "'\(path)' changed while it was being stored; nothing was written"
        case let .invalidEntryName(name, reason):
            return "invalid tree entry name '\(name.debugDescription.dropFirst().dropLast())': \(reason)"
        case let .malformedTree(digest, reason):
            return "malformed tree \(digest.map { "\($0)" } ?? "manifest"): \(reason)"
        case let .unsupportedFileType(path):
            return "'\(path)' is neither a regular file nor a directory; trees cannot store it"
        case let .targetExists(path):
            return "'\(path)' already exists; choose a new path (or an empty directory for a tree)"
        case let .storeBusy(path):
            return "the store is locked by another process (\(path)); try again later"
        }
    }
}
