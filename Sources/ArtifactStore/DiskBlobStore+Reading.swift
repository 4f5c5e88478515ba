import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DiskBlobStore {
    public func get(_ digest: Digest) throws -> Data {
        let path = objectPath(for: digest)
        let expected = try ObjectDecoder.contentSize(of: digest, at: path)
        var data = Data()
        // The header is untrusted until the hash checks out: cap the up-front reservation.
        data.reserveCapacity(Int(min(expected, 1 << 30)))
        try ObjectDecoder.decode(digest, at: path) { data.append(contentsOf: $0) }
        return data
    }

    public func get(_ digest: Digest, to destination: URL) throws {
        let target = destination.standardizedFileURL.path
        // The temp file sits beside the target so the final rename stays on one filesystem.
        let temp = try TempObject(directory: Posix.parentPath(target), prefix: ".nasbook-get-")
        defer { temp.discard() }
        try ObjectDecoder.decode(digest, at: objectPath(for: digest)) { chunk in
            try Posix.writeAll(temp.fd, chunk, path: temp.path)
        }
        _ = fchmod(temp.fd, 0o644)
        try Posix.renameFile(temp.path, target)
        temp.committed()
    }

    /// Streams the verified content of `digest` to `sink` without holding it in memory.
    ///
    /// The sink sees bytes before the final hash check, so on `objectCorrupt`
    /// whatever it received must be thrown away; prefer `get` unless memory matters.
    public func read(_ digest: Digest, into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        try ObjectDecoder.decode(digest, at: objectPath(for: digest), sink: sink)
    }
}
