import Provenance
/// What a stage does: a registered built-in op or a shell command.
public enum StageKind: Hashable, Sendable, Codable {
    /// A built-in op looked up by name in the `OpRegistry`.
    case op(String)
    /// A command run by `/bin/sh -c` in a scratch directory.
    case shell(String)
}

/// Where a stage input comes from, as written in `inputs:` or implied by `needs:`.
public enum InputSource: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The output of stage `stage`, or the sub-tree at `path` inside it.
    case stage(String, path: String?)
    /// A file or directory in the repository, relative to its root.
    case file(String)

    /// The reference as the user writes it (`train`, `train/metrics.csv`, `data/x.csv`).
    public var description: String {
        switch self {
        case let .stage(name, path): return path.map { "\(name)/\($0)" } ?? name
        case let .file(path): return path
        }
    }

    /// The upstream stage, if this input is one's output.
    public var stageName: String? {
        if case let .stage(name, _) = self { return name }
        return nil
    }
}

/// One named input of a stage.
public struct InputBinding: Hashable, Sendable, Codable {
    /// The name the stage sees the input under (directory name for shell stages).
    public var name: String
    /// Where the bytes come from.
    public var source: InputSource

    /// An input `name` read from `source`.
    public init(name: String, source: InputSource) {
        self.name = name
        self.source = source
    }
}

/// A stage exactly as written in the document, before it is checked against
/// the op registry; fields the author got wrong are left empty and reported.
public struct StageSpec: Hashable, Sendable {
    /// Stage name from the fence info string ` ```stage NAME `.
    public var name: String
    /// Op or command; nil when the body names neither or both.
    public var kind: StageKind?
    /// Upstream stages named in `needs:`, in written order.
    public var needs: [String]
    /// `inputs:` entries in written order; each raw reference is resolved by
    /// the validator into an `InputSource` (stage output or repository file).
    public var inputs: [InputReference]
    /// `with:` parameters as written (defaults are filled in by validation).
    public var params: [String: ParamValue]
    /// Shell stages: paths (relative to the scratch directory) captured as the output tree.
    public var outputs: [String]
    /// Shell stages: names of environment variables passed through (names and values enter the key).
    public var env: [String]
    /// Output paths to show in the report, relative to the stage output.
    public var show: [String]
    /// Position of the opening fence.
    public var location: SourceLocation
    /// Positions of fields, keyed by path: `op`, `run`, `needs`, `needs.0`,
    /// `inputs.NAME`, `with`, `with.PARAM`, `outputs.0`, `env.0`, `show`, … .
    public var fieldLocations: [String: SourceLocation]

    /// A stage spec; `inputs` keep their written order.
    public init(name: String, kind: StageKind?, needs: [String] = [],
                inputs: [InputReference] = [], params: [String: ParamValue] = [:],
                outputs: [String] = [], env: [String] = [], show: [String] = [],
                location: SourceLocation, fieldLocations: [String: SourceLocation] = [:]) {
        self.name = name
        self.kind = kind
        self.needs = needs
        self.inputs = inputs
        self.params = params
        self.outputs = outputs
        self.env = env
        self.show = show
        self.location = location
        self.fieldLocations = fieldLocations
    }

    /// Position of `field` (see `fieldLocations`), falling back to its parent
    /// field and then to the stage fence so every diagnostic has a place.
    public func location(of field: String) -> SourceLocation {
        var key = field
        while true {
            if let found = fieldLocations[key] { return found }
            guard let dot = key.lastIndex(of: ".") else { return location }
            key = String(key[..<dot])
        }
    }
}

/// An `inputs:` entry as written: `name: reference`.
public struct InputReference: Hashable, Sendable, Codable {
    /// The input's name.
    public var name: String
    /// `STAGE`, `STAGE/path/inside` or a repository path.
    public var reference: String

    /// An entry `name: reference`.
    public init(name: String, reference: String) {
        self.name = name
        self.reference = reference
    }
}

/// A run of Markdown between stages, copied verbatim for the report.
public struct ProseBlock: Hashable, Sendable, Codable {
    /// First document line of the block.
    public var line: Int
    /// The Markdown source of the block(s).
    public var markdown: String

    /// Prose starting at `line`.
    public init(line: Int, markdown: String) {
        self.line = line
        self.markdown = markdown
    }
}

/// One item of a document in reading order, for report rendering.
public enum DocumentSection: Hashable, Sendable {
    /// Prose between stages.
    case prose(ProseBlock)
    /// The stage with this name (see `PipelineDocument.stages`).
    case stage(String)
}

/// A parsed pipeline document (`pipelines/NAME.md`).
public struct PipelineDocument: Hashable, Sendable {
    /// Path used in diagnostics, e.g. `pipelines/demo.md`.
    public var path: String
    /// Front-matter `title`, else the first level-1 heading, else the file name.
    public var title: String
    /// Front-matter `description`, if any.
    public var description: String?
    /// Front-matter `params`: document-level values that stage `with:` blocks
    /// refer to as `${name}`; `--set name=VALUE` overrides them (variants).
    public var params: [String: ParamValue]
    /// Positions of front-matter params, for diagnostics.
    public var paramLocations: [String: SourceLocation]
    /// Front-matter `presets`: named sets of overrides (`--preset NAME`).
    public var presets: [String: PipelinePreset] = [:]
    /// Stages in document order (duplicates included; the validator reports them).
    public var stages: [StageSpec]
    /// Prose and stages in reading order.
    public var sections: [DocumentSection]

    /// A document; normally produced by `DocumentParser.parse`.
    public init(path: String, title: String, description: String? = nil, params: [String: ParamValue] = [:],
                paramLocations: [String: SourceLocation] = [:], stages: [StageSpec] = [],
                sections: [DocumentSection] = []) {
        self.path = path
        self.title = title
        self.description = description
        self.params = params
        self.paramLocations = paramLocations
        self.stages = stages
        self.sections = sections
    }

    /// The prose blocks in reading order.
    public var prose: [ProseBlock] {
        sections.compactMap { if case let .prose(p) = $0 { return p } else { return nil } }
    }

    /// The first stage called `name`.
    public func stage(named name: String) -> StageSpec? {
        stages.first { $0.name == name }
    }
}
