/// Namespace for the NASStages module's version and shared constants.
public enum NASStagesModule {
    /// Bumped whenever the module's persisted formats change.
    public static let formatVersion = 1
}
