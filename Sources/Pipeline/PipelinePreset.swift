/// A named set of parameter overrides declared in a document's front matter,
/// selected with `--preset NAME`.
///
/// Presets exist so that a document can carry its own variants (a `quick`
/// setting for tests and demos) instead of a long `--set` line in the README.
/// A preset entry is exactly an override: it changes params, so it enters the
/// stages' cache keys like any `--set` would, and a run records the preset's
/// name in its commit message. `--set` on the command line is applied after
/// the preset, so it wins.
///
/// ```yaml
/// presets:
///   quick:
///     population: 8          # a front-matter param
///     train.epochs: 2        # STAGE.PARAM
/// ```
public struct PipelinePreset: Hashable, Sendable {
    /// The preset's name.
    public var name: String
    /// Where the name is written.
    public var location: SourceLocation
    /// The entries in document order, as overrides whose origin names the preset.
    public var overrides: [ParamOverride]

    /// A preset.
    public init(name: String, location: SourceLocation, overrides: [ParamOverride]) {
        self.name = name
        self.location = location
        self.overrides = overrides
    }
}
