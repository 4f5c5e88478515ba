import Provenance
import Foundation

/// The outcome of checking a document: every diagnostic, and the validated
/// pipeline when there were no errors.
public struct ValidationResult: Sendable {
    /// All errors and warnings, sorted by position.
    public var diagnostics: [Diagnostic]
    /// Present exactly when `diagnostics` holds no error.
    public var pipeline: ValidatedPipeline?

    /// A result.
    public init(diagnostics: [Diagnostic], pipeline: ValidatedPipeline?) {
        self.diagnostics = diagnostics
        self.pipeline = pipeline
    }
}

/// Checks a parsed document against the op registry and the repository, and
/// resolves it into a `ValidatedPipeline`.
///
/// Collects every problem rather than stopping at the first: unknown ops and
/// params (with suggestions), types, ranges, duplicate names, dangling
/// references, missing files and dependency cycles.
public struct PipelineValidator: Sendable {
    /// Ops stages may name.
    public var registry: OpRegistry
    /// Whether a repository-relative path exists (file or directory).
    public var fileExists: @Sendable (String) -> Bool

    /// A validator resolving repository paths with `fileExists`.
    public init(registry: OpRegistry, fileExists: @escaping @Sendable (String) -> Bool) {
        self.registry = registry
        self.fileExists = fileExists
    }

    /// A validator resolving repository paths under `repositoryRoot`.
    public init(registry: OpRegistry, repositoryRoot: URL) {
        let root = repositoryRoot
        self.init(registry: registry) { path in
            FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path)
        }
    }

    /// Parses and validates `text` in one go; parse and validation diagnostics are merged.
    public func check(_ text: String, path: String, overrides: [ParamOverride] = [],
                      preset: String? = nil) -> ValidationResult {
        let parsed = DocumentParser.parse(text, path: path)
        var result = validate(parsed.document, overrides: overrides, preset: preset)
        result.diagnostics = (parsed.diagnostics + result.diagnostics).sortedByLocation
        if result.diagnostics.hasErrors { result.pipeline = nil }
        return result
    }

    /// Reads the document at `url` and checks it; `displayPath` is what
    /// diagnostics print (e.g. `pipelines/demo.md`). Throws
    /// `PipelineError.unreadableDocument` when the file cannot be read as UTF-8.
    public func check(fileAt url: URL, displayPath: String, overrides: [ParamOverride] = [],
                      preset: String? = nil) throws -> ValidationResult {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PipelineError.unreadableDocument(path: displayPath, reason: error.localizedDescription)
        }
        return check(text, path: displayPath, overrides: overrides, preset: preset)
    }

    /// Validates a parsed document, applying the front-matter preset named
    /// `preset` (if any) and then `overrides` (`--set`), so the command line
    /// wins over the preset. Use `check` to include the parser's own
    /// diagnostics; this alone does not see them.
    public func validate(_ document: PipelineDocument, overrides: [ParamOverride] = [],
                         preset: String? = nil) -> ValidationResult {
        var context = ValidationContext(document: document)
        var overrides = overrides
        if let preset {
            if let entries = document.presets[preset] {
                overrides = entries.overrides + overrides
            } else {
                let known = document.presets.keys.sorted()
                context.error(SourceLocation(line: 1, column: 1),
                              "--preset \(preset): the front matter defines no preset '\(preset)' "
                                  + (known.isEmpty ? "(it defines none)" : "(presets: \(known.joined(separator: ", ")))")
                                  + Suggestion.hint(for: preset, among: known))
            }
        }

        // Unique stages; later duplicates are reported and left out.
        var stages: [StageSpec] = []
        var firstLine: [String: Int] = [:]
        for stage in document.stages {
            if let line = firstLine[stage.name] {
                context.error(stage.location, "duplicate stage name '\(stage.name)' (first defined on line \(line))")
            } else {
                firstLine[stage.name] = stage.location.line
                stages.append(stage)
            }
        }
        let names = stages.map(\.name)

        let documentParams = applyDocumentOverrides(overrides, to: document, context: &context)
        var stageOverrides: [String: [ParamOverride]] = [:]
        for override in overrides {
            guard let stage = override.stage else { continue }
            if firstLine[stage] == nil {
                context.error(override.location ?? SourceLocation(line: 1, column: 1),
                              override.messagePrefix + "no stage '\(stage)'" + Suggestion.hint(for: stage, among: names))
            } else {
                stageOverrides[stage, default: []].append(override)
            }
        }

        var resolved: [ResolvedStage] = []
        for stage in stages {
            if let stage = resolve(stage, stageNames: Set(names), documentParams: documentParams,
                                   overrides: stageOverrides[stage.name] ?? [], context: &context) {
                resolved.append(stage)
            }
        }

        // Edges come from what was written, even for stages that failed to
        // resolve, so cycles are reported together with other problems.
        var edges: [String: [String]] = [:]
        for stage in stages {
            let fromInputs = stage.inputs.compactMap { ref -> String? in
                let first = ref.reference.split(separator: "/").first.map(String.init) ?? ""
                return firstLine[first] != nil ? first : nil
            }
            edges[stage.name] = stage.needs + fromInputs
        }
        let graph = StageGraph(nodes: names, edges: edges)
        for cycle in graph.cycles() {
            let location = stages.first { $0.name == cycle[0] }?.location ?? SourceLocation(line: 1, column: 1)
            context.error(location, "dependency cycle: " + cycle.joined(separator: " -> "))
        }

        let diagnostics = context.diagnostics.sortedByLocation
        guard !diagnostics.hasErrors, resolved.count == stages.count else {
            return ValidationResult(diagnostics: diagnostics, pipeline: nil)
        }
        return ValidationResult(diagnostics: diagnostics,
                                pipeline: ValidatedPipeline(document: document, stages: resolved, graph: graph))
    }

    /// Front-matter params with `--set PARAM=VALUE` applied; unknown names are errors.
    private func applyDocumentOverrides(_ overrides: [ParamOverride], to document: PipelineDocument,
                                        context: inout ValidationContext) -> [String: ParamValue] {
        var params = document.params
        for override in overrides where override.stage == nil {
            guard params[override.param] != nil else {
                context.error(override.location ?? SourceLocation(line: 1, column: 1),
                              override.messagePrefix + "no front-matter param '\(override.param)'"
                                  + Suggestion.hint(for: override.param, among: params.keys))
                continue
            }
            params[override.param] = override.value
        }
        return params
    }
}

/// Accumulates diagnostics for one document.
struct ValidationContext {
    let document: PipelineDocument
    var diagnostics: [Diagnostic] = []

    init(document: PipelineDocument) { self.document = document }

    mutating func error(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(file: document.path, location: location, severity: .error, message: message))
    }

    mutating func warning(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(file: document.path, location: location, severity: .warning, message: message))
    }
}
