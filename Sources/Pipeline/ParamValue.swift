import Foundation

/// A JSON-like parameter value as written in a stage's `with:` block.
///
/// Kept deliberately small (no dates, no binary) so that every value has one
/// canonical text form, which is what cache keys hash. Provenance keeps its own
/// record types for now; the two should be unified once both have settled.
public enum ParamValue: Hashable, Sendable {
    /// YAML `null` / `~` / an empty value.
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// A whole number.
    case int(Int)
    /// A number with a fraction or exponent.
    case double(Double)
    /// Text (quoted YAML scalars are always strings).
    case string(String)
    /// A sequence.
    case list([ParamValue])
    /// A mapping with string keys (order is irrelevant: canonical forms sort keys).
    case map([String: ParamValue])

    /// Human name of the value's type, used in "expected int, found string" messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "double"
        case .string: return "string"
        case .list: return "list"
        case .map: return "map"
        }
    }

    /// The value as a Double when it is numeric (ints widen).
    public var numericValue: Double? {
        switch self {
        case let .int(i): return Double(i)
        case let .double(d): return d
        default: return nil
        }
    }

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    /// The int payload, if this is an int.
    public var intValue: Int? {
        if case let .int(i) = self { return i }
        return nil
    }

    /// The bool payload, if this is a bool.
    public var boolValue: Bool? {
        if case let .bool(b) = self { return b }
        return nil
    }

    /// The list payload, if this is a list.
    public var listValue: [ParamValue]? {
        if case let .list(l) = self { return l }
        return nil
    }

    /// Canonical JSON: object keys sorted, no whitespace, shortest round-trip
    /// doubles (always with a `.` or exponent so `1.0` never reads back as int).
    /// Non-finite doubles, which JSON cannot hold, become the strings
    /// `"+inf"`, `"-inf"` and `"nan"`.
    public var canonicalJSON: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .int(i): return String(i)
        case let .double(d):
            if d.isNaN { return "\"nan\"" }
            if d.isInfinite { return d > 0 ? "\"+inf\"" : "\"-inf\"" }
            let text = "\(d)"
            return text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? text : text + ".0"
        case let .string(s): return Self.jsonString(s)
        case let .list(items): return "[" + items.map(\.canonicalJSON).joined(separator: ",") + "]"
        case let .map(entries):
            let body = entries.keys.sorted().map { Self.jsonString($0) + ":" + entries[$0]!.canonicalJSON }
            return "{" + body.joined(separator: ",") + "}"
        }
    }

    /// JSON string literal with the escapes RFC 8259 requires (and nothing else,
    /// so the form is unique).
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension ParamValue: CustomStringConvertible {
    /// Strings print bare, everything else as canonical JSON; used in messages
    /// such as "param train_size 424 → 1000".
    public var description: String {
        if case let .string(s) = self { return s }
        return canonicalJSON
    }
}

extension ParamValue: Codable {
    /// Decodes any JSON value.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int.self) { self = .int(i); return }
        if let d = try? c.decode(Double.self) { self = .double(d); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let l = try? c.decode([ParamValue].self) { self = .list(l); return }
        if let m = try? c.decode([String: ParamValue].self) { self = .map(m); return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a JSON value")
    }

    /// Encodes as the matching JSON value.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case let .bool(b): try c.encode(b)
        case let .int(i): try c.encode(i)
        case let .double(d): try c.encode(d)
        case let .string(s): try c.encode(s)
        case let .list(l): try c.encode(l)
        case let .map(m): try c.encode(m)
        }
    }
}

extension ParamValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral {
    /// A list value.
    public init(arrayLiteral elements: ParamValue...) { self = .list(elements) }
    /// A string value.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An int value.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A double value.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A bool value.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
