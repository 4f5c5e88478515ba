/// Namespace for the NAS module's version and shared constants.
public enum NASModule {
    /// Bumped whenever the module's persisted formats change.
    public static let formatVersion = 1
}
