import Foundation
import Provenance

/// Pipeline-side views of Provenance's `ParamValue` (one type for both modules).
///
/// The ledger stores parameters with JSON number semantics (`2.0` is written `2`);
/// cache keys instead need the *declared* type to show, so that a double parameter
/// keeps one text whatever the author wrote. The validator coerces every op
/// parameter to its `ParamSpec` type (`int 1` for a double becomes `.double(1)`),
/// and `canonicalJSON` below always writes doubles with a `.` or exponent.
extension ParamValue {
    /// Human name of the value's type, used in "expected int, found string" messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "double"
        case .string: return "string"
        case .array: return "list"
        case .object: return "map"
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
        if case let .array(l) = self { return l }
        return nil
    }

    /// Canonical JSON for cache keys: object keys sorted, no whitespace,
    /// shortest round-trip doubles (always with a `.` or exponent so `1.0`
    /// never reads back as an int). Non-finite doubles, which JSON cannot
    /// hold, become the strings `"+inf"`, `"-inf"` and `"nan"`.
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
        case let .array(items): return "[" + items.map(\.canonicalJSON).joined(separator: ",") + "]"
        case let .object(entries):
            let body = entries.keys.sorted().map { Self.jsonString($0) + ":" + entries[$0]!.canonicalJSON }
            return "{" + body.joined(separator: ",") + "}"
        }
    }

    /// Strings bare, everything else as `canonicalJSON`: the form for messages
    /// ("param train_size 424 → 1000") and for `PARAM_<NAME>` environment variables.
    public var plainText: String {
        if case let .string(s) = self { return s }
        return canonicalJSON
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
