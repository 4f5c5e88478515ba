/// A stage after validation: everything a runner and the cache key need.
public struct ResolvedStage: Hashable, Sendable {
    /// Stage name.
    public var name: String
    /// Op or shell command.
    public var kind: StageKind
    /// The op's version (enters the key); nil for shell stages.
    public var opVersion: Int?
    /// Parameters with defaults filled, front-matter references and `--set`
    /// overrides applied, ints widened where the schema says double.
    public var params: [String: ParamValue]
    /// Inputs sorted by name (`needs:` entries become inputs named after the stage).
    public var inputs: [InputBinding]
    /// Shell stages: captured output paths.
    public var outputs: [String]
    /// Shell stages: environment variable names passed through.
    public var env: [String]
    /// Output paths to show in the report.
    public var show: [String]
    /// The stage as written, for locations.
    public var spec: StageSpec

    /// A resolved stage; normally produced by `PipelineValidator`.
    public init(name: String, kind: StageKind, opVersion: Int?, params: [String: ParamValue],
                inputs: [InputBinding], outputs: [String] = [], env: [String] = [], show: [String] = [],
                spec: StageSpec) {
        self.name = name
        self.kind = kind
        self.opVersion = opVersion
        self.params = params
        self.inputs = inputs.sorted { $0.name < $1.name }
        self.outputs = outputs
        self.env = env
        self.show = show
        self.spec = spec
    }

    /// Upstream stages whose output this stage reads, sorted, without duplicates.
    public var upstreamStages: [String] {
        Array(Set(inputs.compactMap(\.source.stageName))).sorted()
    }

    /// A short label: the op name, or `sh` for shell stages.
    public var kindLabel: String {
        switch kind {
        case let .op(name): return name
        case .shell: return "sh"
        }
    }
}

/// A pipeline that passed validation: resolved stages plus their DAG.
public struct ValidatedPipeline: Hashable, Sendable {
    /// The parsed document (title, prose, sections for the report).
    public var document: PipelineDocument
    /// Stages in document order.
    public var stages: [ResolvedStage]
    /// Dependency graph (acyclic).
    public var graph: StageGraph

    /// A validated pipeline; normally produced by `PipelineValidator`.
    public init(document: PipelineDocument, stages: [ResolvedStage], graph: StageGraph) {
        self.document = document
        self.stages = stages
        self.graph = graph
    }

    /// The stage called `name`.
    public func stage(named name: String) -> ResolvedStage? {
        stages.first { $0.name == name }
    }

    /// Stages in execution order (dependencies first, ties in document order).
    public var orderedStages: [ResolvedStage] {
        (graph.topologicalOrder() ?? graph.nodes).compactMap { stage(named: $0) }
    }

    /// The pipeline cut down to `stage` and its ancestors (`--until STAGE`);
    /// throws `PipelineError.unknownStage` with a suggestion for a bad name.
    public func until(_ stage: String) throws -> ValidatedPipeline {
        guard self.stage(named: stage) != nil else {
            throw PipelineError.unknownStage(stage, suggestion: Suggestion.closest(to: stage, among: graph.nodes))
        }
        let keep = Set(graph.ancestors(of: stage))
        return ValidatedPipeline(document: document, stages: stages.filter { keep.contains($0.name) },
                                 graph: graph.subgraph(keep))
    }
}
