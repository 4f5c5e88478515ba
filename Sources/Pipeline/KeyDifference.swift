import Foundation

extension KeyRecord {
    /// Why a stage's key changed, one short line per differing field, e.g.
    /// `param train_size 424 → 1000`, `input ingest changed`, `op version 2 → 3`.
    /// Empty when the records are equal.
    public static func explainDifferences(from old: KeyRecord, to new: KeyRecord) -> [String] {
        let names = Set(old.fields.keys).union(new.fields.keys).sorted()
        var lines: [String] = []
        for field in names {
            let before = old.fields[field], after = new.fields[field]
            guard before != after else { continue }
            let (group, name) = split(field)
            switch group {
            case "param":
                lines.append(change("param \(name)", before.map(display), after.map(display)))
            case "input":
                switch (before, after) {
                case (nil, _): lines.append("input \(name) added")
                case (_, nil): lines.append("input \(name) removed")
                default: lines.append("input \(name) changed")
                }
            case "env":
                lines.append(change("env \(name)", before.map(display), after.map(display)))
            default:
                switch field {
                case "op.version": lines.append(change("op version", before, after))
                case "command": lines.append("command changed")
                case "outputs": lines.append(change("outputs", before, after))
                case "format": lines.append(change("key format", before, after))
                default: lines.append(change(field, before.map(display), after.map(display)))
                }
            }
        }
        return lines
    }

    private static func change(_ what: String, _ before: String?, _ after: String?) -> String {
        switch (before, after) {
        case let (nil, after?): return "\(what) added (\(after))"
        case let (before?, nil): return "\(what) removed (was \(before))"
        case let (before?, after?): return "\(what) \(before) → \(after)"
        default: return what
        }
    }

    /// `param.lr` → (`param`, `lr`); quoted names are unquoted.
    private static func split(_ field: String) -> (String, String) {
        guard let dot = field.firstIndex(of: "."), ["param", "input", "env"].contains(String(field[..<dot])) else {
            return (field, "")
        }
        return (String(field[..<dot]), display(String(field[field.index(after: dot)...])))
    }

    /// A JSON value as a person would write it: strings without quotes.
    private static func display(_ json: String) -> String {
        guard let data = json.data(using: .utf8),
              let value = try? JSONDecoder().decode(ParamValue.self, from: data) else { return json }
        if case .double = value { return value.shortText }
        return value.description
    }
}
