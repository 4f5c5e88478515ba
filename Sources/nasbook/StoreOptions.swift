import ArgumentParser
import ArtifactStore
import Foundation

/// The `--store DIR` option shared by every command that touches the artifact store.
struct StoreOptions: ParsableArguments {
    /// Store directory; relative paths are resolved against the working directory.
    @Option(name: .long, help: ArgumentHelp("Artifact store directory.", valueName: "dir"))
    var store: String = "./artifacts"

    /// The store URL, absolute.
    var storeURL: URL {
        URL(fileURLWithPath: store, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
    }

    /// The on-disk blob store at `--store`, with the default compression level.
    func blobStore() -> DiskBlobStore {
        DiskBlobStore(root: storeURL)
    }
}
