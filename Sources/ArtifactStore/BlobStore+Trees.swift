import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension BlobStore {
    /// Stores every file under `directory` and one manifest per directory;
    /// returns the digest of the top manifest. Symlinks, devices and names the
    /// tree format cannot hold are errors rather than silently skipped, so an
    /// exported tree is always the whole directory.
    public func putTree(directory: URL) throws -> Digest {
        try putTree(path: directory.standardizedFileURL.path, depth: 0)
    }

    private func putTree(path: String, depth: Int) throws -> Digest {
        guard depth < Tree.maxDepth else {
            throw ArtifactStoreError.unsupportedFileType(path: path + " (nested deeper than \(Tree.maxDepth))")
        }
        guard let names = try Posix.listDirectory(path) else {
            throw ArtifactStoreError.io(operation: "list directory", path: path, code: ENOENT)
        }
        var entries: [TreeEntry] = []
        for name in names {
            guard let name else {
                throw ArtifactStoreError.invalidEntryName("?", reason: "a name in '\(path)' is not valid UTF-8")
            }
            try TreeEntry.validate(name: name)
            let child = "\(path)/\(name)"
            guard let info = try Posix.status(child) else { continue } // deleted while listing
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                let digest = try put(file: URL(fileURLWithPath: child))
                let mode: UInt32 = info.st_mode & S_IXUSR != 0 ? 0o755 : 0o644
                entries.append(try TreeEntry(name: name, kind: .file, mode: mode,
                                             size: try size(of: digest), digest: digest))
            case S_IFDIR:
                let digest = try putTree(path: child, depth: depth + 1)
                entries.append(try TreeEntry(name: name, kind: .tree, mode: 0o755,
                                             size: try size(of: digest), digest: digest))
            default:
                throw ArtifactStoreError.unsupportedFileType(path: child)
            }
        }
        let manifest = try Tree(entries: entries).encoded()
        guard Int64(manifest.count) <= Tree.maxManifestBytes else {
            throw ArtifactStoreError.malformedTree(nil, reason: "'\(path)' has too many entries for one manifest")
        }
        return try put(manifest)
    }

    /// The tree stored under `digest`, or nil when the blob is not a manifest
    /// (it does not start with `Tree.magicLine`). Throws when the blob is
    /// missing or corrupt, or starts like a manifest but does not parse.
    public func readTree(_ digest: Digest) throws -> Tree? {
        let size = try size(of: digest)
        let magic = Data((Tree.magicLine + "\n").utf8)
        guard size >= Int64(magic.count), size <= Tree.maxManifestBytes else { return nil }
        let data = try get(digest)
        guard data.starts(with: magic) else { return nil }
        return try Tree.decode(data, digest: digest)
    }

    /// Whether `digest` names a well-formed tree manifest.
    public func isTree(_ digest: Digest) throws -> Bool {
        do {
            return try readTree(digest) != nil
        } catch ArtifactStoreError.malformedTree, ArtifactStoreError.invalidEntryName {
            return false
        }
    }

    /// Recreates the artifact `digest` at `destination`: a tree becomes a
    /// directory (which must not exist, or be empty), a file blob becomes a
    /// file (which must not exist).
    ///
    /// Every entry name is validated again here and directories are created
    /// fresh, so even a hand-crafted manifest cannot make export write outside
    /// `destination`. Each file is verified before it appears.
    public func export(_ digest: Digest, to destination: URL) throws {
        let target = destination.standardizedFileURL.path
        if let tree = try readTree(digest) {
            if let info = try Posix.status(target) {
                guard info.st_mode & S_IFMT == S_IFDIR, try Posix.listDirectory(target)?.isEmpty == true else {
                    throw ArtifactStoreError.targetExists(path: target)
                }
            } else {
                try Posix.makeDirectories(target)
            }
            try exportTree(tree, digest: digest, into: target, depth: 0)
        } else {
            guard try Posix.status(target) == nil else { throw ArtifactStoreError.targetExists(path: target) }
            try get(digest, to: URL(fileURLWithPath: target))
        }
    }

    private func exportTree(_ tree: Tree, digest: Digest, into directory: String, depth: Int) throws {
        guard depth < Tree.maxDepth else {
            throw ArtifactStoreError.malformedTree(digest, reason: "nested deeper than \(Tree.maxDepth)")
        }
        for entry in tree.entries {
            // Decoding validated the name already; checking again keeps this safe for trees built in code.
            try TreeEntry.validate(name: entry.name)
            let path = "\(directory)/\(entry.name)"
            switch entry.kind {
            case .file:
                guard try Posix.status(path) == nil else { throw ArtifactStoreError.targetExists(path: path) }
                let actual = try size(of: entry.digest)
                guard actual == entry.size else {
                    throw ArtifactStoreError.malformedTree(
                        digest, reason: "entry '\(entry.name)' records \(entry.size) bytes but its blob has \(actual)")
                }
                try get(entry.digest, to: URL(fileURLWithPath: path))
                if chmod(path, mode_t(entry.mode)) != 0 {
                    throw ArtifactStoreError.io(operation: "chmod", path: path, code: errno)
                }
            case .tree:
                guard let child = try readTree(entry.digest) else {
                    throw ArtifactStoreError.malformedTree(
                        digest, reason: "entry '\(entry.name)' points at \(entry.digest), which is not a tree")
                }
                if mkdir(path, 0o755) != 0 {
                    throw errno == EEXIST ? ArtifactStoreError.targetExists(path: path)
                        : ArtifactStoreError.io(operation: "create directory", path: path, code: errno)
                }
                try exportTree(child, digest: entry.digest, into: path, depth: depth + 1)
            }
        }
    }
}

extension Tree {
    /// Deepest nesting `putTree` and `export` accept; guards the recursion against hostile manifests.
    public static let maxDepth = 256
}
