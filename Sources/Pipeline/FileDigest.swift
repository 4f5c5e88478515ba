import ArtifactStore
import Foundation

/// Content digests of files outside the store, for ops whose parameters name
/// external data (a dataset directory): they check those files against a
/// digest manifest that is a hashed stage input, so the files' content — not
/// their path — is what the cache key sees.
public enum FileDigest {
    /// SHA-256 of the file at `url`, streamed in 1 MiB chunks, in the one
    /// canonical string form (`sha256:…`).
    public static func sha256(of url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = DigestHasher()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(chunk) }
        return hasher.finalize().description
    }
}
