/// Namespace for the Pipeline module's version and shared constants.
public enum PipelineModule {
    /// Bumped whenever the module's persisted formats change.
    public static let formatVersion = 1
}
