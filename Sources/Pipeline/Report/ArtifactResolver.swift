import ArtifactStore
import Provenance

/// An `ArtifactRef` looked up in the ledger and the store.
public struct ResolvedArtifact: Sendable {
    /// The reference that was resolved.
    public var ref: ArtifactRef
    /// Digest of the artifact the whole reference (path included) names.
    public var digest: Digest
    /// Digest of the base artifact (the stage output, or the digest given) before the path.
    public var base: Digest
    /// The run and record, for stage references.
    public var run: RunSummary?
    /// The stage's record in `run`, for stage references.
    public var record: RunRecord?
    /// The tree entry the path ended at (nil for an empty path): tells file from tree without a read.
    public var entry: TreeEntry?
}

/// Resolves references against a ledger and a blob store, with one-line errors
/// that name the pipeline, run or path that does not exist (and suggest a fix).
public struct ArtifactResolver: Sendable {
    /// The provenance ledger.
    public let ledger: Ledger
    /// The store holding the artifacts.
    public let store: any BlobStore

    /// A resolver over `ledger` and `store`.
    public init(ledger: Ledger, store: any BlobStore) {
        self.ledger = ledger
        self.store = store
    }

    /// Parses and resolves `text`.
    public func resolve(_ text: String) throws -> ResolvedArtifact {
        try resolve(ArtifactRef.parse(text))
    }

    /// Resolves `ref`: the run, the stage's output, then each path component.
    public func resolve(_ ref: ArtifactRef) throws -> ResolvedArtifact {
        func bad(_ reason: String) -> PipelineError { .reference(ref.description, reason: reason) }
        var run: RunSummary?
        var record: RunRecord?
        let base: Digest
        switch ref.base {
        case let .digest(digest):
            guard store.contains(digest) else { throw bad("no such artifact in the store") }
            base = digest
        case let .stage(pipeline, stage, prefix):
            let found = try self.run(pipeline: pipeline, prefix: prefix, having: stage, ref: ref)
            run = found
            guard let rec = found.records.first(where: { $0.stage == stage }) else {
                let stages = found.records.map(\.stage)
                throw bad("run \(found.commit.short) of pipeline '\(pipeline)' has no stage '\(stage)'"
                    + (Suggestion.closest(to: stage, among: stages).map { "; did you mean '\($0)'?" }
                        ?? " (stages: \(stages.joined(separator: ", ")))"))
            }
            record = rec
            guard let output = rec.output else {
                var message = "stage '\(stage)' failed in run \(found.commit.short) and has no output"
                if case let .failed(reason) = rec.outcome { message += " (\(reason))" }
                throw bad(message)
            }
            guard store.contains(output) else {
                throw bad("output \(output) of stage '\(stage)' is not in the store (garbage-collected?)")
            }
            base = output
        }
        var digest = base
        var entry: TreeEntry?
        var walked: [String] = []
        for component in ref.path {
            let here = walked.isEmpty ? "the artifact" : "'\(walked.joined(separator: "/"))'"
            guard let tree = try store.readTree(digest) else {
                throw bad("\(here) is a file, not a folder, so it has no '\(component)'")
            }
            guard let child = tree[component] else {
                let names = tree.entries.map(\.name)
                throw bad("\(here) has no entry '\(component)'"
                    + (Suggestion.closest(to: component, among: names).map { "; did you mean '\($0)'?" } ?? ""))
            }
            walked.append(component)
            entry = child
            digest = child.digest
        }
        return ResolvedArtifact(ref: ref, digest: digest, base: base, run: run, record: record, entry: entry)
    }

    /// Throws "unknown pipeline" (with a suggestion or the known names) unless `pipeline` has runs;
    /// `label` starts the message (default: the pipeline name).
    public func checkPipeline(_ pipeline: String, label: String? = nil) throws {
        let known = try ledger.pipelines()
        guard !known.contains(pipeline) else { return }
        let hint = Suggestion.closest(to: pipeline, among: known).map { "; did you mean '\($0)'?" }
            ?? (known.isEmpty ? " (the ledger has no runs yet)" : " (pipelines with runs: \(known.joined(separator: ", ")))")
        throw PipelineError.reference(label ?? pipeline, reason: "unknown pipeline '\(pipeline)'" + hint)
    }

    /// The run of `pipeline` whose commit id starts with `prefix`; with no prefix, the
    /// newest run that recorded `stage` (a `--until` run may have skipped it).
    public func run(pipeline: String, prefix: String?, having stage: String? = nil,
                    ref: ArtifactRef? = nil) throws -> RunSummary {
        let label = ref?.description ?? pipeline
        func bad(_ reason: String) -> PipelineError { .reference(label, reason: reason) }
        try checkPipeline(pipeline, label: label)
        let runs = try ledger.runs(pipeline: pipeline)
        if let prefix {
            let matches = runs.filter { $0.commit.hex.hasPrefix(prefix) }
            guard let only = matches.first else {
                throw bad("no run '\(prefix)' in pipeline '\(pipeline)' (see 'nasbook log \(pipeline)')")
            }
            guard matches.count == 1 else {
                throw bad("run prefix '\(prefix)' is ambiguous: it matches \(matches.count) runs ("
                    + matches.prefix(4).map(\.commit.short).joined(separator: ", ") + "); give more digits")
            }
            return only
        }
        guard let stage else {
            guard let newest = runs.first else { throw bad("pipeline '\(pipeline)' has no runs") }
            return newest
        }
        if let newest = runs.first(where: { run in run.records.contains { $0.stage == stage } }) {
            return newest
        }
        let stages = Set(runs.flatMap { $0.records.map(\.stage) })
        throw bad("no run of pipeline '\(pipeline)' has a stage '\(stage)'"
            + (Suggestion.closest(to: stage, among: stages).map { "; did you mean '\($0)'?" } ?? ""))
    }
}
