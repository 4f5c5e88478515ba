/// Parsing of one ` ```stage NAME ` block: the YAML body into a `StageSpec`.
extension DocumentParser {
    /// Parses a stage block; nil only when the fence names no usable stage.
    static func parseStage(
        info: String, literal: String, block: MarkdownBlock,
        report: (SourceLocation, String, Diagnostic.Severity) -> Void
    ) -> StageSpec? {
        let fence = SourceLocation(line: block.startLine, column: block.startColumn)
        let words = info.split(whereSeparator: \.isWhitespace).map(String.init)
        guard words.count >= 2 else {
            report(fence, "stage block needs a name: ```stage NAME", .error)
            return nil
        }
        let name = words[1]
        if !isValidStageName(name) {
            report(fence, "invalid stage name '\(name)': use letters, digits, '_' and '-'", .error)
        }
        if words.count > 2 {
            report(fence, "extra words after the stage name are ignored: '\(words[2...].joined(separator: " "))'",
                   .warning)
        }
        var stage = StageSpec(name: name, kind: nil, location: fence)

        let root: YAMLNode?
        do {
            root = try YAMLNode.parse(literal, firstLine: block.startLine + 1, columnOffset: block.startColumn - 1)
        } catch {
            report(error.location, error.message, .error)
            return stage
        }
        guard let root else {
            report(fence, "stage '\(name)' is empty: give it 'op:' or 'run:'", .error)
            return stage
        }
        guard case let .map(entries) = root.kind else {
            report(root.location, "stage body must be a YAML mapping (op/run, needs, inputs, with, …)", .error)
            return stage
        }

        var op: String?, run: String?
        for entry in entries {
            let key = entry.key, value = entry.value
            stage.fieldLocations[key] = entry.keyLocation
            switch key {
            case "op":
                op = requireString(value, field: "op", report: report)
            case "run":
                run = requireString(value, field: "run", report: report)
            case "needs":
                stage.needs = stringList(value, field: "needs", into: &stage.fieldLocations, report: report)
            case "outputs":
                stage.outputs = stringList(value, field: "outputs", into: &stage.fieldLocations, report: report)
            case "env":
                stage.env = stringList(value, field: "env", into: &stage.fieldLocations, report: report)
            case "show":
                stage.show = stringList(value, field: "show", into: &stage.fieldLocations, report: report)
            case "inputs":
                guard case let .map(items) = value.kind else {
                    report(value.location, "'inputs' must be a mapping of name: STAGE, STAGE/path or repo path", .error)
                    continue
                }
                for item in items {
                    stage.fieldLocations["inputs.\(item.key)"] = item.keyLocation
                    guard let reference = item.value.stringValue, !reference.isEmpty else {
                        report(item.value.location, "input '\(item.key)' must name a stage or a repository path", .error)
                        continue
                    }
                    stage.inputs.append(InputReference(name: item.key, reference: reference))
                }
            case "with":
                if case .scalar(.null) = value.kind { continue }
                guard case let .map(items) = value.kind else {
                    report(value.location, "'with' must be a mapping of param: value", .error)
                    continue
                }
                for item in items {
                    stage.fieldLocations["with.\(item.key)"] = item.keyLocation
                    stage.params[item.key] = item.value.paramValue
                }
            default:
                report(entry.keyLocation, "unknown key '\(key)' in stage '\(name)'"
                       + Suggestion.hint(for: key, among: stageKeys), .error)
            }
        }

        switch (op, run) {
        case let (op?, nil): stage.kind = .op(op)
        case let (nil, run?): stage.kind = .shell(run)
        case (.some, .some):
            report(stage.location(of: "run"), "stage '\(name)' has both 'op' and 'run'; keep one", .error)
        case (nil, nil):
            if stage.fieldLocations["op"] == nil && stage.fieldLocations["run"] == nil {
                report(fence, "stage '\(name)' has neither 'op' nor 'run'", .error)
            }
        }
        return stage
    }

    /// Stage names are used as directory names and in `STAGE.PARAM` overrides,
    /// so they exclude `/`, `.` and whitespace.
    static func isValidStageName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
    }

    private static func requireString(
        _ node: YAMLNode, field: String, report: (SourceLocation, String, Diagnostic.Severity) -> Void
    ) -> String? {
        guard let text = node.stringValue, !text.isEmpty else {
            report(node.location, "'\(field)' must be a non-empty string", .error)
            return nil
        }
        return text
    }

    /// A list of strings; a single string is accepted as a one-element list.
    private static func stringList(
        _ node: YAMLNode, field: String, into locations: inout [String: SourceLocation],
        report: (SourceLocation, String, Diagnostic.Severity) -> Void
    ) -> [String] {
        let items: [YAMLNode]
        switch node.kind {
        case .list(let list): items = list
        case .scalar(.null): items = []
        case .scalar: items = [node]
        case .map:
            report(node.location, "'\(field)' must be a list of names", .error)
            return []
        }
        var out: [String] = []
        for item in items {
            guard let text = item.scalarText, !text.isEmpty else {
                report(item.location, "'\(field)' entries must be plain strings", .error)
                continue
            }
            locations["\(field).\(out.count)"] = item.location
            out.append(text)
        }
        return out
    }
}
