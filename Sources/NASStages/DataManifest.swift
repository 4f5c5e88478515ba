import Foundation
import Pipeline

/// The expected content of an external dataset directory: file name →
/// SHA-256 (`sha256:…`), read from a `sha256sum`-format manifest
/// (`HEX  NAME` per line, e.g. `data/fashion-mnist.sha256`).
///
/// Why: the Fashion-MNIST files are too large for the repository, so ops take
/// their directory as a path parameter. A path alone would be a hidden input
/// (replacing the files in place would not change any cache key). The
/// manifest is a small repository file given to the training stages as an
/// input, so its digest enters their cache keys; the ops check the files
/// against it before using them, so every cached result was computed from
/// exactly the data the manifest names.
struct DataManifest: Codable, Sendable, Hashable {
    /// File name → `sha256:` digest string.
    var digests: [String: String]

    /// A manifest with these entries.
    init(digests: [String: String]) { self.digests = digests }

    /// Parses a manifest; `source` names it in errors.
    init(text: String, source: String, op: String) throws {
        var digests: [String: String] = [:]
        for (number, line) in text.split(separator: "\n").enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = line.split(separator: " ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let name = parts.count == 2 ? parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "*")) : ""
            guard parts.count == 2, parts[0].count == 64, parts[0].allSatisfy(\.isHexDigit), !name.isEmpty, !name.contains("/") else {
                throw PipelineError.opFailed(op: op, reason: "\(source) line \(number + 1): expected '<64 hex digits>  <file name>'")
            }
            digests[name] = "sha256:" + parts[0].lowercased()
        }
        guard !digests.isEmpty else { throw PipelineError.opFailed(op: op, reason: "\(source) lists no files") }
        self.digests = digests
    }

    /// Reads the manifest at `url`.
    init(contentsOf url: URL, op: String) throws {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw PipelineError.opFailed(op: op, reason: "cannot read data manifest \(url.lastPathComponent): \(error)")
        }
        try self.init(text: text, source: url.lastPathComponent, op: op)
    }

    /// Throws unless every listed file in `directory` has its listed digest.
    func verify(directory: String, op: String) throws {
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        for name in digests.keys.sorted() {
            let url = root.appendingPathComponent(name)
            let actual: String
            do { actual = try FileDigest.sha256(of: url) } catch {
                throw PipelineError.opFailed(op: op, reason: "data file \(url.path) unreadable: \(error)")
            }
            guard actual == digests[name] else {
                throw PipelineError.opFailed(op: op, reason: "data file \(url.path) is \(actual), the manifest says \(digests[name]!)")
            }
        }
    }
}
