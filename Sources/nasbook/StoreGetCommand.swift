import ArgumentParser
import ArtifactStore
import Foundation

/// `nasbook store get DIGEST OUT`: recreates a stored file or tree at OUT.
struct StoreGetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Write a stored artifact (file or tree) to a new path, verifying every byte."
    )

    @OptionGroup var options: StoreOptions

    /// Digest in its `sha256:…` form.
    @Argument(help: "Digest of the artifact (sha256:…).")
    var digest: String

    /// Where to recreate it; must not exist (or be an empty directory for a tree).
    @Argument(help: "Output path; must not exist (an empty directory is fine for a tree).")
    var out: String

    func run() throws {
        try reportingErrors {
            let parsed = try Digest.parse(digest)
            try options.blobStore().export(parsed, to: URL(fileURLWithPath: out))
        }
    }
}
