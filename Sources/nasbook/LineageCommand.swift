import ArgumentParser
import Foundation
import Pipeline
import Provenance

/// `nasbook lineage REF`: where an artifact came from, or (`--down`) what was derived from it.
struct LineageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Show the full upstream tree of an artifact (or, with --down, everything derived from it).",
        discussion: """
        REF is NAME:STAGE (newest run having the stage), NAME:STAGE@RUN (RUN: a commit id prefix from \
        'nasbook log'), or sha256:<digest>; any of them may end in /path/inside/the/output.
        """
    )

    @OptionGroup var options: StoreOptions

    /// The artifact reference.
    @Argument(help: "NAME:STAGE, NAME:STAGE@RUN, or sha256:<digest>, optionally followed by /path.")
    var ref: String

    /// Walk consumers instead of producers.
    @Flag(name: .long, help: "List everything derived from the artifact instead of its origins.")
    var down = false

    /// Machine-readable output.
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        try reportingErrors {
            let ledger = try openExistingLedger(options)
            let resolved = try ArtifactResolver(ledger: ledger, store: options.blobStore()).resolve(ref)
            let out: Data
            if down {
                let nodes = try ledger.downstream(of: resolved.digest)
                out = json ? try LineageRendering.json(downstream: nodes, root: resolved.digest) + Data("\n".utf8)
                    : Data(LineageRendering.text(downstream: nodes, root: resolved.digest, label: ref).utf8)
            } else {
                var node = try ledger.lineage(of: resolved.digest)
                var note = ""
                if node.producer == nil, !resolved.ref.path.isEmpty, resolved.digest != resolved.base {
                    // A file inside a stage output has no record of its own: its history is the output's.
                    note = "\(ref) (\(resolved.digest)) is part of output \(resolved.base); its lineage:\n"
                    node = try ledger.lineage(of: resolved.base)
                }
                out = json ? try LineageRendering.json(node) + Data("\n".utf8)
                    : Data((note + LineageRendering.text(node, label: note.isEmpty ? ref : "output")).utf8)
            }
            FileHandle.standardOutput.write(out)
        }
    }
}
