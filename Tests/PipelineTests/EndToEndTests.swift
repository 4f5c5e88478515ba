import XCTest
import ArtifactStore
@testable import Pipeline

/// A throw-away directory-backed stand-in for the artifact store: output trees
/// are directories named by a digest of their files, and a key index maps
/// cache keys to them. Enough to run real ops and shell stages end to end.
actor DirectoryStore {
    let root: URL
    private var index: [Digest: Digest] = [:]
    private(set) var executed: [String] = []

    init(root: URL) { self.root = root }

    func lookup(_ key: CacheKey) -> Digest? { index[key.digest] }

    func tree(_ digest: Digest) -> URL { root.appendingPathComponent("trees/\(digest.hex)") }

    /// Digest of a directory: SHA-256 over sorted `path\0sha256(file)\n` lines.
    static func digest(of directory: URL) throws -> Digest {
        var lines = ""
        for file in try BuiltinOps.files(under: directory) {
            let relative = String(file.standardizedFileURL.path.dropFirst(directory.standardizedFileURL.path.count + 1))
            lines += "\(relative)\0\(Digest.sha256(try Data(contentsOf: file)))\n"
        }
        return Digest.sha256(Array(lines.utf8))
    }

    func record(_ key: CacheKey, stage: String, output: URL) throws -> Digest {
        let digest = try Self.digest(of: output)
        let destination = tree(digest)
        if !FileManager.default.fileExists(atPath: destination.path) {
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.moveItem(at: output, to: destination)
        }
        index[key.digest] = digest
        executed.append(stage)
        return digest
    }

    func resetExecuted() { executed = [] }
}

final class EndToEndTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    private func scheduler(_ store: DirectoryStore, registry: OpRegistry, jobs: Int) -> Scheduler {
        let root = self.root!
        return Scheduler(jobs: jobs, environment: [:], lookup: { await store.lookup($0) }, execute: { job in
            let scratch = root.appendingPathComponent("scratch/\(UUID().uuidString)")
            let out = scratch.appendingPathComponent("out")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            var inputs: [String: URL] = [:]
            for (name, digest) in job.inputDigests { inputs[name] = await store.tree(digest) }
            switch job.stage.kind {
            case let .op(name):
                guard let op = registry.lookup(name) else { throw PipelineError.opFailed(op: name, reason: "unregistered") }
                _ = try await op.run(OpContext(stage: job.stage.name, inputs: inputs, params: job.stage.params,
                                               outputDirectory: out))
            case .shell:
                let work = scratch.appendingPathComponent("work")
                try FileManager.default.createDirectory(at: work.appendingPathComponent("inputs"),
                                                        withIntermediateDirectories: true)
                for (name, url) in inputs {
                    try FileManager.default.copyItem(at: url, to: work.appendingPathComponent("inputs/\(name)"))
                }
                let produced = try await ShellStageRunner().run(job.stage, in: work, environment: [:],
                                                                logFile: scratch.appendingPathComponent("log"))
                for (path, url) in zip(job.stage.outputs, produced) {
                    let target = out.appendingPathComponent(path)
                    try FileManager.default.createDirectory(at: target.deletingLastPathComponent(),
                                                            withIntermediateDirectories: true)
                    try FileManager.default.copyItem(at: url, to: target)
                }
            }
            return try await store.record(job.key, stage: job.stage.name, output: out)
        })
    }

    func testTextDemoRunsCachesAndRerunsOnlyWhatChanged() async throws {
        let text = try String(contentsOf: QuickstartTests.repositoryRoot.appendingPathComponent("pipelines/text-demo.md"),
                              encoding: .utf8)
        let validator = PipelineValidator(registry: .builtins, repositoryRoot: QuickstartTests.repositoryRoot)
        let pipeline = try XCTUnwrap(validator.check(text, path: "pipelines/text-demo.md").pipeline)
        let store = DirectoryStore(root: root)

        let first = await scheduler(store, registry: .builtins, jobs: 2).run(pipeline)
        XCTAssertEqual(first.failures.map(\.message), [])
        let firstExecuted = await store.executed
        XCTAssertEqual(Set(firstExecuted), ["greet", "farewell", "count", "combined", "stats"])
        let stats = try XCTUnwrap(first.outcomes["stats"]?.output)
        let json = try String(contentsOf: await store.tree(stats).appendingPathComponent("stats.json"), encoding: .utf8)
        // combined = counts.txt ("      3 pipelines\n" 18 + "      3 literate\n" 17 + "      3 hello\n" 14 bytes,
        // 6 words) + "----\n" (5) + "goodbye\n" (8) + "----\n" (5) + 3 × "hello literate pipelines\n" (75, 9 words).
        XCTAssertEqual(json, "{\"bytes\":142,\"lines\":9,\"words\":18}\n")

        await store.resetExecuted()
        let second = await scheduler(store, registry: .builtins, jobs: 2).run(pipeline)
        let secondExecuted = await store.executed
        XCTAssertEqual(secondExecuted, [])
        XCTAssertEqual(second.outcomes["stats"]?.output, stats)

        let variant = try XCTUnwrap(validator.check(text, path: "pipelines/text-demo.md",
                                                    overrides: [try ParamOverride.parse("greet.repeat=1")]).pipeline)
        let third = await scheduler(store, registry: .builtins, jobs: 1).run(variant)
        XCTAssertTrue(third.succeeded)
        let thirdExecuted = await store.executed
        XCTAssertEqual(thirdExecuted, ["greet", "count", "combined", "stats"])
    }
}
