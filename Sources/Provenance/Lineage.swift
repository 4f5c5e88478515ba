import Foundation
import ArtifactStore

/// One artifact in a lineage tree: the record that produced it and, recursively,
/// the lineage of that record's inputs.
public struct LineageNode: Sendable, Equatable {
    /// The artifact.
    public let digest: Digest
    /// The producing record (newest executed one, else newest of any outcome);
    /// nil for a source artifact no record produced.
    public let producer: LocatedRecord?
    /// Other records that also name this digest as output (e.g. cache reuses, re-runs).
    public let otherProducers: [RecordLocation]
    /// Lineage of the producer's inputs, sorted by input name.
    public let inputs: [LineageEdge]
    /// Why the walk stopped here without expanding, if it did.
    public let stop: LineageStop?

    /// The producing op, when there is a producer.
    public var op: String? { producer?.record.op }
    /// The producer's end time, when there is a producer.
    public var time: Timestamp? { producer?.record.ended }
}

/// A named input edge of a lineage tree.
public struct LineageEdge: Sendable, Equatable {
    /// The input's name in the consuming record.
    public let name: String
    /// Lineage of the input artifact.
    public let node: LineageNode
}

/// Why a lineage walk did not expand a node.
public enum LineageStop: Sendable, Equatable {
    /// The digest already appears on the path from the root (a cycle in the records).
    case cycle
    /// The depth limit was reached.
    case depthLimit
}

extension Ledger {
    /// The upstream lineage of `digest`: its producer, the producer's inputs'
    /// producers, and so on, down to source artifacts.
    ///
    /// Cycles (only possible with hand-made records) end in a node with `stop == .cycle`.
    /// Complete shared ancestors are looked up once and reused, so diamond-shaped DAGs stay cheap.
    public func lineage(of digest: Digest, maxDepth: Int = 256) throws -> LineageNode {
        try withFreshIndex { repo, index in
            var memo: [Digest: LineageNode] = [:]
            var path = Set<Digest>()
            return try lineageNode(digest, depth: 0, maxDepth: maxDepth, repo: repo, index: index,
                                   path: &path, memo: &memo)
        }
    }

    private func lineageNode(_ digest: Digest, depth: Int, maxDepth: Int, repo: GitRepository, index: LedgerIndex,
                             path: inout Set<Digest>, memo: inout [Digest: LineageNode]) throws -> LineageNode {
        if path.contains(digest) {
            return LineageNode(digest: digest, producer: nil, otherProducers: [], inputs: [], stop: .cycle)
        }
        if let known = memo[digest] { return known }
        let entries = try index.entries(.producers, digest) // newest first
        var located: [LocatedRecord] = []
        for entry in entries {
            located.append(LocatedRecord(location: entry.location, record: try readRecord(repo, entry.location)))
        }
        guard let chosen = located.first(where: { $0.record.outcome.isExecuted }) ?? located.first else {
            let source = LineageNode(digest: digest, producer: nil, otherProducers: [], inputs: [], stop: nil)
            memo[digest] = source
            return source
        }
        let others = located.map(\.location).filter { $0 != chosen.location }
        if depth >= maxDepth {
            return LineageNode(digest: digest, producer: chosen, otherProducers: others, inputs: [], stop: .depthLimit)
        }
        path.insert(digest)
        defer { path.remove(digest) }
        var edges: [LineageEdge] = []
        for (name, input) in chosen.record.inputs.sorted(by: { $0.key < $1.key }) {
            let node = try lineageNode(input, depth: depth + 1, maxDepth: maxDepth, repo: repo, index: index,
                                       path: &path, memo: &memo)
            edges.append(LineageEdge(name: name, node: node))
        }
        let node = LineageNode(digest: digest, producer: chosen, otherProducers: others, inputs: edges, stop: nil)
        // Only complete subtrees are reused: one cut by a cycle or the depth limit depends on
        // the path it was reached by. Children are complete exactly when they were memoised.
        if edges.allSatisfy({ memo[$0.node.digest] != nil }) { memo[digest] = node }
        return node
    }
}
