import ArgumentParser
import Foundation
import Pipeline

/// `nasbook check NAME`: validates a pipeline and prints `file:line:col: error: …`.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate a pipeline document; exits non-zero when it has errors.")

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "Pipeline name (pipelines/NAME.md) or path to a .md file.") var name: String
    @OptionGroup var variant: VariantOptions
    @Flag(help: "Print the diagnostics as JSON.") var json = false

    func run() throws {
        try reportingErrors {
            let (_, file, display) = try repository.locate(name)
            let parsed = try variant.parsed()
            let validator = PipelineValidator(registry: repository.registry, repositoryRoot: repository.repoURL)
            let result = try validator.check(fileAt: file, displayPath: display, overrides: parsed,
                                                 preset: variant.preset)
            let diagnostics = result.diagnostics.sortedByLocation
            if json {
                try printJSON(diagnostics)
            } else {
                for diagnostic in diagnostics { print(diagnostic) }
                if let pipeline = result.pipeline, !diagnostics.hasErrors {
                    print("\(display): ok, \(pipeline.stages.count) stage(s)")
                }
            }
            if diagnostics.hasErrors || result.pipeline == nil { throw ExitCode.failure }
        }
    }
}
