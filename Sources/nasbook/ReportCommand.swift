import ArgumentParser
import Foundation
import Pipeline
import Provenance

/// `nasbook report NAME`: one self-contained HTML page of the latest run.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Weave the pipeline document and its latest run into one self-contained HTML file.",
        discussion: """
        Uses the document snapshot committed with the latest run (falling back to pipelines/NAME.md). \
        The page needs no network: CSS and SVG figures are inline, and there are no scripts or web fonts.
        """
    )

    @OptionGroup var options: StoreOptions

    /// Pipeline name.
    @Argument(help: "Pipeline name.")
    var name: String

    /// Output path.
    @Option(name: .long, help: ArgumentHelp("Output file (default: reports/NAME.html).", valueName: "file"))
    var out: String?

    /// Where the document lives when no run has a snapshot.
    @Option(name: .long, help: ArgumentHelp("Document used when no run has one (default: pipelines/NAME.md).",
                                            valueName: "file"))
    var document: String?

    func run() throws {
        try reportingErrors {
            let ledger = try openExistingLedger(options)
            let report = HTMLReport(store: options.blobStore(), ledger: ledger)
            let html = try report.render(pipeline: name,
                                         fallbackDocument: URL(fileURLWithPath: document ?? "pipelines/\(name).md"))
            let target = URL(fileURLWithPath: out ?? "reports/\(name).html")
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try Data(html.utf8).write(to: target, options: .atomic)
            print("wrote \(target.path) (\(html.utf8.count) bytes)")
        }
    }
}
