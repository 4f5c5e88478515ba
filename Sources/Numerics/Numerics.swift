/// Namespace for the Numerics module's version and shared constants.
public enum NumericsModule {
    /// Bumped whenever the module's persisted formats change.
    public static let formatVersion = 1
}
