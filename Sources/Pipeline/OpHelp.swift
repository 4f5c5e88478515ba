/// Plain-text descriptions of ops for `nasbook ops`.
extension OpDescriptor {
    /// A multi-line description: `name (vN): summary`, then one line per
    /// parameter (type, default or `required`, constraints, doc) and per input.
    public var helpText: String {
        var out = "\(name) (v\(version)): \(summary)\n"
        for param in params {
            var line = "  \(param.name): \(param.type)"
            line += param.defaultValue.map { " = \($0.canonicalJSON)" } ?? " (required)"
            if let range = param.range {
                line += ", in \(ParamValue.double(range.lowerBound).shortText)...\(ParamValue.double(range.upperBound).shortText)"
            }
            if let allowed = param.allowed {
                line += ", one of " + allowed.map(\.canonicalJSON).joined(separator: ", ")
            }
            out += line + " — \(param.doc)\n"
        }
        for input in inputs {
            out += "  input \(input.name)\(input.required ? "" : " (optional)") — \(input.doc)\n"
        }
        if acceptsExtraInputs { out += "  inputs: any names\n" }
        return out
    }
}
