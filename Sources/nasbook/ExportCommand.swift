import ArgumentParser
import Foundation
import Pipeline
import Provenance

/// `nasbook export REF DIR`: recreate an artifact (file or tree) on disk.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write an artifact (file or tree) to a new path, verifying every byte.",
        discussion: """
        A tree becomes the directory DEST (which must not exist or be empty); a file becomes the file DEST \
        (which must not exist). Entry names are re-validated, so nothing is ever written outside DEST.
        """
    )

    @OptionGroup var options: StoreOptions

    /// The artifact reference.
    @Argument(help: "NAME:STAGE[@RUN][/path] or sha256:<digest>[/path].")
    var ref: String

    /// Destination path.
    @Argument(help: "Destination: a new (or empty) directory for a tree, a new file for a file.")
    var dest: String

    func run() throws {
        try reportingErrors {
            let store = options.blobStore()
            let ledger = try openExistingLedger(options)
            let resolved = try ArtifactResolver(ledger: ledger, store: store).resolve(ref)
            try store.export(resolved.digest, to: URL(fileURLWithPath: dest))
            print("\(resolved.digest) -> \(dest)")
        }
    }
}
