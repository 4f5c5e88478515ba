import ArtifactStore

/// The canonical, human-readable description of everything a stage's output
/// depends on: one `field: value` line per fact, sorted by field.
///
/// Fields: `format`, `kind`, `op`, `op.version`, `param.NAME` (canonical
/// JSON, defaults filled), `input.NAME` (the digest of the input *artifact*,
/// not the upstream key: an upstream that re-runs to identical output leaves
/// this key unchanged — early cutoff), and for shell stages `command`,
/// `outputs` and `env.NAME` (value as JSON string, `null` when unset).
/// Stage name, prose and block order are deliberately absent.
public struct KeyRecord: Hashable, Sendable, Codable {
    /// Version of this record format; bump when fields change meaning.
    public static let format = 1

    /// Field → single-line value.
    public private(set) var fields: [String: String]

    /// A record with these fields; values must not contain newlines (callers use JSON).
    public init(fields: [String: String]) {
        self.fields = fields
    }

    /// Parses the text form written by `text`.
    public init(parsing text: String) throws {
        var fields: [String: String] = [:]
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            guard let range = Self.separator(in: line) else {
                throw PipelineError.malformedKeyRecord(line: i + 1, reason: "expected 'field: value'")
            }
            let field = String(line[..<range.lowerBound])
            guard fields[field] == nil else {
                throw PipelineError.malformedKeyRecord(line: i + 1, reason: "field '\(field)' repeated")
            }
            fields[field] = String(line[range.upperBound...])
        }
        self.fields = fields
    }

    /// The `: ` after the field name, skipping over a JSON-quoted name part.
    private static func separator(in line: Substring) -> Range<Substring.Index>? {
        var searchFrom = line.startIndex
        if let quote = line.firstIndex(of: "\""), quote < (line.range(of: ": ")?.lowerBound ?? line.endIndex) {
            var i = line.index(after: quote)
            while i < line.endIndex && line[i] != "\"" {
                if line[i] == "\\" { i = line.index(after: i) }
                if i < line.endIndex { i = line.index(after: i) }
            }
            guard i < line.endIndex else { return nil }
            searchFrom = line.index(after: i)
        }
        return line[searchFrom...].range(of: ": ")
    }

    /// The canonical text: sorted `field: value` lines, each ending in a newline.
    public var text: String {
        fields.keys.sorted().map { "\($0): \(fields[$0]!)\n" }.joined()
    }

    /// SHA-256 of `text`: the cache key.
    public var digest: Digest { Digest.sha256(Array(text.utf8)) }

    /// Field name for a user-chosen name (param, input, env): bare when it is a
    /// plain identifier, else JSON-quoted so `: ` and newlines cannot break the format.
    static func fieldName(_ prefix: String, _ name: String) -> String {
        let plain = !name.isEmpty && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || $0 == "_" || $0 == "-" || $0 == "."
        }
        return prefix + "." + (plain ? name : ParamValue.jsonString(name))
    }
}

/// A stage's cache key: the digest of its `KeyRecord`, kept beside the record
/// so `status` can say *why* a key changed.
public struct CacheKey: Hashable, Sendable, Codable, CustomStringConvertible {
    /// `sha256:` of `record.text`.
    public let digest: Digest
    /// The facts that were hashed.
    public let record: KeyRecord

    /// The key of `record`.
    public init(record: KeyRecord) {
        self.record = record
        self.digest = record.digest
    }

    /// The key's digest string.
    public var description: String { digest.description }

    /// The key of `stage` given the digests of its inputs (by input name) and
    /// the values of the environment variables it declares. `environment` is
    /// passed in, never read from the process, so the key has no hidden inputs.
    public static func make(stage: ResolvedStage, inputDigests: [String: Digest],
                            environment: [String: String]) throws -> CacheKey {
        var fields: [String: String] = ["format": String(KeyRecord.format)]
        switch stage.kind {
        case let .op(name):
            fields["kind"] = "op"
            fields["op"] = name
            fields["op.version"] = String(stage.opVersion ?? 0)
        case let .shell(command):
            fields["kind"] = "shell"
            fields["command"] = ParamValue.jsonString(command)
            fields["outputs"] = ParamValue.list(Array(Set(stage.outputs)).sorted().map(ParamValue.string)).canonicalJSON
            for name in stage.env {
                fields[KeyRecord.fieldName("env", name)] =
                    environment[name].map(ParamValue.jsonString) ?? "null"
            }
        }
        for (name, value) in stage.params {
            fields[KeyRecord.fieldName("param", name)] = value.canonicalJSON
        }
        for input in stage.inputs {
            guard let digest = inputDigests[input.name] else {
                throw PipelineError.missingInputDigest(stage: stage.name, input: input.name)
            }
            fields[KeyRecord.fieldName("input", input.name)] = digest.description
        }
        return CacheKey(record: KeyRecord(fields: fields))
    }
}
