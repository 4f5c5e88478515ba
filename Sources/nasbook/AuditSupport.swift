import ArtifactStore
import Foundation
import Provenance
#if canImport(Glibc)
import Glibc
#endif

/// Opens the ledger of an existing store for the read-only audit commands
/// (`log`, `lineage`, `show`, `export`, `report`).
///
/// `Ledger(storeRoot:)` creates a repository when there is none, which is right for
/// `run` but would make a mistyped `--store` silently produce an empty store; so
/// the audit commands insist that the store directory already exists.
func openExistingLedger(_ options: StoreOptions) throws -> Ledger {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: options.storeURL.path, isDirectory: &isDirectory),
          isDirectory.boolValue else {
        throw ArtifactStoreError.io(operation: "open the artifact store", path: options.storeURL.path, code: ENOENT)
    }
    return try Ledger(storeRoot: options.storeURL)
}
