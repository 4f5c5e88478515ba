import Foundation
import ArtifactStore

/// What `nasbook show` and the report do with an artifact: list a tree, print text,
/// refuse binary. Kept out of the CLI so the report and the tests share it.
public enum ArtifactContent: Sendable {
    /// A folder.
    case tree(Tree)
    /// A UTF-8 text file.
    case text(String)
    /// Anything else; only its size is read.
    case binary(size: Int64)
}

/// Reading artifacts for display.
public enum ArtifactPreview {
    /// Files above this size are not loaded into a report (it notes them instead).
    public static let maxTextBytes: Int64 = 16 << 20

    /// The content of `digest`: a tree, text, or binary (a NUL byte, invalid UTF-8, or
    /// larger than `limit`, which bounds what is loaded into memory).
    public static func content(of digest: Digest, in store: any BlobStore,
                               limit: Int64 = maxTextBytes) throws -> ArtifactContent {
        if let tree = try store.readTree(digest) { return .tree(tree) }
        let size = try store.size(of: digest)
        guard size <= limit else { return .binary(size: size) }
        let data = try store.get(digest)
        guard let text = text(data) else { return .binary(size: size) }
        return .text(text)
    }

    /// `data` as a String when it looks like text: valid UTF-8 without NUL bytes.
    public static func text(_ data: Data) -> String? {
        guard !data.contains(0) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    /// The file-name extension that decides how a file is shown (lower-cased, without the dot).
    public static func fileExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    /// An aligned listing: `kind  mode  size  digest  name`, one entry per line.
    public static func listing(_ tree: Tree) -> String {
        let sizes = tree.entries.map { String($0.size) }
        let width = sizes.map(\.count).max() ?? 0
        var out = ""
        for (entry, size) in zip(tree.entries, sizes) {
            let pad = String(repeating: " ", count: width - size.count)
            out += "\(entry.kind.rawValue)  \(String(entry.mode, radix: 8))  \(pad)\(size)  \(entry.digest)  "
                + entry.name + (entry.kind == .tree ? "/" : "") + "\n"
        }
        return out
    }

    /// The listing as JSON: `[{"name","kind","mode","size","digest"}]`.
    public static func listingJSON(_ tree: Tree) throws -> Data {
        struct Row: Encodable { let name, kind, mode: String; let size: Int64; let digest: String }
        let rows = tree.entries.map {
            Row(name: $0.name, kind: $0.kind.rawValue, mode: String($0.mode, radix: 8), size: $0.size,
                digest: $0.digest.description)
        }
        return try LineageRendering.encode(rows)
    }

    /// CSV text as JSON: an array of objects keyed by the header row (cells stay strings).
    public static func csvJSON(_ text: String, separator: Character = ",") throws -> Data {
        let rows = CSVText.parse(text, separator: separator)
        guard let header = rows.first else { return Data("[]".utf8) }
        let objects = rows.dropFirst().map { row in
            Dictionary(zip(header, row).map { ($0, $1) }, uniquingKeysWith: { first, _ in first })
        }
        return try LineageRendering.encode(objects)
    }
}
