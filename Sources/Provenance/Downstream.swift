import Foundation
import ArtifactStore

/// One use of an artifact in a downstream walk: a stage that read it, what that
/// stage wrote, and recursively who read that.
public struct DownstreamNode: Sendable, Equatable {
    /// The newest record of this (pipeline, stage, output) that read the artifact.
    public let consumer: LocatedRecord
    /// Names under which the consumer read the artifact (usually one), sorted.
    public let inputNames: [String]
    /// Older records of the same pipeline and stage that read it and wrote the same
    /// output (re-runs and cache reuses), newest first; listed, not expanded again.
    public let repeats: [RecordLocation]
    /// Uses of the consumer's output (by pipeline, stage, newest first); empty for a failed stage.
    public let children: [DownstreamNode]
    /// Why the walk stopped here without expanding, if it did.
    public let stop: LineageStop?

    /// The consumer's output (nil when it failed).
    public var output: Digest? { consumer.record.output }
}

extension Ledger {
    /// Everything derived from `digest`: the records that read it, the records that
    /// read their outputs, and so on (what `nasbook lineage --down` prints).
    ///
    /// Every run records every stage, cached ones included, so one stage reading the
    /// same artifact in ten runs would appear ten times; records of the same pipeline
    /// and stage that wrote the same output are folded into one node (`repeats`).
    public func downstream(of digest: Digest, maxDepth: Int = 64) throws -> [DownstreamNode] {
        try withFreshIndex { repo, index in
            var path = Set<Digest>()
            return try downstreamNodes(digest, depth: 0, maxDepth: maxDepth, repo: repo, index: index, path: &path)
        }
    }

    private func downstreamNodes(_ digest: Digest, depth: Int, maxDepth: Int, repo: GitRepository,
                                 index: LedgerIndex, path: inout Set<Digest>) throws -> [DownstreamNode] {
        struct Group { var newest: LocatedRecord; var repeats: [RecordLocation] }
        var order: [String] = []
        var groups: [String: Group] = [:]
        for entry in try index.entries(.consumers, digest) { // newest first
            let located = LocatedRecord(location: entry.location, record: try readRecord(repo, entry.location))
            let key = "\(entry.pipeline)\u{0}\(entry.stage)\u{0}\(located.record.output?.description ?? "-")"
            if groups[key] == nil {
                groups[key] = Group(newest: located, repeats: [])
                order.append(key)
            } else {
                groups[key]!.repeats.append(entry.location)
            }
        }
        path.insert(digest)
        defer { path.remove(digest) }
        var nodes: [DownstreamNode] = []
        for key in order {
            let group = groups[key]!
            let record = group.newest.record
            let names = record.inputs.filter { $0.value == digest }.map(\.key).sorted()
            var children: [DownstreamNode] = []
            var stop: LineageStop?
            if let output = record.output {
                if path.contains(output) {
                    stop = .cycle
                } else if depth + 1 >= maxDepth {
                    stop = .depthLimit
                } else {
                    children = try downstreamNodes(output, depth: depth + 1, maxDepth: maxDepth, repo: repo,
                                                   index: index, path: &path)
                }
            }
            nodes.append(DownstreamNode(consumer: group.newest, inputNames: names, repeats: group.repeats,
                                        children: children, stop: stop))
        }
        // Stable, readable order: by pipeline and stage, newest first within one stage.
        return nodes.sorted { a, b in
            let x = a.consumer, y = b.consumer
            if (x.location.pipeline, x.location.stage) != (y.location.pipeline, y.location.stage) {
                return (x.location.pipeline, x.location.stage) < (y.location.pipeline, y.location.stage)
            }
            return (y.record.ended, x.location.commit.hex) < (x.record.ended, y.location.commit.hex)
        }
    }
}
