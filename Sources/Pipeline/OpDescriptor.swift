/// One input an op expects.
public struct InputSpec: Hashable, Sendable {
    /// Input name as written in `inputs:`.
    public var name: String
    /// False for optional inputs.
    public var required: Bool
    /// One line for `nasbook ops`.
    public var doc: String

    /// An input schema.
    public init(_ name: String, required: Bool = true, doc: String) {
        self.name = name
        self.required = required
        self.doc = doc
    }
}

/// What an op is: name, version, parameters and inputs.
///
/// `version` enters every cache key, so bumping it whenever the op's output
/// for the same inputs changes invalidates exactly the stages that use it.
public struct OpDescriptor: Hashable, Sendable {
    /// Registry name, e.g. `text.write` or `nas.sample`.
    public var name: String
    /// Implementation version; bump when outputs change.
    public var version: Int
    /// One line for `nasbook ops`.
    public var summary: String
    /// Parameter schemas.
    public var params: [ParamSpec]
    /// Declared inputs.
    public var inputs: [InputSpec]
    /// When true, inputs with any other name are accepted too (e.g. `text.concat`).
    public var acceptsExtraInputs: Bool

    /// An op descriptor.
    public init(name: String, version: Int, summary: String, params: [ParamSpec] = [],
                inputs: [InputSpec] = [], acceptsExtraInputs: Bool = false) {
        self.name = name
        self.version = version
        self.summary = summary
        self.params = params
        self.inputs = inputs
        self.acceptsExtraInputs = acceptsExtraInputs
    }

    /// The schema of parameter `name`.
    public func param(_ name: String) -> ParamSpec? {
        params.first { $0.name == name }
    }
}
