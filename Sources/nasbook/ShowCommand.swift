import ArgumentParser
import ArtifactStore
import Foundation
import Pipeline
import Provenance

/// `nasbook show REF`: print a text artifact or list a tree.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a text, CSV or JSON artifact, or list a tree (name, kind, size, digest).",
        discussion: """
        REF is NAME:STAGE[@RUN][/path] or sha256:<digest>[/path]. Binary files are not written to a terminal; \
        use 'nasbook export REF DIR' (or redirect the output) instead.
        """
    )

    @OptionGroup var options: StoreOptions

    /// The artifact reference.
    @Argument(help: "NAME:STAGE[@RUN][/path] or sha256:<digest>[/path].")
    var ref: String

    /// Machine-readable output.
    @Flag(name: .long, help: "JSON: a tree listing as an array, a CSV file as an array of row objects.")
    var json = false

    func run() throws {
        try reportingErrors {
            let store = options.blobStore()
            let ledger = try openExistingLedger(options)
            let resolved = try ArtifactResolver(ledger: ledger, store: store).resolve(ref)
            let name = resolved.ref.path.last ?? ""
            let out = FileHandle.standardOutput
            // Text up to 1 GiB is printed; anything larger is treated like binary (export it).
            switch try ArtifactPreview.content(of: resolved.digest, in: store, limit: 1 << 30) {
            case .tree(let tree):
                out.write(json ? try ArtifactPreview.listingJSON(tree) + Data("\n".utf8)
                    : Data(ArtifactPreview.listing(tree).utf8))
            case .text(let text):
                let ext = ArtifactPreview.fileExtension(name)
                if json, ext == "csv" || ext == "tsv" {
                    out.write(try ArtifactPreview.csvJSON(text, separator: ext == "tsv" ? "\t" : ",") + Data("\n".utf8))
                } else {
                    out.write(Data(text.utf8))
                }
            case .binary(let size):
                // A pipe or file gets the bytes; a terminal would only get garbage.
                guard isatty(STDOUT_FILENO) == 0 else {
                    throw PipelineError.reference(
                        ref, reason: "binary artifact (\(size) bytes) not printed to a terminal; "
                            + "use 'nasbook export \(ref) DIR' or redirect the output")
                }
                out.write(try store.get(resolved.digest))
            }
        }
    }
}
