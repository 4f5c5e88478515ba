import ArgumentParser

/// The `nasbook` command: literate, content-addressed NAS pipelines.
@main
struct Nasbook: AsyncParsableCommand {
    /// Version printed by `--version` and recorded in every run record.
    static let toolVersion = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "nasbook",
        abstract: "Cheap, auditable neural architecture search as literate pipelines.",
        version: toolVersion,
        subcommands: [StoreCommand.self, VerifyCommand.self, TrainCommand.self]
    )
}
