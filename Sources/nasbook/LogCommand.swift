import ArgumentParser
import Foundation
import Pipeline
import Provenance

/// `nasbook log NAME`: the runs of a pipeline, newest first.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List the recorded runs of a pipeline, newest first.",
        discussion: "Each line: run id (short commit), time, message, and how many stages executed, were cached or failed."
    )

    @OptionGroup var options: StoreOptions

    /// Pipeline name (the ref is refs/heads/pipelines/NAME).
    @Argument(help: "Pipeline name.")
    var name: String

    /// Machine-readable output.
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    /// Limit on the number of runs.
    @Option(name: .short, help: "Show at most N runs.")
    var n: Int?

    func run() throws {
        try reportingErrors {
            let ledger = try openExistingLedger(options)
            // Resolving with no run prefix checks the name and suggests a fix for a typo.
            _ = try ArtifactResolver(ledger: ledger, store: options.blobStore()).run(pipeline: name, prefix: nil)
            let runs = try ledger.runs(pipeline: name, limit: n.map { max(0, $0) })
            if json {
                FileHandle.standardOutput.write(try LogLine.json(runs))
            } else {
                for run in runs { print(LogLine.text(run)) }
            }
        }
    }
}

/// Formatting of one `log` entry.
enum LogLine {
    /// Per-outcome counts of a run's records.
    static func counts(_ run: RunSummary) -> (executed: Int, cached: Int, failed: Int) {
        var c = (executed: 0, cached: 0, failed: 0)
        for record in run.records {
            switch record.outcome {
            case .executed: c.executed += 1
            case .cached: c.cached += 1
            case .failed: c.failed += 1
            }
        }
        return c
    }

    /// `3f2a1b9c0d12  2026-11-23T02:47:08.123Z  message  [2 executed, 3 cached, 0 failed]`.
    static func text(_ run: RunSummary) -> String {
        let c = counts(run)
        let message = run.message.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return "\(run.commit.short)  \(run.time)  \(message)  [\(c.executed) executed, \(c.cached) cached, \(c.failed) failed]"
    }

    /// The runs as a JSON array.
    static func json(_ runs: [RunSummary]) throws -> Data {
        struct Entry: Encodable {
            let commit, time, message: String
            let executed, cached, failed: Int
            let stages: [String: String]
        }
        let entries = runs.map { run in
            let c = counts(run)
            let stages = Dictionary(run.records.map { record -> (String, String) in
                switch record.outcome {
                case .executed: return (record.stage, "executed")
                case .cached: return (record.stage, "cached")
                case .failed: return (record.stage, "failed")
                }
            }, uniquingKeysWith: { a, _ in a })
            return Entry(commit: run.commit.hex, time: run.time.description, message: run.message,
                         executed: c.executed, cached: c.cached, failed: c.failed, stages: stages)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(entries) + Data("\n".utf8)
    }
}
