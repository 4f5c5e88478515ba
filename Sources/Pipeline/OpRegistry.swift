/// The set of ops a pipeline may name, looked up by `op:`.
///
/// A value type: the CLI builds one at start-up (built-ins plus NASStages) and
/// passes it to validation and the runner, so no global registry exists.
public struct OpRegistry: Sendable {
    private var ops: [String: any Op] = [:]

    /// An empty registry.
    public init() {}

    /// A registry holding `ops`.
    public init(_ ops: [any Op]) {
        for op in ops { register(op) }
    }

    /// The registry with the built-in text ops (`text.write`, `text.concat`, `text.stats`).
    public static var builtins: OpRegistry { OpRegistry(BuiltinOps.all) }

    /// Adds `op`, replacing any op of the same name.
    public mutating func register(_ op: any Op) {
        ops[op.descriptor.name] = op
    }

    /// The op called `name`.
    public func lookup(_ name: String) -> (any Op)? { ops[name] }

    /// All registered names, sorted.
    public var names: [String] { ops.keys.sorted() }

    /// All descriptors, sorted by name (for `nasbook ops`).
    public var descriptors: [OpDescriptor] { names.compactMap { ops[$0]?.descriptor } }

    /// The registered name closest to a misspelt `name`.
    public func suggestion(for name: String) -> String? {
        Suggestion.closest(to: name, among: ops.keys)
    }
}
