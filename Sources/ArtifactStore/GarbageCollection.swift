import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The outcome of `DiskBlobStore.collectGarbage`.
public struct GCReport: Sendable, Equatable {
    /// True when nothing was deleted because the caller asked for a dry run.
    public var dryRun: Bool
    /// Objects reachable from the roots (kept).
    public var reachable: Int = 0
    /// Unreachable objects deleted (or, in a dry run, that would be).
    public var deleted: [Digest] = []
    /// On-disk (compressed) bytes those objects occupy.
    public var deletedBytes: Int64 = 0
    /// Roots or tree entries that name objects not in the store.
    public var missing: [Digest] = []
    /// Leftover temp files from interrupted writes removed (or that would be).
    public var staleTempFiles: Int = 0
}

extension BlobStore {
    /// Every digest reachable from `roots`: the roots themselves and, for each
    /// root or entry that is a tree, its entries recursively. Digests named but
    /// absent go to `missing`. A root whose blob merely starts like a manifest
    /// but does not parse is kept as a plain blob; a corrupt tree aborts with
    /// its error, because what it references is then unknown.
    public func reachableDigests(from roots: Set<Digest>) throws -> (reachable: Set<Digest>, missing: Set<Digest>) {
        var reachable = Set<Digest>()
        var missing = Set<Digest>()
        // (digest, known to be a tree?) — roots must be sniffed, entries say their kind.
        var work: [(Digest, Bool?)] = roots.sorted().map { ($0, nil) }
        while let (digest, knownTree) = work.popLast() {
            guard !reachable.contains(digest), !missing.contains(digest) else { continue }
            guard contains(digest) else { missing.insert(digest); continue }
            reachable.insert(digest)
            let tree: Tree?
            switch knownTree {
            case false?:
                tree = nil
            case true?:
                tree = try readTree(digest)
            case nil:
                do {
                    tree = try readTree(digest)
                } catch ArtifactStoreError.malformedTree, ArtifactStoreError.invalidEntryName {
                    tree = nil
                }
            }
            for entry in tree?.entries ?? [] {
                work.append((entry.digest, entry.kind == .tree))
            }
        }
        return (reachable, missing)
    }
}

extension DiskBlobStore {
    /// Deletes every object not reachable from `roots` (following trees) and
    /// every leftover temp file, under the exclusive store lock.
    ///
    /// - Parameters:
    ///   - dryRun: report what would be deleted, delete nothing.
    ///   - wait: when false, throw `storeBusy` instead of waiting for runs to finish.
    ///   - roots: evaluated *after* the lock is taken, so roots read from a
    ///     ledger cannot miss the outputs of a run that finished while gc waited.
    public func collectGarbage(dryRun: Bool, wait: Bool = true,
                               roots: () throws -> Set<Digest>) throws -> GCReport {
        let lock: StoreLock
        if wait {
            lock = try StoreLock.acquire(.exclusive, root: root)
        } else {
            guard let taken = try StoreLock.tryAcquire(.exclusive, root: root) else {
                throw ArtifactStoreError.storeBusy(path: StoreLock.lockPath(root: root))
            }
            lock = taken
        }
        defer { lock.release() }

        var report = GCReport(dryRun: dryRun)
        let (reachable, missing) = try reachableDigests(from: roots())
        report.reachable = reachable.count
        report.missing = missing.sorted()
        for digest in try enumerateObjects().objects where !reachable.contains(digest) {
            let path = objectPath(for: digest)
            report.deleted.append(digest)
            report.deletedBytes += Int64((try Posix.status(path))?.st_size ?? 0)
            if !dryRun { try Posix.unlinkIfPresent(path) }
        }
        // Writers hold the shared lock while a temp file exists, so under the
        // exclusive lock every temp file belongs to a writer that died.
        for name in try Posix.listDirectory(tmpPath) ?? [] {
            guard let name else { continue }
            report.staleTempFiles += 1
            if !dryRun { try Posix.unlinkIfPresent("\(tmpPath)/\(name)") }
        }
        if !dryRun && !report.deleted.isEmpty {
            for fanOut in Set(report.deleted.map { Posix.parentPath(objectPath(for: $0)) }) {
                try Posix.syncDirectory(fanOut)
            }
        }
        return report
    }

    /// `collectGarbage(dryRun:wait:roots:)` with a fixed root set. Only safe
    /// when no run can add roots meanwhile; prefer the closure form.
    public func collectGarbage(roots: Set<Digest>, dryRun: Bool, wait: Bool = true) throws -> GCReport {
        try collectGarbage(dryRun: dryRun, wait: wait) { roots }
    }
}
