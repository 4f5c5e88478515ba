import Foundation
import ArtifactStore

/// Executing one stage that missed the cache: scratch directory, inputs,
/// op or shell command, output capture into the store.
extension PipelineRunner {
    /// Runs `job` in `<scratchRoot>/<STAGE>/` and returns the digest of its
    /// output tree. The scratch directory is removed afterwards, on success,
    /// failure and cancellation alike; the store only ever sees complete trees.
    func execute(_ job: StageJob, scratchRoot: URL, environment: [String: String],
                 progress: @escaping @Sendable (OpProgress) -> Void) async throws -> Digest {
        let stage = job.stage
        let scratch = scratchRoot.appendingPathComponent(stage.name)
        let fm = FileManager.default
        try? fm.removeItem(at: scratch)
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: scratch) }

        switch stage.kind {
        case let .op(name):
            guard let op = registry.lookup(name) else {
                throw PipelineError.opFailed(op: name, reason: "not registered in this build")
            }
            let inputsDir = scratch.appendingPathComponent("inputs")
            var inputs: [String: URL] = [:]
            for (inputName, digest) in job.inputDigests {
                let url = inputsDir.appendingPathComponent(inputName)
                try fm.createDirectory(at: inputsDir, withIntermediateDirectories: true)
                try storing(stage) { try materialize(digest, at: url) }
                inputs[inputName] = url
            }
            let out = scratch.appendingPathComponent("out")
            try fm.createDirectory(at: out, withIntermediateDirectories: true)
            let items = StoreItemCache(store: store, op: name, version: op.descriptor.version, inputs: job.inputDigests)
            let context = OpContext(stage: stage.name, inputs: inputs, params: stage.params, outputDirectory: out,
                                    progress: progress, itemCache: items)
            let result = try await op.run(context)
            try Task.checkCancellation()
            try storing(stage) { try StageReport.write(result, into: result.outputDirectory) }
            return try storing(stage) { try store.putTree(directory: result.outputDirectory) }

        case .shell:
            let work = scratch.appendingPathComponent("work")
            let inputsDir = work.appendingPathComponent("inputs")
            try fm.createDirectory(at: inputsDir, withIntermediateDirectories: true)
            for (inputName, digest) in job.inputDigests {
                try storing(stage) { try materialize(digest, at: inputsDir.appendingPathComponent(inputName)) }
            }
            let log = scratch.appendingPathComponent("log.txt")
            let produced = try await ShellStageRunner().run(stage, in: work, environment: environment, logFile: log)
            try Task.checkCancellation()
            // Only the declared outputs are kept: move them into a fresh tree.
            let out = scratch.appendingPathComponent("out")
            try fm.createDirectory(at: out, withIntermediateDirectories: true)
            for (path, url) in zip(stage.outputs, produced).sorted(by: { $0.0.count < $1.0.count }) {
                let target = out.appendingPathComponent(path)
                guard !fm.fileExists(atPath: target.path) else { continue }  // listed twice, or inside another output
                try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fm.moveItem(at: url, to: target)
            }
            return try storing(stage) { try store.putTree(directory: out) }
        }
    }

    /// Runs a store operation, naming the stage in any error it throws.
    private func storing<T>(_ stage: ResolvedStage, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError.storeFailed(stage: stage.name, reason: "\(error)")
        }
    }
}
