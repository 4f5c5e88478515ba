import ArgumentParser
import Foundation
import Pipeline

/// `nasbook ops`: every registered op with its parameters and inputs.
struct OpsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ops", abstract: "List the available ops with their parameters and inputs.")

    @OptionGroup var repository: RepositoryOptions
    @Flag(help: "Print JSON: name, version and help text per op.") var json = false

    /// One op in the JSON form.
    struct Entry: Encodable {
        var name: String
        var version: Int
        var help: String
    }

    func run() throws {
        try reportingErrors {
            let descriptors = repository.registry.descriptors
            if json {
                return try printJSON(descriptors.map { Entry(name: $0.name, version: $0.version, help: $0.helpText) })
            }
            print(descriptors.map(\.helpText).joined(separator: "\n"), terminator: "")
        }
    }
}
