import Foundation
import XCTest
import ArtifactStore
import Provenance
@testable import Pipeline

/// Execution counts shared between the test ops and the tests.
final class ExecutionCounter: @unchecked Sendable {
    // @unchecked: every stored property is guarded by `lock`.
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    private var failing: Set<String> = []

    func record(_ stage: String) { lock.withLock { counts[stage, default: 0] += 1 } }
    func count(_ stage: String) -> Int { lock.withLock { counts[stage] ?? 0 } }
    var total: Int { lock.withLock { counts.values.reduce(0, +) } }
    /// Stages executed since the last reset, sorted.
    var executed: [String] { lock.withLock { counts.keys.sorted() } }
    func reset() { lock.withLock { counts = [:] } }
    func setFailing(_ stages: Set<String>) { lock.withLock { failing = stages } }
    func shouldFail(_ stage: String) -> Bool { lock.withLock { failing.contains(stage) } }
}

/// `test.count`: writes `value.txt` = its `value` param followed by every input
/// file's content; the `label` param enters the key but not the output (for
/// early cutoff); reports a metric. Counts executions and fails on demand.
struct CountingOp: Op {
    let counter: ExecutionCounter

    var descriptor: OpDescriptor {
        OpDescriptor(name: "test.count", version: 1, summary: "counting test op",
                     params: [ParamSpec("value", .string, default: "x", doc: "text written"),
                              ParamSpec("label", .string, default: "", doc: "ignored by the output"),
                              ParamSpec("scale", .double, default: 1.0, doc: "a double param")],
                     inputs: [], acceptsExtraInputs: true)
    }

    func run(_ context: OpContext) async throws -> OpResult {
        counter.record(context.stage)
        if counter.shouldFail(context.stage) {
            throw PipelineError.opFailed(op: "test.count", reason: "asked to fail")
        }
        var text = try context.param("value", op: "test.count").stringValue ?? ""
        for name in context.inputs.keys.sorted() {
            for file in try BuiltinOps.files(under: context.inputs[name]!)
            where !file.path.contains("/\(StageReport.directory)/") {
                text += "|" + (try String(contentsOf: file, encoding: .utf8))
            }
        }
        try Data(text.utf8).write(to: context.outputDirectory.appendingPathComponent("value.txt"))
        return OpResult(outputDirectory: context.outputDirectory, metrics: ["length": Double(text.count)])
    }
}

/// A temp repository (with `pipelines/`) and a store, plus helpers to run documents.
final class RunnerFixture: Sendable {
    let base: URL
    let repo: URL
    let storeRoot: URL
    let counter = ExecutionCounter()

    init() throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString)")
        repo = base.appendingPathComponent("repo")
        storeRoot = base.appendingPathComponent("store")
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("pipelines"), withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: base) }

    var registry: OpRegistry {
        var registry = OpRegistry.builtins
        registry.register(CountingOp(counter: counter))
        return registry
    }

    func runner() throws -> PipelineRunner {
        try PipelineRunner(storeRoot: storeRoot, repositoryRoot: repo, registry: registry)
    }

    func validate(_ text: String, overrides: [String] = []) throws -> ValidatedPipeline {
        let result = PipelineValidator(registry: registry, repositoryRoot: repo)
            .check(text, path: "p.md", overrides: try overrides.map(ParamOverride.parse))
        guard let pipeline = result.pipeline else {
            throw PipelineError.unreadableDocument(path: "p.md", reason: result.diagnostics.map(\.description).joined(separator: "; "))
        }
        return pipeline
    }

    /// Validates and runs `text` as pipeline `name`, after resetting the counter.
    @discardableResult
    func run(_ text: String, name: String = "p", overrides: [String] = [], options: RunOptions = RunOptions(jobs: 2),
             onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }) async throws -> RunResult {
        counter.reset()
        var options = options
        options.overrides = try overrides.map(ParamOverride.parse)
        return try await runner().run(try validate(text, overrides: overrides), name: name, document: Data(text.utf8),
                                      options: options, onEvent: onEvent)
    }

    func writeRepoFile(_ path: String, _ text: String) throws {
        let url = repo.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Content of `path` inside the output tree `digest`.
    func read(_ digest: Digest, _ path: String) throws -> String {
        let store = DiskBlobStore(root: storeRoot)
        var current = digest
        for component in path.split(separator: "/") {
            guard let tree = try store.readTree(current), let entry = tree[String(component)] else {
                throw PipelineError.storeFailed(stage: "?", reason: "no \(path) in \(digest)")
            }
            current = entry.digest
        }
        return try store.getString(current)
    }
}

/// A diamond: `a` → (`b`, `c`) → `d`, all counting ops.
let diamond = """
    # Diamond

    Prose.

    ```stage a
    op: test.count
    with:
      value: A
    ```

    ```stage b
    op: test.count
    needs: [a]
    with:
      value: B
    ```

    ```stage c
    op: test.count
    needs: [a]
    with:
      value: C
    ```

    ```stage d
    op: test.count
    needs: [b, c]
    with:
      value: D
    ```
    """
