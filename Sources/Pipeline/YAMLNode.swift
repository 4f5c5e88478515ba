import Provenance
import Foundation
import Yams

/// A YAML tree with document positions, converted from Yams' `Node` right
/// after parsing.
///
/// Yams nodes hold class references (anchors) and are not `Sendable`; this
/// value type is, and it already carries positions mapped into the pipeline
/// document rather than into the YAML snippet.
struct YAMLNode: Sendable, Hashable {
    /// The shape of a node.
    indirect enum Kind: Sendable, Hashable {
        /// A scalar, already resolved to a typed value (`"3"` stays a string, `3` is an int).
        case scalar(ParamValue)
        case list([YAMLNode])
        case map([Entry])
    }

    /// One `key: value` pair of a mapping, in document order.
    struct Entry: Sendable, Hashable {
        var key: String
        var keyLocation: SourceLocation
        var value: YAMLNode
    }

    var kind: Kind
    var location: SourceLocation

    /// The plain value, dropping positions.
    var paramValue: ParamValue {
        switch kind {
        case let .scalar(v): return v
        case let .list(items): return .array(items.map(\.paramValue))
        case let .map(entries):
            var out: [String: ParamValue] = [:]
            for e in entries { out[e.key] = e.value.paramValue }
            return .object(out)
        }
    }

    /// The scalar's text when it is a string, or nil.
    var stringValue: String? {
        if case let .scalar(.string(s)) = kind { return s }
        return nil
    }

    /// A YAML syntax error positioned in the pipeline document.
    struct SyntaxError: Error, Sendable {
        var location: SourceLocation
        var message: String
    }

    /// The rules `resolve` needs: YAML's null, bool, int and float scalars, in Yams'
    /// default order. Yams' default resolver also has timestamp, merge-key and value
    /// rules, whose tags `resolve` maps to plain strings anyway; leaving them out
    /// spares every process compiling their regular expressions (part of a no-op run's start-up).
    private static let resolver = Resolver.basic.appending(.bool).appending(.int).appending(.float).appending(.null)

    /// Parses `text`, whose first line is document line `firstLine` and whose
    /// columns are shifted right by `columnOffset`. Returns nil for an empty document.
    static func parse(_ text: String, firstLine: Int, columnOffset: Int) throws(SyntaxError) -> YAMLNode? {
        func place(_ mark: Mark?) -> SourceLocation {
            guard let mark else { return SourceLocation(line: firstLine, column: 1 + columnOffset) }
            return SourceLocation(line: firstLine + max(mark.line, 1) - 1, column: max(mark.column, 1) + columnOffset)
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, Self.resolver)
        } catch let error as YamlError {
            throw describe(error, place: place)
        } catch {
            throw SyntaxError(location: place(nil), message: "YAML: \(error)")
        }
        return node.map { convert($0, place: place) }
    }

    /// Resolves one YAML scalar as written on a command line (`--set a.b=0.1`).
    static func scalar(_ text: String) -> ParamValue {
        guard let node = try? Yams.compose(yaml: text, Self.resolver), case .scalar = node else { return .string(text) }
        return convert(node, place: { _ in SourceLocation(line: 1, column: 1) }).paramValue
    }

    private static func describe(_ error: YamlError, place: (Mark?) -> SourceLocation) -> SyntaxError {
        switch error {
        case let .scanner(context, problem, mark, _),
             let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            // The context names the construct being parsed and where it began,
            // which is usually where the mistake is when the error is reported later.
            let ctx = context.map { " \($0.text) (opened at \(place($0.mark)))" } ?? ""
            return SyntaxError(location: place(mark), message: "YAML syntax: \(problem)\(ctx)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return SyntaxError(location: place(context.mark), message: "duplicate key \(names)")
        case let .reader(problem, _, _, _):
            return SyntaxError(location: place(nil), message: "YAML: \(problem)")
        default:
            return SyntaxError(location: place(nil), message: "YAML: \(error)")
        }
    }

    private static func convert(_ node: Node, place: (Mark?) -> SourceLocation) -> YAMLNode {
        let location = place(node.mark)
        switch node {
        case let .scalar(scalar):
            return YAMLNode(kind: .scalar(resolve(scalar, node: node)), location: location)
        case let .sequence(sequence):
            return YAMLNode(kind: .list(sequence.map { convert($0, place: place) }), location: location)
        case let .mapping(mapping):
            let entries = mapping.map { pair in
                Entry(key: pair.key.string ?? "\(pair.key)", keyLocation: place(pair.key.mark),
                      value: convert(pair.value, place: place))
            }
            return YAMLNode(kind: .map(entries), location: location)
        case .alias:
            // Aliases are dereferenced by Yams' default strategy; a stray one means nothing here.
            return YAMLNode(kind: .scalar(.null), location: location)
        }
    }

    /// Typed value of a scalar: quoted scalars are always strings, plain ones
    /// follow YAML's core schema as Yams resolves it.
    private static func resolve(_ scalar: Node.Scalar, node: Node) -> ParamValue {
        if scalar.style != .plain { return .string(scalar.string) }
        switch Tag.Name(rawValue: node.tag.rawValue) {
        case .null: return .null
        case .bool: return node.bool.map(ParamValue.bool) ?? .string(scalar.string)
        case .int:
            if let i = node.int { return .int(i) }
            return node.float.map(ParamValue.double) ?? .string(scalar.string)
        case .float: return node.float.map(ParamValue.double) ?? .string(scalar.string)
        default: return .string(scalar.string)
        }
    }
}
