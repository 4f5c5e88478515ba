import ArgumentParser
import ArtifactStore
import Foundation

/// `nasbook store put PATH`: stores a file or directory and prints its digest.
struct StorePutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Store a file or a directory (as a tree) and print its digest."
    )

    @OptionGroup var options: StoreOptions

    /// File or directory to store.
    @Argument(help: "File or directory to store.")
    var path: String

    func run() throws {
        try reportingErrors {
            let url = URL(fileURLWithPath: path)
            let digest = try options.blobStore().putArtifact(at: url)
            print(digest)
        }
    }
}
