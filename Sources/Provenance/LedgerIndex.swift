import Foundation
import ArtifactStore
#if canImport(Glibc)
import Glibc
#endif

/// An index file that exists but cannot be decoded; callers rebuild the index.
struct IndexCorruption: Error {
    let path: String
    let reason: String
}

/// One index entry: a record location plus the record's end time (for "newest" ordering).
struct IndexEntry: Codable, Hashable {
    let pipeline: String
    let commit: CommitID
    let stage: String
    let ended: Timestamp

    var location: RecordLocation { RecordLocation(pipeline: pipeline, commit: commit, stage: stage) }

    /// Newest first; ties broken by location so files are deterministic.
    static func newestFirst(_ a: IndexEntry, _ b: IndexEntry) -> Bool {
        if a.ended != b.ended { return a.ended > b.ended }
        return a.location < b.location
    }
}

/// The `index/tips.json` file: the ref tips the index files were built from.
struct IndexTips: Codable, Equatable {
    let formatVersion: Int
    let tips: [String: CommitID]
}

/// Derived lookup files under `<store>/index/`, rebuildable from the ledger at any time.
///
/// Layout: each kind is split into 256 shards by the first digest byte, each one
/// JSON object keyed by digest hex, so a lookup reads one file of about N/256 entries
/// and a full rebuild writes at most 3 × 256 files (file creation, not parsing,
/// dominates on slow disks):
/// - `tips.json`: pipeline → tip commit the index covers (detects staleness);
/// - `keys/sha256/ab.json`: cache key → the newest *executed* record with that key;
/// - `producers/sha256/ab.json`: digest → records whose output it is, newest first;
/// - `consumers/sha256/ab.json`: digest → records that read it as an input, newest first.
///
/// Files are replaced atomically (temp + rename), so readers never see partial
/// files and need no lock. Writers serialise on `flock(<store>/locks/ledger-index.lock)`,
/// which also works between processes. `tips.json` is written last: a crash
/// mid-update leaves it old, and the next refresh re-applies the same entries (idempotent).
struct LedgerIndex {
    let directory: URL
    let lockFile: URL

    init(storeRoot: URL) {
        directory = storeRoot.appendingPathComponent("index", isDirectory: true)
        lockFile = storeRoot.appendingPathComponent("locks/ledger-index.lock")
    }

    enum Kind: String, CaseIterable { case keys, producers, consumers }

    /// The shard holding `digest`'s entry of `kind`.
    func shardFile(_ kind: Kind, _ digest: Digest) -> URL {
        directory.appendingPathComponent("\(kind.rawValue)/\(digest.algorithm.rawValue)/\(digest.hex.prefix(2)).json")
    }

    var tipsFile: URL { directory.appendingPathComponent("tips.json") }

    // MARK: Freshness

    /// Current tips of every pipeline ref.
    static func currentTips(_ repo: GitRepository) throws -> [String: CommitID] {
        var tips: [String: CommitID] = [:]
        for ref in try repo.references(matching: Ledger.refPrefix + "*") {
            tips[String(ref.name.dropFirst(Ledger.refPrefix.count))] = ref.target
        }
        return tips
    }

    func storedTips() -> [String: CommitID]? {
        guard let data = try? Data(contentsOf: tipsFile),
              let file = try? JSONDecoder().decode(IndexTips.self, from: data),
              file.formatVersion == ProvenanceModule.formatVersion else { return nil }
        return file.tips
    }

    /// Brings the index up to the current ref tips: cheap when nothing changed
    /// (one ref listing and one small file read), incremental when refs only moved
    /// forward, and a full rebuild when `tips.json` is missing or a ref was removed or rewound.
    func refresh(_ repo: GitRepository) throws {
        if let stored = storedTips(), stored == (try LedgerIndex.currentTips(repo)) { return }
        try withLock { try update(repo) }
    }

    /// Forgets the index so that the next `refresh` rebuilds everything.
    func invalidate() {
        try? FileManager.default.removeItem(at: tipsFile)
    }

    private func update(_ repo: GitRepository) throws {
        let current = try LedgerIndex.currentTips(repo) // re-read under the lock
        let stored = storedTips()
        if stored == current { return }
        var full = stored == nil || stored!.keys.contains { current[$0] == nil }
        if !full, let stored {
            var batch = Batch()
            for (pipeline, tip) in current where stored[pipeline] != tip {
                guard let commits = try commitsSince(repo, tip: tip, until: stored[pipeline]) else {
                    full = true // the old tip is not an ancestor any more: rebuild
                    break
                }
                try batch.add(repo, pipeline: pipeline, commits: commits)
            }
            if !full {
                do { try apply(batch) } catch is IndexCorruption { full = true } // unreadable shard: rebuild
            }
        }
        if full {
            for kind in Kind.allCases {
                let dir = directory.appendingPathComponent(kind.rawValue)
                if FileManager.default.fileExists(atPath: dir.path) {
                    do { try FileManager.default.removeItem(at: dir) } catch {
                        throw ProvenanceError.io(path: dir.path, message: "\(error)")
                    }
                }
            }
            var batch = Batch()
            for (pipeline, tip) in current.sorted(by: { $0.key < $1.key }) {
                try batch.add(repo, pipeline: pipeline, commits: try commitsSince(repo, tip: tip, until: nil) ?? [])
            }
            do { try apply(batch) } catch let corruption as IndexCorruption {
                // Cannot happen on freshly emptied folders unless someone writes into them meanwhile.
                throw ProvenanceError.malformedRecord(corruption.path, reason: corruption.reason)
            }
        }
        try write(try CanonicalJSON.encode(IndexTips(formatVersion: ProvenanceModule.formatVersion, tips: current)),
                  to: tipsFile)
    }

