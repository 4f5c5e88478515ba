import Foundation
import ArtifactStore

/// Turning `inputs:` references into digests, and digests back into files.
extension PipelineRunner {
    /// The digest of `input`: the upstream output itself, the entry at `path`
    /// inside the upstream tree (found by reading manifests, never by exporting),
    /// or a repository file or directory, which is stored so its digest can enter
    /// the key (`store == false` only hashes regular files, for `status` and dry runs).
    func resolve(_ stage: ResolvedStage, _ input: InputBinding, upstream: Digest?, store storeFiles: Bool) throws -> Digest {
        switch input.source {
        case .stage(let name, nil):
            guard let upstream else {
                throw PipelineError.unresolvedInput(stage: stage.name, input: input.name, reason: "stage '\(name)' has no output")
            }
            return upstream
        case let .stage(name, path?):
            guard let upstream else {
                throw PipelineError.unresolvedInput(stage: stage.name, input: input.name, reason: "stage '\(name)' has no output")
            }
            return try entry(at: path, in: upstream, stage: stage, input: input)
        case let .file(path):
            let url = repositoryRoot.appendingPathComponent(path)
            do {
                if !storeFiles, let digest = try Self.hashIfRegularFile(url) { return digest }
                return try store.putArtifact(at: url)
            } catch {
                throw PipelineError.unresolvedInput(stage: stage.name, input: input.name, reason: "repository file '\(path)': \(error)")
            }
        }
    }

    /// Walks `path` component by component through tree manifests.
    private func entry(at path: String, in root: Digest, stage: ResolvedStage, input: InputBinding) throws -> Digest {
        var current = root
        var walked: [String] = []
        for component in path.split(separator: "/").map(String.init) where component != "." {
            let tree: Tree?
            do { tree = try store.readTree(current) } catch {
                throw PipelineError.unresolvedInput(stage: stage.name, input: input.name, reason: "\(error)")
            }
            let here = walked.isEmpty ? input.source.stageName ?? "" : walked.joined(separator: "/")
            guard let tree else {
                throw PipelineError.unresolvedInput(stage: stage.name, input: input.name,
                                                    reason: "'\(here)' is a file, not a directory")
            }
            guard let entry = tree[component] else {
                let names = tree.entries.map(\.name)
                throw PipelineError.unresolvedInput(stage: stage.name, input: input.name,
                                                    reason: "no '\(component)' in the output of '\(here)'"
                                                        + Suggestion.hint(for: component, among: names))
            }
            walked.append(component)
            current = entry.digest
        }
        return current
    }

    /// SHA-256 of a regular file without storing it; nil for anything else.
    static func hashIfRegularFile(_ url: URL) throws -> Digest? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return nil
        }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = DigestHasher()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(chunk) }
        return hasher.finalize()
    }

    /// Exports `digest` to `destination` and makes its files read-only, so a
    /// stage that writes to its inputs fails loudly instead of corrupting a
    /// neighbour's view (directories stay writable so scratch can be removed).
    func materialize(_ digest: Digest, at destination: URL) throws {
        try store.export(digest, to: destination)
        try Self.makeFilesReadOnly(destination)
    }

    private static func makeFilesReadOnly(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return }
        if !isDirectory.boolValue {
            let mode = (try? FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) ?? 0o644
            try FileManager.default.setAttributes([.posixPermissions: mode & 0o555], ofItemAtPath: url.path)
            return
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: url.path) {
            try makeFilesReadOnly(url.appendingPathComponent(name))
        }
    }
}
