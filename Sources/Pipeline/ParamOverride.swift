import Provenance
/// A command-line override `--set STAGE.PARAM=VALUE` (or `--set PARAM=VALUE`
/// for a front-matter param); VALUE is read as a YAML scalar, so `0.1` is a
/// double, `true` a bool and `"7"` a string.
public struct ParamOverride: Hashable, Sendable, CustomStringConvertible {
    /// The stage whose `with:` value is replaced; nil for a front-matter param.
    public var stage: String?
    /// Parameter name.
    public var param: String
    /// The new value.
    public var value: ParamValue
    /// The text as given, for messages.
    public var text: String
    /// Where the override comes from, for messages: `--set` for the command
    /// line, `preset 'quick'` for an entry of a front-matter preset.
    public var origin: String
    /// The preset entry's position in the document; nil for `--set`.
    public var location: SourceLocation?

    /// An override of `stage.param` (or document param when `stage` is nil).
    public init(stage: String?, param: String, value: ParamValue, text: String? = nil,
                origin: String = "--set", location: SourceLocation? = nil) {
        self.stage = stage
        self.param = param
        self.value = value
        self.text = text ?? "\(stage.map { $0 + "." } ?? "")\(param)=\(value.canonicalJSON)"
        self.origin = origin
        self.location = location
    }

    /// `--set population=8: ` or `preset 'quick' population=8: `, the prefix of
    /// a diagnostic about this override.
    var messagePrefix: String { "\(origin) \(text): " }

    /// Parses `STAGE.PARAM=VALUE` or `PARAM=VALUE`; stage names contain no `.`,
    /// so the first `.` before `=` separates stage from parameter.
    public static func parse(_ text: String) throws -> ParamOverride {
        guard let equals = text.firstIndex(of: "=") else {
            throw PipelineError.malformedOverride(text, reason: "expected STAGE.PARAM=VALUE")
        }
        let target = String(text[..<equals])
        let valueText = String(text[text.index(after: equals)...])
        var stage: String?, param = target
        if let dot = target.firstIndex(of: ".") {
            stage = String(target[..<dot])
            param = String(target[target.index(after: dot)...])
            guard DocumentParser.isValidStageName(stage!) else {
                throw PipelineError.malformedOverride(text, reason: "'\(stage!)' is not a stage name")
            }
        }
        guard !param.isEmpty else {
            throw PipelineError.malformedOverride(text, reason: "missing parameter name before '='")
        }
        return ParamOverride(stage: stage, param: param, value: YAMLNode.scalar(valueText), text: text)
    }

    /// The override as given on the command line.
    public var description: String { text }
}
