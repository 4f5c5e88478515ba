import ArgumentParser
import Foundation
import Pipeline
import Provenance

/// `nasbook list`: the pipelines in `./pipelines`, with title and last run.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the pipelines in <repo>/pipelines with their title and last run.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var repository: RepositoryOptions
    @Flag(help: "Print JSON.") var json = false

    /// One row of the listing.
    struct Row: Encodable {
        var name: String
        var title: String
        var presets: [String]
        var lastRun: String?
        var lastStatus: String?
        var lastMessage: String?
    }

    func run() throws {
        try reportingErrors {
            let ledger = FileManager.default.fileExists(atPath: store.storeURL.appendingPathComponent(".git").path)
                ? try Ledger(storeRoot: store.storeURL) : nil
            var rows: [Row] = []
            for name in try RepositoryOptions.pipelineNames(in: repository.repoURL) {
                let file = repository.repoURL.appendingPathComponent("pipelines/\(name).md")
                let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
                let document = DocumentParser.parse(text, path: "pipelines/\(name).md").document
                var row = Row(name: name, title: document.title, presets: document.presets.keys.sorted())
                if let ledger, (try? Ledger.validatePipelineName(name)) != nil,
                   let last = try ledger.runs(pipeline: name, limit: 1).first {
                    row.lastRun = last.time.description
                    row.lastStatus = Self.status(of: last)
                    row.lastMessage = last.message.split(separator: "\n").first.map(String.init)
                }
                rows.append(row)
            }
            if json { return try printJSON(rows) }
            let width = rows.map(\.name.count).max() ?? 0
            for row in rows {
                let last = row.lastRun.map { "\(row.lastStatus ?? "?") \($0)" } ?? "never run"
                let presets = row.presets.isEmpty ? "" : "  (presets: \(row.presets.joined(separator: ", ")))"
                print(row.name.padding(toLength: width + 2, withPad: " ", startingAt: 0)
                      + row.title + presets + "  [" + last + "]")
            }
        }
    }

    /// `ok`, `failed` or `interrupted`, from a run's records and message.
    static func status(of run: RunSummary) -> String {
        if run.records.contains(where: { if case .failed = $0.outcome { return true } else { return false } }) {
            return "failed"
        }
        return run.message.contains("(interrupted)") ? "interrupted" : "ok"
    }
}
