/// Turns the text of `pipelines/NAME.md` into a `PipelineDocument`.
///
/// Parsing never fails: every problem becomes a `Diagnostic` and the parser
/// keeps going, so one pass shows the author everything that is wrong. The
/// result is then checked against the op registry by `PipelineValidator`.
public enum DocumentParser {
    /// Keys a stage body may contain.
    static let stageKeys = ["op", "run", "needs", "inputs", "with", "outputs", "env", "show"]
    /// Keys the front matter understands.
    static let frontMatterKeys = ["title", "description", "params", "presets"]

    /// Parses `text`; `path` is what diagnostics print (e.g. `pipelines/demo.md`).
    public static func parse(_ text: String, path: String) -> (document: PipelineDocument, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        func report(_ location: SourceLocation, _ message: String, _ severity: Diagnostic.Severity = .error) {
            diagnostics.append(Diagnostic(file: path, location: location, severity: severity, message: message))
        }

        let front = FrontMatter.split(text)
        if front.unterminated {
            report(SourceLocation(line: 1, column: 1), "front matter opened with '---' is never closed")
        }
        var document = PipelineDocument(path: path, title: "", description: nil, params: [:],
                                        paramLocations: [:], stages: [], sections: [])
        var title: String?
        if let yaml = front.yaml {
            parseFrontMatter(yaml, firstLine: front.firstLine, into: &document, title: &title, report: report)
        }

        let lines = front.body.split(separator: "\n", omittingEmptySubsequences: false)
        let scan = MarkdownBlock.scan(front.body)
        for nested in scan.nestedStages {
            report(nested, "stage blocks must be at the top level of the document; this one is ignored", .warning)
        }

        var proseRange: ClosedRange<Int>?
        func flushProse() {
            guard let range = proseRange else { return }
            proseRange = nil
            let slice = range.clamped(to: 1...max(lines.count, 1)).compactMap { $0 <= lines.count ? lines[$0 - 1] : nil }
            let markdown = slice.joined(separator: "\n")
            if !markdown.allSatisfy(\.isWhitespace) {
                document.sections.append(.prose(ProseBlock(line: range.lowerBound, markdown: markdown)))
            }
        }
        for block in scan.blocks {
            if case let .code(info, literal) = block.kind,
               info.split(whereSeparator: \.isWhitespace).first == "stage" {
                flushProse()
                if let stage = parseStage(info: info, literal: literal, block: block, report: report) {
                    document.stages.append(stage)
                    document.sections.append(.stage(stage.name))
                }
                continue
            }
            if title == nil, case .heading(level: 1) = block.kind, block.startLine <= lines.count {
                let heading = lines[block.startLine - 1].trimmingCharacters(in: "# \t")
                if !heading.isEmpty { title = heading }
            }
            proseRange = (proseRange?.lowerBound ?? block.startLine)...block.endLine
        }
        flushProse()

        document.title = title ?? fileStem(path)
        return (document, diagnostics)
    }

    private static func fileStem(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.hasSuffix(".md") ? String(file.dropLast(3)) : file
    }

    private static func parseFrontMatter(
        _ yaml: String, firstLine: Int, into document: inout PipelineDocument, title: inout String?,
        report: (SourceLocation, String, Diagnostic.Severity) -> Void
    ) {
        let root: YAMLNode?
        do {
            root = try YAMLNode.parse(yaml, firstLine: firstLine, columnOffset: 0)
        } catch {
            report(error.location, error.message, .error)
            return
        }
        guard let root else { return }
        guard case let .map(entries) = root.kind else {
            report(root.location, "front matter must be a mapping of 'title', 'description', 'params', 'presets'", .error)
            return
        }
        for entry in entries {
            switch entry.key {
            case "title", "description":
                guard let text = entry.value.scalarText else {
                    report(entry.value.location, "'\(entry.key)' must be a single line of text", .error)
                    continue
                }
                if entry.key == "title" { title = text } else { document.description = text }
            case "params":
                guard case let .map(params) = entry.value.kind else {
                    report(entry.value.location, "'params' must be a mapping of name: value", .error)
                    continue
                }
                for param in params {
                    document.params[param.key] = param.value.paramValue
                    document.paramLocations[param.key] = param.keyLocation
                }
            case "presets":
                parsePresets(entry.value, into: &document, report: report)
            default:
                report(entry.keyLocation,
                       "unknown front-matter key '\(entry.key)' is ignored"
                           + Suggestion.hint(for: entry.key, among: frontMatterKeys), .warning)
            }
        }
    }
}

extension DocumentParser {
    /// `presets:` — a mapping of preset name to a mapping of `PARAM` or
    /// `STAGE.PARAM` to a value. Whether each target exists is the validator's
    /// business (it reports at the entry), so only the shape is checked here.
    static func parsePresets(_ node: YAMLNode, into document: inout PipelineDocument,
                             report: (SourceLocation, String, Diagnostic.Severity) -> Void) {
        guard case let .map(presets) = node.kind else {
            report(node.location, "'presets' must be a mapping of preset name to a mapping of PARAM: value", .error)
            return
        }
        for preset in presets {
            guard isValidStageName(preset.key) else {
                report(preset.keyLocation, "preset name '\(preset.key)' must be letters, digits, '-' or '_'", .error)
                continue
            }
            guard case let .map(entries) = preset.value.kind else {
                report(preset.value.location,
                       "preset '\(preset.key)' must be a mapping of PARAM or STAGE.PARAM to a value", .error)
                continue
            }
            var overrides: [ParamOverride] = []
            for entry in entries {
                let parts = entry.key.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let stage = parts.count == 2 ? parts[0] : nil
                let param = parts.count == 2 ? parts[1] : parts[0]
                if let stage, !isValidStageName(stage) {
                    report(entry.keyLocation, "preset '\(preset.key)': '\(stage)' is not a stage name", .error)
                    continue
                }
                guard !param.isEmpty else {
                    report(entry.keyLocation, "preset '\(preset.key)': missing parameter name in '\(entry.key)'", .error)
                    continue
                }
                let value = entry.value.paramValue
                overrides.append(ParamOverride(stage: stage, param: param, value: value,
                                               text: "\(entry.key)=\(value.canonicalJSON)",
                                               origin: "preset '\(preset.key)'", location: entry.keyLocation))
            }
            document.presets[preset.key] = PipelinePreset(name: preset.key, location: preset.keyLocation,
                                                          overrides: overrides)
        }
    }
}

extension YAMLNode {
    /// Text of a scalar of any type (numbers and bools as written), nil for collections.
    var scalarText: String? {
        guard case let .scalar(value) = kind, value != .null else { return nil }
        return value.plainText
    }
}

extension Substring {
    /// The substring with any of `characters` removed from both ends.
    func trimmingCharacters(in characters: String) -> String {
        var s = self
        while let first = s.first, characters.contains(first) { s = s.dropFirst() }
        while let last = s.last, characters.contains(last) { s = s.dropLast() }
        return String(s)
    }
}
