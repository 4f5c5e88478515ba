import ArgumentParser
import ArtifactStore
import Foundation

/// `nasbook store cat DIGEST`: writes a stored blob's content to stdout.
struct StoreCatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Print a stored blob (a tree prints as its manifest) to standard output."
    )

    @OptionGroup var options: StoreOptions

    /// Digest in its `sha256:…` form.
    @Argument(help: "Digest of the blob (sha256:…).")
    var digest: String

    func run() throws {
        try reportingErrors {
            let parsed = try Digest.parse(digest)
            // Verified in full before the first byte is printed, so a corrupt object never leaks.
            let data = try options.blobStore().get(parsed)
            FileHandle.standardOutput.write(data)
        }
    }
}
