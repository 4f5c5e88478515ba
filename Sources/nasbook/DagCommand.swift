import ArgumentParser
import Foundation
import Pipeline

/// `nasbook dag NAME [--dot]`: the stage graph as text or Graphviz.
struct DagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dag", abstract: "Print a pipeline's stage graph (text, or Graphviz with --dot).")

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "Pipeline name (pipelines/NAME.md) or path to a .md file.") var name: String
    @Flag(help: "Print Graphviz dot.") var dot = false
    @Flag(help: "Print JSON: stages with kind and upstream stages.") var json = false

    /// One node of the JSON form.
    struct Node: Encodable {
        var stage: String
        var kind: String
        var upstream: [String]
    }

    func run() throws {
        try reportingErrors {
            let pipeline = try repository.load(name).pipeline
            if json {
                try printJSON(pipeline.orderedStages.map {
                    Node(stage: $0.name, kind: $0.kindLabel, upstream: pipeline.graph.upstream[$0.name] ?? [])
                })
            } else {
                print(dot ? pipeline.renderDot() : pipeline.renderText(), terminator: "")
            }
        }
    }
}
