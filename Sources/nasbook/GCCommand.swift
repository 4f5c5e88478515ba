import ArgumentParser
import ArtifactStore
import Foundation
import Pipeline
import Provenance

/// `nasbook gc [--dry-run]`: deletes objects no ledger record reaches.
struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Delete stored objects that no run record references (trees are kept whole).",
        discussion: "Takes the store's exclusive lock, so it waits for running pipelines to finish.")

    @OptionGroup var store: StoreOptions
    @Flag(help: "Only report what would be deleted.") var dryRun = false
    @Flag(help: "Print JSON.") var json = false

    /// The JSON form of the report.
    struct Output: Encodable {
        var dryRun: Bool
        var reachable: Int
        var deleted: [String]
        var deletedBytes: Int64
        var missing: [String]
        var staleTempFiles: Int
        var staleScratchDirectories: Int
    }

    func run() throws {
        try reportingErrors {
            let root = store.storeURL
            let ledger = try Ledger(storeRoot: root)
            let blobStore = store.blobStore()
            if try StoreLock.tryAcquire(.exclusive, root: root).map({ $0.release(); return true }) != true {
                FileHandle.standardError.write(Data("waiting for running pipelines to finish…\n".utf8))
            }
            var scratch = 0
            let report = try blobStore.collectGarbage(dryRun: dryRun) {
                // Runs under the exclusive lock: no run is active, so every run
                // scratch directory left in tmp/ belongs to a killed process.
                scratch = Self.removeScratch(in: root.appendingPathComponent("tmp"), dryRun: dryRun)
                return try ledger.reachableDigests().union(StoreItemCache.itemCacheRoots(storeRoot: root))
            }
            if json {
                return try printJSON(Output(dryRun: report.dryRun, reachable: report.reachable,
                                            deleted: report.deleted.map(\.description), deletedBytes: report.deletedBytes,
                                            missing: report.missing.map(\.description),
                                            staleTempFiles: report.staleTempFiles, staleScratchDirectories: scratch))
            }
            let verb = dryRun ? "would delete" : "deleted"
            for digest in report.deleted { print("\(verb) \(digest)") }
            for digest in report.missing { printError("record names \(digest), which is not in the store") }
            print("\(verb) \(report.deleted.count) object(s), \(report.deletedBytes) bytes on disk; kept \(report.reachable); "
                  + "\(report.staleTempFiles) stale temp file(s), \(scratch) stale run dir(s)")
        }
    }

    /// Removes (or counts) `run-*` scratch directories under `tmp`.
    static func removeScratch(in tmp: URL, dryRun: Bool) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []
        let runs = names.filter { $0.hasPrefix("run-") }
        if !dryRun { for name in runs { try? FileManager.default.removeItem(at: tmp.appendingPathComponent(name)) } }
        return runs.count
    }
}
