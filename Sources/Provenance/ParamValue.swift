import Foundation

/// A small JSON value used for stage parameters, so that parameters have one canonical text.
///
/// Numbers follow JSON semantics: JSON has one number type, so `.double(2.0)` and
/// `.int(2)` encode to the same text (`2`) and therefore compare and hash equal;
/// decoding yields `.int` for every integral number that fits an `Int`. This keeps
/// "records round-trip exactly" true under `==` without inventing a number tag.
public enum ParamValue: Sendable, Codable, Hashable, CustomStringConvertible {
    /// JSON `null`.
    case null
    /// JSON `true`/`false`.
    case bool(Bool)
    /// An integral JSON number.
    case int(Int)
    /// A JSON number; integral values are the same number as the equal `.int`.
    case double(Double)
    /// A JSON string.
    case string(String)
    /// A JSON array (order matters).
    case array([ParamValue])
    /// Keys are kept sorted by the canonical encoder; dictionary order never matters.
    case object([String: ParamValue])

    /// Decodes any JSON value; integral numbers become `.int` (see the type comment).
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int.self) {
            self = .int(i)
        } else if let d = try? container.decode(Double.self) {
            self = .double(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([ParamValue].self) {
            self = .array(a)
        } else if let o = try? container.decode([String: ParamValue].self) {
            self = .object(o)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    /// Encodes as plain JSON; non-finite doubles are rejected by the JSON encoder.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .int(let i): try container.encode(i)
        case .double(let d):
            // Integral doubles are written as integers so both number cases share one text.
            if let i = ParamValue.exactInt(d) { try container.encode(i) } else { try container.encode(d) }
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }

    /// The Int equal to `d`, when there is one (so `2.0` and `2` are the same number).
    static func exactInt(_ d: Double) -> Int? {
        guard d.isFinite, d.rounded() == d else { return nil }
        return Int(exactly: d)
    }

    /// Equality by JSON value: numbers compare by value across `.int`/`.double`.
    public static func == (lhs: ParamValue, rhs: ParamValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.int(a), .double(b)), let (.double(b), .int(a)): return exactInt(b) == a
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)): return a == b
        default: return false
        }
    }

    /// Hashing consistent with `==`: an integral double hashes like the equal `.int`.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(1); hasher.combine(b)
        case .int(let i): hasher.combine(2); hasher.combine(i)
        case .double(let d):
            if let i = ParamValue.exactInt(d) { hasher.combine(2); hasher.combine(i) } else { hasher.combine(3); hasher.combine(d) }
        case .string(let s): hasher.combine(4); hasher.combine(s)
        case .array(let a): hasher.combine(5); hasher.combine(a)
        case .object(let o): hasher.combine(6); hasher.combine(o)
        }
    }

    /// The canonical JSON text of this value (sorted keys, compact).
    public var description: String {
        (try? CanonicalJSON.string(self)) ?? "<non-finite number>"
    }
}

extension ParamValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    /// A string parameter.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer parameter.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A floating-point parameter.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A boolean parameter.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A list parameter.
    public init(arrayLiteral elements: ParamValue...) { self = .array(elements) }
    /// A nested map parameter; later duplicates win, as in JSON parsers.
    public init(dictionaryLiteral elements: (String, ParamValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    /// The JSON null.
    public init(nilLiteral: ()) { self = .null }
}