    /// First-parent commits from `tip` back to (excluding) `until`, oldest first,
    /// each with whether it is a repeat (read from the message while the commit
    /// is at hand, so indexing reads each commit once); nil when `until` is
    /// given but never reached.
    private func commitsSince(_ repo: GitRepository, tip: CommitID,
                              until: CommitID?) throws -> [(id: CommitID, isRepeat: Bool)]? {
        var out: [(id: CommitID, isRepeat: Bool)] = []
        var next: CommitID? = tip
        while let id = next, id != until {
            let commit = try repo.commit(id)
            out.append((id, Ledger.parseRepeat(commit.message) != nil))
            next = commit.parents.first
        }
        if until != nil && next == nil { return nil }
        return out.reversed()
    }

    /// Entries gathered from new commits before they are merged into the files.
    private struct Batch {
        var keys: [Digest: IndexEntry] = [:]
        var producers: [Digest: Set<IndexEntry>] = [:]
        var consumers: [Digest: Set<IndexEntry>] = [:]

        mutating func add(_ repo: GitRepository, pipeline: String, commits: [(id: CommitID, isRepeat: Bool)]) throws {
            for (commit, isRepeat) in commits {
                // A repeat restates an earlier commit's records (same tree): nothing new to index.
                if isRepeat { continue }
                for entry in try repo.entries(commit: commit, directory: "records") {
                    let what = "\(commit):records/\(entry.name)"
                    let record = try CanonicalJSON.decode(RunRecord.self, from: try repo.blobData(entry.oid, what: what),
                                                          what: what)
                    let e = IndexEntry(pipeline: pipeline, commit: commit, stage: record.stage, ended: record.ended)
                    if record.outcome.isExecuted, keys[record.cacheKey].map({ $0.ended <= e.ended }) ?? true {
                        keys[record.cacheKey] = e
                    }
                    if let output = record.output { producers[output, default: []].insert(e) }
                    for input in record.inputs.values { consumers[input, default: []].insert(e) }
                }
            }
        }
    }

    /// Merges a batch into the shard files, one read and one write per touched shard.
    private func apply(_ batch: Batch) throws {
        var keyShards: [URL: [String: IndexEntry]] = [:]
        for (key, entry) in batch.keys { keyShards[shardFile(.keys, key), default: [:]][key.hex] = entry }
        for (url, updates) in keyShards {
            var shard: [String: IndexEntry] = try readShard(url)
            for (hex, entry) in updates where shard[hex].map({ $0.ended <= entry.ended }) ?? true {
                shard[hex] = entry
            }
            try write(try CanonicalJSON.encode(shard), to: url)
        }
        for (kind, map) in [(Kind.producers, batch.producers), (.consumers, batch.consumers)] {
            var shards: [URL: [String: Set<IndexEntry>]] = [:]
            for (digest, entries) in map { shards[shardFile(kind, digest), default: [:]][digest.hex] = entries }
            for (url, updates) in shards {
                var shard: [String: [IndexEntry]] = try readShard(url)
                for (hex, entries) in updates {
                    shard[hex] = Set(shard[hex] ?? []).union(entries).sorted(by: IndexEntry.newestFirst)
                }
                try write(try CanonicalJSON.encode(shard), to: url)
            }
        }
    }

    // MARK: Lookups (no lock: files are replaced atomically)

    /// The newest executed record location for a cache key, if any.
    func keyEntry(_ key: Digest) throws -> IndexEntry? {
        let shard: [String: IndexEntry] = try readShard(shardFile(.keys, key))
        return shard[key.hex]
    }

    /// Producer or consumer entries of a digest, newest first.
    func entries(_ kind: Kind, _ digest: Digest) throws -> [IndexEntry] {
        let shard: [String: [IndexEntry]] = try readShard(shardFile(kind, digest))
        return shard[digest.hex] ?? []
    }

    /// A shard's contents; empty when the file does not exist, `IndexCorruption` when it does not parse.
    func readShard<T: Decodable>(_ url: URL) throws -> [String: T] {
        guard let data = FileManager.default.contents(atPath: url.path) else { return [:] }
        do {
            return try JSONDecoder().decode([String: T].self, from: data)
        } catch {
            throw IndexCorruption(path: url.path, reason: "\(error)")
        }
    }

    // MARK: Files

    /// Replaces `url` atomically with ArtifactStore's writer (temp file beside it, then
    /// rename). No fsync: the index is derived data, and a crash leaves either the old
    /// or the new file, which the freshness check and `IndexCorruption` rebuild handle.
    private func write(_ data: Data, to url: URL) throws {
        do {
            try AtomicFile.write(data, to: url.path, durable: false)
        } catch {
            throw ProvenanceError.io(path: url.path, message: "\(error)")
        }
    }

    private func withLock<T>(_ body: () throws -> T) throws -> T {
        do {
            try FileManager.default.createDirectory(at: lockFile.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
        } catch {
            throw ProvenanceError.io(path: lockFile.path, message: "\(error)")
        }
        let fd = Glibc.open(lockFile.path, O_CREAT | O_RDWR, 0o644)
        guard fd >= 0 else {
            throw ProvenanceError.io(path: lockFile.path, message: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        // flock locks belong to the open file description, so threads with their own
        // descriptors exclude each other just as processes do.
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw ProvenanceError.io(path: lockFile.path, message: String(cString: strerror(errno)))
            }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
