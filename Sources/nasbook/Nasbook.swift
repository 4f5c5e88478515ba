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
        subcommands: [RunCommand.self, CheckCommand.self, StatusCommand.self, ListCommand.self, DagCommand.self,
                      OpsCommand.self, ReportCommand.self, LogCommand.self, LineageCommand.self, ShowCommand.self,
                      ExportCommand.self, TrainCommand.self, StoreCommand.self, VerifyCommand.self, GCCommand.self]
    )
}
