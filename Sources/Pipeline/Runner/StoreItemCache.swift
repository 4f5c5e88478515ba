import ArtifactStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The runner's `ItemCache`: item results are blobs in the store; an index
/// entry `<store>/items/<key hex>` maps each key to its blob.
///
/// An index entry is a text file: first line `blob <digest>`, then the key's
/// canonical record, so `cat` shows what an entry is. It is written to a
/// temporary name and renamed, after the blob is in the store, so a crash
/// leaves either no entry or a complete one.
///
/// Garbage collection: `nasbook gc` keeps every blob named by an index entry
/// (`itemCacheRoots`), so a resume after gc still finds its finished items.
/// Entries are never removed automatically; deleting `<store>/items/` (or
/// single entries) releases their blobs to the next gc.
public struct StoreItemCache: ItemCache {
    /// The blob store holding item results.
    public let store: DiskBlobStore
    /// Op name, version and input digests that every key of this stage run includes.
    public let op: String, version: Int, inputs: [String: Digest]

    /// A cache for one stage run of `op` at `version` on `inputs`.
    public init(store: DiskBlobStore, op: String, version: Int, inputs: [String: Digest]) {
        self.store = store
        self.op = op
        self.version = version
        self.inputs = inputs
    }

    /// The key of `item` for this stage run.
    public func key(_ item: [String: String]) -> ItemKey {
        ItemKey(op: op, version: version, inputs: inputs, item: item)
    }

    /// The stored result, or nil when there is no entry, the entry is for
    /// another record (never expected: it would be a SHA-256 collision) or its
    /// blob was collected.
    public func load(_ item: [String: String]) throws -> Data? {
        let key = key(item)
        let path = Self.entryURL(storeRoot: store.root, key: key.digest)
        guard let text = try? String(contentsOf: path, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        guard lines.count == 2, lines[0].hasPrefix("blob "), String(lines[1]) == key.record,
              let blob = Digest(String(lines[0].dropFirst(5))), store.contains(blob) else { return nil }
        return try store.get(blob)
    }

    /// Stores the blob, then atomically writes the index entry.
    public func store(_ item: [String: String], _ data: Data) throws {
        let key = key(item)
        let blob = try store.put(data)
        let directory = Self.directory(storeRoot: store.root)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let final = Self.entryURL(storeRoot: store.root, key: key.digest)
        let temporary = directory.appendingPathComponent(".\(key.digest.hex).\(UUID().uuidString)")
        try Data("blob \(blob)\n\(key.record)".utf8).write(to: temporary)
        if rename(temporary.path, final.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw PipelineError.storeFailed(stage: op, reason: "cannot write item cache entry \(final.path)")
        }
    }

    /// `<store>/items`.
    public static func directory(storeRoot: URL) -> URL { storeRoot.appendingPathComponent("items") }

    /// The index entry of `key`.
    static func entryURL(storeRoot: URL, key: Digest) -> URL {
        directory(storeRoot: storeRoot).appendingPathComponent(key.hex)
    }

    /// Every blob digest named by an index entry: extra gc roots.
    public static func itemCacheRoots(storeRoot: URL) -> Set<Digest> {
        let directory = directory(storeRoot: storeRoot)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var roots = Set<Digest>()
        for name in names where !name.hasPrefix(".") {
            guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8),
                  let first = text.split(separator: "\n").first, first.hasPrefix("blob "),
                  let digest = Digest(String(first.dropFirst(5))) else { continue }
            roots.insert(digest)
        }
        return roots
    }
}
