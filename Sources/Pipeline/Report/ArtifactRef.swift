import ArtifactStore
import Provenance

/// What the audit commands (`lineage`, `show`, `export`) point at, as typed:
///
/// - `NAME:STAGE`: the output of STAGE in the newest run of pipeline NAME that has it;
/// - `NAME:STAGE@RUN`: the same in the run whose commit id starts with RUN (≥ 4 hex digits);
/// - `sha256:<64 hex>`: an artifact by digest;
/// - any of these followed by `/path/inside` to reach a file or folder within a tree.
///
/// A text starting with `sha256:` is always a digest, so a pipeline named `sha256`
/// cannot be addressed by stage (its runs are still reachable by digest).
/// Parsing checks only the form; `ArtifactResolver` looks the names up.
public struct ArtifactRef: Hashable, Sendable, CustomStringConvertible {
    /// What the reference starts from.
    public enum Base: Hashable, Sendable {
        /// A stage output; `run` is a commit-id prefix, nil for the newest run having the stage.
        case stage(pipeline: String, stage: String, run: String?)
        /// An artifact named by digest.
        case digest(Digest)
    }

    /// The artifact the path starts from.
    public var base: Base
    /// Path components inside the base artifact (empty: the artifact itself).
    public var path: [String]

    /// A reference; normally produced by `parse`.
    public init(base: Base, path: [String] = []) {
        self.base = base
        self.path = path
    }

    /// Shortest run-id prefix accepted; shorter ones would be ambiguous in any real ledger.
    public static let minimumRunPrefix = 4

    /// The reference as a user would type it.
    public var description: String {
        let head: String
        switch base {
        case let .stage(pipeline, stage, run): head = "\(pipeline):\(stage)" + (run.map { "@\($0)" } ?? "")
        case let .digest(digest): head = digest.description
        }
        return path.isEmpty ? head : head + "/" + path.joined(separator: "/")
    }

    /// Parses `text`; every problem is a one-line `PipelineError.reference`.
    public static func parse(_ text: String) throws -> ArtifactRef {
        func bad(_ reason: String) -> PipelineError { .reference(text, reason: reason) }
        guard let colon = text.firstIndex(of: ":") else {
            throw bad("expected NAME:STAGE[@RUN][/PATH] or sha256:<digest>[/PATH]")
        }
        let head = String(text[..<colon])
        let rest = String(text[text.index(after: colon)...])
        let (first, path) = try splitPath(rest, bad)

        if Digest.Algorithm(rawValue: head) != nil {
            do {
                return ArtifactRef(base: .digest(try Digest.parse("\(head):\(first)")), path: path)
            } catch let error as ArtifactStoreError {
                if case let .malformedDigest(_, reason) = error { throw bad("malformed digest: \(reason)") }
                throw bad("\(error)")
            }
        }
        do {
            try Ledger.validatePipelineName(head)
        } catch {
            throw bad(head.isEmpty ? "missing pipeline name before ':'" : "\(error)")
        }
        let parts = first.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let stage = parts[0]
        guard !stage.isEmpty else { throw bad("missing stage name after '\(head):'") }
        guard stage.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
            throw bad("stage name '\(stage)' may use only letters, digits, '_' and '-'")
        }
        var run: String?
        if parts.count == 2 {
            let prefix = parts[1].lowercased()
            guard prefix.count >= minimumRunPrefix, prefix.count <= 40,
                  prefix.allSatisfy({ $0.isHexDigit }) else {
                throw bad("run '\(parts[1])' must be \(minimumRunPrefix) to 40 hex digits of a commit id (see 'nasbook log \(head)')")
            }
            run = prefix
        }
        return ArtifactRef(base: .stage(pipeline: head, stage: stage, run: run), path: path)
    }

    /// Splits `a/b/c` into `a` and `[b, c]`, rejecting empty, `.` and `..` components
    /// (a trailing `/` is allowed and ignored).
    private static func splitPath(_ text: String, _ bad: (String) -> PipelineError) throws -> (String, [String]) {
        var parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 1, parts.last == "" { parts.removeLast() }
        let first = parts.removeFirst()
        for part in parts {
            guard !part.isEmpty, part != ".", part != ".." else {
                throw bad("path components must not be empty, '.' or '..'")
            }
        }
        return (first, parts)
    }
}
