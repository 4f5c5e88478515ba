import ArgumentParser
import ArtifactStore
import Foundation

/// `nasbook verify [DIGEST…]`: re-hashes stored objects; exits non-zero on damage.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Decompress and re-hash stored objects (all of them by default).",
        discussion: "Exits with status 1 when any requested object is missing or corrupt."
    )

    @OptionGroup var options: StoreOptions

    /// Digests to check; empty means every object in the store.
    @Argument(help: "Digests to check (default: every object).")
    var digests: [String] = []

    func run() throws {
        try reportingErrors {
            let parsed = try digests.map(Digest.parse)
            let start = Date()
            let report = try options.blobStore().verify(digests: parsed.isEmpty ? nil : parsed)
            let seconds = Date().timeIntervalSince(start)
            for digest in report.missing {
                printError("object \(digest) is missing")
            }
            for failure in report.corrupt {
                printError(failure.message)
            }
            for stray in report.strays {
                FileHandle.standardError.write(Data("nasbook: warning: '\(stray)' is not an object; ignored\n".utf8))
            }
            let megabytes = Double(report.verifiedBytes) / 1_000_000
            print(String(format: "verified %d object(s), %.1f MB in %.2f s (%.0f MB/s); %d missing, %d corrupt",
                         report.verified, megabytes, seconds, seconds > 0 ? megabytes / seconds : 0,
                         report.missing.count, report.corrupt.count))
            if !report.isClean { throw ExitCode.failure }
        }
    }
}
