import ArgumentParser
import Foundation
import Pipeline
import Provenance

/// `nasbook log NAME`: the runs of a pipeline, newest first.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List the recorded runs of a pipeline, newest first.",
        discussion: """
            Each line: run id (short commit), time, message, and how many stages executed, were cached or failed. \
            A run that only repeats the latest recorded run is a cheap commit reusing that run's tree and reads \
            "repeat of <run>"; --repeats lists only those.
            """
    )

    @OptionGroup var options: StoreOptions

    /// Pipeline name (the ref is refs/heads/pipelines/NAME).
    @Argument(help: "Pipeline name.")
    var name: String

    /// Machine-readable output.
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    /// List only repeats (no-op runs).
    @Flag(name: .long, help: "List only no-op runs: runs that repeated a recorded run exactly.")
    var repeats = false

    /// Limit on the number of runs.
    @Option(name: .short, help: "Show at most N runs.")
    var n: Int?

    func run() throws {
        try reportingErrors {
            let ledger = try openExistingLedger(options)
            // A typo gets "unknown pipeline … did you mean" rather than an empty listing.
            try ArtifactResolver(ledger: ledger, store: options.blobStore()).checkPipeline(name)
            let limit = n.map { max(0, $0) }
            let runs = repeats ? try ledger.repeats(pipeline: name, limit: limit) : try ledger.runs(pipeline: name, limit: limit)
            if json {
                FileHandle.standardOutput.write(try RunLog.json(runs) + Data("\n".utf8))
            } else {
                for run in runs { print(RunLog.line(run)) }
            }
        }
    }
}

