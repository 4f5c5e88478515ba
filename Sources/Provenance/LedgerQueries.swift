import Foundation
import ArtifactStore
import CGit2

/// Index-backed lookups: each answers from one or two small files under
/// `<store>/index/` after a cheap freshness check against the ref tips.
extension Ledger {
    /// The newest *executed* record whose cache key is `cacheKey`, with its location; nil on a cache miss.
    public func cachedRecord(forCacheKey cacheKey: Digest) throws -> LocatedRecord? {
        try cachedRecords(forCacheKeys: [cacheKey])[cacheKey]
    }

    /// The newest executed record with cache key `cacheKey`; nil on a cache miss.
    public func record(forCacheKey cacheKey: Digest) throws -> RunRecord? {
        try cachedRecord(forCacheKey: cacheKey)?.record
    }

    /// Batch form of `cachedRecord(forCacheKey:)` for `status`: one repository
    /// open and one freshness check for all keys. Misses are absent from the result.
    public func cachedRecords(forCacheKeys keys: [Digest]) throws -> [Digest: LocatedRecord] {
        try withFreshIndex { repo, index in
            var out: [Digest: LocatedRecord] = [:]
            for key in keys {
                guard let entry = try index.keyEntry(key) else { continue }
                out[key] = LocatedRecord(location: entry.location, record: try readRecord(repo, entry.location))
            }
            return out
        }
    }

    /// Records whose output is `digest` (executed and cache reuses alike), newest first.
    public func producers(of digest: Digest) throws -> [RecordLocation] {
        try withFreshIndex { _, index in try index.entries(.producers, digest).map(\.location) }
    }

    /// Records that read `digest` as an input, newest first (what `lineage --down` walks).
    public func consumers(of digest: Digest) throws -> [RecordLocation] {
        try withFreshIndex { _, index in try index.entries(.consumers, digest).map(\.location) }
    }

    /// Deletes `<store>/index/` contents and rebuilds them from the ledger.
    public func rebuildIndex() throws {
        let repo = try open()
        index.invalidate()
        try index.refresh(repo)
    }

    /// Every digest (outputs and inputs) named by any record of any commit reachable
    /// from any ref: the roots the garbage collector must keep.
    ///
    /// Reads the ledger itself, not the index, so that a damaged index can never make
    /// the collector delete live data. Identical record blobs are parsed once.
    public func reachableDigests() throws -> Set<Digest> {
        let repo = try open()
        var digests = Set<Digest>()
        var seenBlobs = Set<String>()
        for commit in try repo.allReachableCommits() {
            for entry in try repo.entries(commit: commit, directory: "records") {
                var oid = entry.oid
                let key = String(cString: git_oid_tostr_s(&oid))
                guard seenBlobs.insert(key).inserted else { continue }
                let what = "\(commit):records/\(entry.name)"
                let record = try CanonicalJSON.decode(RunRecord.self, from: try repo.blobData(entry.oid, what: what),
                                                      what: what)
                digests.formUnion(record.digests)
            }
        }
        return digests
    }

    /// Runs `body` against an up-to-date index; when an index file turns out to be
    /// unreadable the index is rebuilt once and `body` retried.
    func withFreshIndex<T>(_ body: (GitRepository, LedgerIndex) throws -> T) throws -> T {
        let repo = try open()
        let index = self.index
        try index.refresh(repo)
        do {
            return try body(repo, index)
        } catch is IndexCorruption {
            index.invalidate()
            try index.refresh(repo)
            do {
                return try body(repo, index)
            } catch let corruption as IndexCorruption {
                throw ProvenanceError.malformedRecord(corruption.path, reason: corruption.reason)
            }
        }
    }
}
