import ArgumentParser

/// `nasbook store`: put, get and print artifacts by digest.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Put and get content-addressed artifacts.",
        subcommands: [StorePutCommand.self, StoreGetCommand.self, StoreCatCommand.self]
    )
}
