/// Namespace for the Provenance module's version and shared constants.
public enum ProvenanceModule {
    /// Bumped whenever the module's persisted formats (records, run.json, index files) change.
    public static let formatVersion = 1
}
