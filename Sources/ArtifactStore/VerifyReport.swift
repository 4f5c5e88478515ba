import Foundation

/// The outcome of `DiskBlobStore.verify`: what was re-hashed and what failed.
public struct VerifyReport: Sendable, Equatable {
    /// An object that exists but does not decode to its digest.
    public struct Failure: Sendable, Equatable {
        /// The digest the object is filed under.
        public let digest: Digest
        /// One-line reason, including the object path.
        public let message: String
    }

    /// Objects that decoded and hashed correctly.
    public var verified: Int = 0
    /// Uncompressed bytes re-hashed across the verified objects.
    public var verifiedBytes: Int64 = 0
    /// Requested digests with no object.
    public var missing: [Digest] = []
    /// Objects that are damaged.
    public var corrupt: [Failure] = []
    /// Files under `objects/` whose names are not digests (left untouched).
    public var strays: [String] = []

    /// True when nothing is missing or corrupt.
    public var isClean: Bool { missing.isEmpty && corrupt.isEmpty }
}
