import Foundation
import ArtifactStore

/// Cache-key lookups for the length of one run or `status`: one repository
/// handle, one index freshness check and each key shard decoded once,
/// however many stages ask.
///
/// `Ledger.cachedRecord(forCacheKey:)` pays all three on every call, which is
/// most of a no-op run's lookup time. A session sees the ledger as of its
/// first lookup: records committed later by *other* runs are not seen (they
/// would only turn a miss into a hit), while this run's own records are
/// committed after its last lookup, so nothing it needs can be missing.
///
/// Thread-safe: libgit2 handles must not be used from two threads at once,
/// so every lookup holds `lock`, which is also why the class is `@unchecked Sendable`.
public final class CacheLookupSession: @unchecked Sendable {
    // @unchecked: `repository` and `shards` are only touched while holding `lock`.
    private let ledger: Ledger
    private let lock = NSLock()
    private var repository: GitRepository?
    private var shards: [String: [String: IndexEntry]] = [:]

    init(ledger: Ledger) { self.ledger = ledger }

    /// The newest executed record with cache key `key`, with its location; nil on a miss.
    public func cachedRecord(forCacheKey key: Digest) throws -> LocatedRecord? {
        try lock.withLock {
            let index = ledger.index
            let repo = try openFresh(index)
            let entry: IndexEntry?
            do {
                entry = try self.entry(key, index)
            } catch is IndexCorruption {
                // An unreadable shard: rebuild once, as `Ledger.withFreshIndex` does.
                shards = [:]
                index.invalidate()
                try index.refresh(repo)
                do { entry = try self.entry(key, index) } catch let corruption as IndexCorruption {
                    throw ProvenanceError.malformedRecord(corruption.path, reason: corruption.reason)
                }
            }
            guard let entry else { return nil }
            return LocatedRecord(location: entry.location, record: try ledger.readRecord(repo, entry.location))
        }
    }

    /// The session's repository, opened and the index refreshed on first use.
    private func openFresh(_ index: LedgerIndex) throws -> GitRepository {
        if let repository { return repository }
        let repo = try ledger.open()
        try index.refresh(repo)
        repository = repo
        return repo
    }

    private func entry(_ key: Digest, _ index: LedgerIndex) throws -> IndexEntry? {
        let file = index.shardFile(.keys, key)
        if let shard = shards[file.path] { return shard[key.hex] }
        let shard: [String: IndexEntry] = try index.readShard(file)
        shards[file.path] = shard
        return shard[key.hex]
    }
}

extension Ledger {
    /// A lookup session for one run (see `CacheLookupSession`).
    public func lookupSession() -> CacheLookupSession { CacheLookupSession(ledger: self) }
}
