/// The type a parameter must have.
public indirect enum ParamType: Hashable, Sendable, CustomStringConvertible {
    /// A whole number.
    case int
    /// Accepts ints too; they are widened so `1` and `1.0` give the same key.
    case double
    /// Text.
    case string
    /// `true` / `false`.
    case bool
    /// A list whose elements all have the given type.
    case list(ParamType)
    /// A string-keyed map of anything.
    case map
    /// Any value; the op checks it itself.
    case any

    /// `int`, `list of double`, … for messages.
    public var description: String {
        switch self {
        case .int: return "int"
        case .double: return "double"
        case .string: return "string"
        case .bool: return "bool"
        case let .list(element): return "list of \(element)"
        case .map: return "map"
        case .any: return "any"
        }
    }

    /// `value` converted to this type (int → double widening, recursively in
    /// lists), or nil when it does not fit.
    public func coerce(_ value: ParamValue) -> ParamValue? {
        switch (self, value) {
        case (.any, _): return value
        case (.int, .int), (.double, .double), (.string, .string), (.bool, .bool), (.map, .map): return value
        case let (.double, .int(i)): return .double(Double(i))
        case let (.list(element), .list(items)):
            var out: [ParamValue] = []
            for item in items {
                guard let converted = element.coerce(item) else { return nil }
                out.append(converted)
            }
            return .list(out)
        default: return nil
        }
    }
}

/// The schema of one op parameter: type, default, constraints and a doc line.
public struct ParamSpec: Hashable, Sendable {
    /// Parameter name as written in `with:`.
    public var name: String
    /// Required type.
    public var type: ParamType
    /// Value used when the stage does not set it; nil makes the parameter required.
    public var defaultValue: ParamValue?
    /// Inclusive numeric bounds (int and double parameters, and list elements).
    public var range: ClosedRange<Double>?
    /// The only values accepted, if restricted.
    public var allowed: [ParamValue]?
    /// One line for `nasbook ops`.
    public var doc: String

    /// A parameter schema.
    public init(_ name: String, _ type: ParamType, default defaultValue: ParamValue? = nil,
                range: ClosedRange<Double>? = nil, allowed: [ParamValue]? = nil, doc: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.range = range
        self.allowed = allowed
        self.doc = doc
    }

    /// True when a stage must set the parameter.
    public var isRequired: Bool { defaultValue == nil }

    /// Checks `value` against type and constraints; returns the coerced value
    /// or a one-line reason it is rejected.
    public func validate(_ value: ParamValue) -> Result<ParamValue, PipelineError> {
        guard let coerced = type.coerce(value) else {
            return .failure(.invalidParam(name, message: "parameter '\(name)' expects \(type), found \(value.typeName) \(value.canonicalJSON)"))
        }
        if let range {
            let numbers: [Double]
            switch coerced {
            case let .list(items): numbers = items.compactMap(\.numericValue)
            default: numbers = coerced.numericValue.map { [$0] } ?? []
            }
            if let bad = numbers.first(where: { !range.contains($0) }) {
                return .failure(.invalidParam(name, message:
                    "parameter '\(name)' = \(ParamValue.double(bad).shortText) is outside "
                        + "\(ParamValue.double(range.lowerBound).shortText)...\(ParamValue.double(range.upperBound).shortText)"))
            }
        }
        if let allowed, !allowed.contains(coerced) {
            let list = allowed.map(\.canonicalJSON).joined(separator: ", ")
            return .failure(.invalidParam(name, message: "parameter '\(name)' = \(coerced.canonicalJSON) is not one of \(list)"))
        }
        return .success(coerced)
    }
}

extension ParamValue {
    /// Numbers without a needless `.0` (`424`, `0.5`), for messages only.
    var shortText: String {
        if case let .double(d) = self, d.isFinite, d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return canonicalJSON
    }
}
