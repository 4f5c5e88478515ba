import ArgumentParser
import Foundation
import Pipeline
import Provenance

/// `nasbook status NAME`: per stage, up to date or will run and why.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show which stages are up to date and why the others would run.",
        discussion: "Reads only the ledger index and hashes only repository-file inputs; nothing runs.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "Pipeline name (pipelines/NAME.md) or path to a .md file.") var name: String
    @OptionGroup var variant: VariantOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        Ledger.startInitialisingLibrary()
        try reportingErrors {
            let loaded = try repository.load(name, overrides: try variant.parsed(), preset: variant.preset)
            let runner = try PipelineRunner(storeRoot: store.storeURL, repositoryRoot: repository.repoURL,
                                            registry: repository.registry)
            let statuses = try runner.status(of: loaded.pipeline, name: loaded.name,
                                             environment: loaded.declaredEnvironment)
            if json { return try printJSON(statuses) }
            let width = statuses.map(\.stage.count).max() ?? 0
            for status in statuses {
                let name = status.stage.padding(toLength: width + 2, withPad: " ", startingAt: 0)
                switch status.state {
                case .upToDate: print("\(name)up to date")
                case .willRun: print("\(name)will run: " + status.reasons.joined(separator: "; "))
                }
            }
        }
    }
}
