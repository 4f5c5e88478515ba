import ArgumentParser
import Foundation
import Pipeline
import Provenance
#if canImport(Glibc)
import Glibc
#endif

/// `nasbook run NAME`: runs a pipeline against the store, resuming from the cache.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline; stages whose cache key is recorded are restored instead of executed.",
        discussion: """
            Every run is one commit in the store's ledger. Ctrl-C stops running stages and records \
            what finished; the next run resumes from there.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "Pipeline name (pipelines/NAME.md) or path to a .md file.") var name: String
    @Option(help: "Stages executing at once (default: number of cores).") var jobs: Int?
    @Option(parsing: .upToNextOption, help: "Execute these stages even when cached.") var force: [String] = []
    @Option(help: "Run only this stage and what it depends on.") var until: String?
    @Flag(help: "Show what would run; run and record nothing.") var dryRun = false
    @OptionGroup var variant: VariantOptions
    @Flag(help: "Fail instead of waiting when another run of this pipeline is in progress.") var noWait = false
    @Flag(help: "Print the result as JSON (no progress lines).") var json = false

    /// The JSON form of a run.
    struct Output: Encodable {
        struct Stage: Encodable {
            var stage: String
            var outcome: String
            var output: String?
            var message: String?
        }
        var pipeline: String
        var commit: String?
        var repeated: Bool
        var succeeded: Bool
        var interrupted: Bool
        var dryRun: Bool
        var wouldRun: [String]
        var stages: [Stage]
    }

    func run() async throws {
        Ledger.startInitialisingLibrary()
        let parsed = try reportingErrors { try variant.parsed() }
        let loaded = try reportingErrors { try repository.load(name, overrides: parsed, preset: variant.preset) }
        let runner = try reportingErrors {
            try PipelineRunner(storeRoot: store.storeURL, repositoryRoot: repository.repoURL, registry: repository.registry)
        }
        let options = RunOptions(
            jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, force: Set(force), until: until,
            dryRun: dryRun, noWait: noWait, overrides: parsed, preset: variant.preset, environment: loaded.declaredEnvironment,
            host: ProcessInfo.processInfo.hostName, toolVersion: Nasbook.toolVersion)
        let display = ProgressDisplay(quiet: json)
        let task = Task { try await runner.run(loaded.pipeline, name: loaded.name, document: loaded.document,
                                               options: options, onEvent: display.handle) }
        let signals = SignalCanceller { task.cancel() }
        let outcome = await task.result
        display.finish()
        let received = signals.received
        signals.stop()

        let result: RunResult
        do { result = try outcome.get() } catch {
            if received != nil, error is CancellationError { throw ExitCode(128 + (received ?? SIGINT)) }
            printError("\(error)")
            throw ExitCode.failure
        }
        if json {
            try printJSON(Self.output(result, dryRun: dryRun))
        } else {
            summarise(result)
        }
        if let received { throw ExitCode(128 + received) }
        if !result.succeeded { throw ExitCode.failure }
    }

    private func summarise(_ result: RunResult) {
        if dryRun {
            print(result.wouldRun.isEmpty ? "nothing to run: every stage is cached"
                  : "would run \(result.wouldRun.count) stage(s): " + result.wouldRun.joined(separator: ", "))
            return
        }
        for failure in result.report.failures {
            printError("stage '\(failure.stage)' failed: \(failure.message)")
            if let tail = result.logTails[failure.stage] {
                let lines = tail.split(separator: "\n", omittingEmptySubsequences: false).suffix(21)
                FileHandle.standardError.write(Data(lines.map { "  | \($0)" }.joined(separator: "\n").utf8 + [10]))
            }
        }
        let report = result.report
        var line = "\(result.pipeline): \(report.executed.count) executed, \(report.cached.count) cached"
        if !report.failures.isEmpty { line += ", \(report.failures.count) failed" }
        if result.interrupted { line += " (interrupted)" }
        if let commit = result.commit {
            line += "; recorded as \(commit.short)" + (result.repeated ? ", a repeat" : "")
        }
        print(line)
    }

    static func output(_ result: RunResult, dryRun: Bool) -> Output {
        let stages = result.report.completionOrder.map { name -> Output.Stage in
            let outcome = result.report.outcomes[name]!
            var stage = Output.Stage(stage: name, outcome: "", output: outcome.output?.description)
            switch outcome {
            case .executed: stage.outcome = dryRun ? "would run" : "executed"
            case .cached: stage.outcome = "cached"
            case let .failed(_, message): stage.outcome = "failed"; stage.message = message
            case let .skipped(upstream): stage.outcome = "skipped"; stage.message = "upstream \(upstream) failed"
            case .cancelled: stage.outcome = "cancelled"
            }
            if dryRun, case .executed = outcome { stage.output = nil }
            return stage
        }
        return Output(pipeline: result.pipeline, commit: result.commit?.hex, repeated: result.repeated, succeeded: result.succeeded,
                      interrupted: result.interrupted, dryRun: dryRun, wouldRun: result.wouldRun, stages: stages)
    }
}
