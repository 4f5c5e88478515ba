import Foundation
import ArtifactStore
import Provenance

/// Text and JSON forms of lineage walks for `nasbook lineage`.
///
/// The text form is an indented tree, one artifact per block, full digests so any
/// line can be pasted back into `show`, `export` or `lineage`. The JSON form is the
/// same tree as nested objects, for scripts.
public enum LineageRendering {
    // MARK: Upstream

    /// The upstream tree of `node` as indented text; `label` names the root (the REF typed).
    public static func text(_ node: LineageNode, label: String) -> String {
        var lines: [String] = []
        upstream(node, label: label, indent: "", into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func upstream(_ node: LineageNode, label: String, indent: String, into lines: inout [String]) {
        lines.append("\(indent)\(label)  \(node.digest)")
        let inner = indent + "    "
        if let producer = node.producer {
            lines.append(inner + describe(producer.record))
            lines.append(inner + "\(producer.location)  \(producer.record.ended)  \(outcomeWord(producer.record.outcome))")
            if !node.otherProducers.isEmpty {
                let shown = node.otherProducers.prefix(3).map(\.description).joined(separator: ", ")
                let more = node.otherProducers.count > 3 ? " and \(node.otherProducers.count - 3) more" : ""
                lines.append(inner + "also produced by: \(shown)\(more)")
            }
        } else if node.stop == nil {
            lines.append(inner + "source (no recorded stage produced it)")
        }
        switch node.stop {
        case .cycle?: lines.append(inner + "(cycle: already on this path; not expanded)")
        case .depthLimit?: lines.append(inner + "(depth limit reached; not expanded)")
        case nil: break
        }
        for edge in node.inputs {
            upstream(edge.node, label: "<- \(edge.name)", indent: inner, into: &lines)
        }
    }

    /// `op vN  {params}` (shell stages show their op label too; params in canonical JSON).
    static func describe(_ record: RunRecord) -> String {
        let params = (try? CanonicalJSON.string(record.params)) ?? "{}"
        return "\(record.op) v\(record.opVersion)  params \(params)"
    }

    /// `executed`, `cached from P@C:S` or `failed: message`.
    static func outcomeWord(_ outcome: Outcome) -> String {
        switch outcome {
        case .executed: return "executed"
        case .cached(let from): return "cached from \(from)"
        case .failed(let message): return "failed: \(message)"
        }
    }

    /// The upstream tree as JSON (sorted keys, pretty-printed).
    public static func json(_ node: LineageNode) throws -> Data {
        try encode(UpstreamJSON(node))
    }

    struct RecordJSON: Encodable {
        let pipeline, commit, stage, op: String
        let opVersion: Int
        let params: [String: Provenance.ParamValue]
        let inputs: [String: String]
        let output: String?
        let cacheKey, started, ended, outcome: String

        init(_ located: LocatedRecord) {
            let r = located.record
            pipeline = located.location.pipeline
            commit = located.location.commit.hex
            stage = located.location.stage
            op = r.op
            opVersion = r.opVersion
            params = r.params
            inputs = r.inputs.mapValues(\.description)
            output = r.output?.description
            cacheKey = r.cacheKey.description
            started = r.started.description
            ended = r.ended.description
            outcome = LineageRendering.outcomeWord(r.outcome)
        }
    }

    struct UpstreamJSON: Encodable {
        struct Edge: Encodable { let name: String; let node: UpstreamJSON }
        let digest: String
        let producer: RecordJSON?
        let otherProducers: [String]
        let stop: String?
        let inputs: [Edge]

        init(_ node: LineageNode) {
            digest = node.digest.description
            producer = node.producer.map(RecordJSON.init)
            otherProducers = node.otherProducers.map(\.description)
            stop = node.stop.map { $0 == .cycle ? "cycle" : "depthLimit" }
            inputs = node.inputs.map { Edge(name: $0.name, node: UpstreamJSON($0.node)) }
        }
    }

    // MARK: Downstream

    /// Everything derived from `digest` as indented text; `label` names the root.
    public static func text(downstream nodes: [DownstreamNode], root digest: Digest, label: String) -> String {
        var lines = ["\(label)  \(digest)"]
        if nodes.isEmpty { lines.append("    nothing recorded reads it") }
        for node in nodes { downstream(node, indent: "    ", into: &lines) }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func downstream(_ node: DownstreamNode, indent: String, into lines: inout [String]) {
        let c = node.consumer
        let names = node.inputNames.joined(separator: ", ")
        lines.append("\(indent)-> \(c.location) (as \(names))  \(c.record.ended)  \(outcomeWord(c.record.outcome))")
        let inner = indent + "     "
        lines.append(inner + describe(c.record))
        lines.append(inner + "output " + (c.record.output?.description ?? "none"))
        if !node.repeats.isEmpty {
            lines.append(inner + "same in \(node.repeats.count) earlier run(s)")
        }
        switch node.stop {
        case .cycle?: lines.append(inner + "(cycle: already on this path; not expanded)")
        case .depthLimit?: lines.append(inner + "(depth limit reached; not expanded)")
        case nil: break
        }
        for child in node.children { downstream(child, indent: inner, into: &lines) }
    }

    /// Everything derived from `digest` as JSON.
    public static func json(downstream nodes: [DownstreamNode], root digest: Digest) throws -> Data {
        struct Root: Encodable { let digest: String; let consumers: [DownJSON] }
        return try encode(Root(digest: digest.description, consumers: nodes.map(DownJSON.init)))
    }

    struct DownJSON: Encodable {
        let consumer: RecordJSON
        let inputNames: [String]
        let repeats: [String]
        let stop: String?
        let consumers: [DownJSON]

        init(_ node: DownstreamNode) {
            consumer = RecordJSON(node.consumer)
            inputNames = node.inputNames
            repeats = node.repeats.map(\.description)
            stop = node.stop.map { $0 == .cycle ? "cycle" : "depthLimit" }
            consumers = node.children.map(DownJSON.init)
        }
    }

    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
