import Provenance
/// Per-stage checks of `PipelineValidator`: kind, params, inputs, outputs.
extension PipelineValidator {
    /// Resolves one stage, reporting problems into `context`; nil when it has errors.
    func resolve(_ stage: StageSpec, stageNames: Set<String>, documentParams: [String: ParamValue],
                 overrides: [ParamOverride], context: inout ValidationContext) -> ResolvedStage? {
        let errorsBefore = context.diagnostics.filter { $0.severity == .error }.count
        guard let kind = stage.kind else { return nil }  // the parser already said why

        // Parameters: written values, then front-matter references, then overrides.
        var params: [String: ParamValue] = [:]
        for (name, value) in stage.params {
            params[name] = substitute(value, documentParams: documentParams, at: stage.location(of: "with.\(name)"),
                                      context: &context)
        }
        var overrideLocation: [String: String] = [:]
        for override in overrides {
            params[override.param] = override.value
            overrideLocation[override.param] = override.messagePrefix
        }
        func paramLocation(_ name: String) -> SourceLocation {
            stage.fieldLocations["with.\(name)"] ?? stage.fieldLocations["with"] ?? stage.location(of: "op")
        }
        func prefix(_ name: String) -> String { overrideLocation[name] ?? "" }

        var opVersion: Int?
        switch kind {
        case let .op(opName):
            guard let op = registry.lookup(opName) else {
                context.error(stage.location(of: "op"), "unknown op '\(opName)'"
                              + (registry.suggestion(for: opName).map { "; did you mean '\($0)'?" } ?? ""))
                return nil
            }
            let descriptor = op.descriptor
            opVersion = descriptor.version
            var checked: [String: ParamValue] = [:]
            for name in params.keys.sorted() {
                guard let spec = descriptor.param(name) else {
                    context.error(paramLocation(name), prefix(name) + "op '\(opName)' has no parameter '\(name)'"
                                  + Suggestion.hint(for: name, among: descriptor.params.map(\.name)))
                    continue
                }
                switch spec.validate(params[name]!) {
                case let .success(value): checked[name] = value
                case let .failure(problem): context.error(paramLocation(name), prefix(name) + problem.description)
                }
            }
            for spec in descriptor.params where params[spec.name] == nil {
                if let value = spec.defaultValue {
                    checked[spec.name] = value
                } else {
                    context.error(stage.fieldLocations["with"] ?? stage.location(of: "op"),
                                  "op '\(opName)' requires parameter '\(spec.name)' (\(spec.type)): \(spec.doc)")
                }
            }
            params = checked
            for field in ["outputs", "env"] where stage.fieldLocations[field] != nil {
                context.error(stage.location(of: field),
                              "'\(field)' applies to shell stages only; an op's output is its whole directory")
            }
        case .shell:
            if stage.outputs.isEmpty {
                context.error(stage.location(of: "run"),
                              "shell stage '\(stage.name)' must declare 'outputs' (files it writes, captured as its result)")
            }
            for (i, path) in stage.outputs.enumerated() where !isRelativeInside(path) {
                context.error(stage.location(of: "outputs.\(i)"),
                              "output '\(path)' must be a relative path without '..'")
            }
            for (i, name) in stage.env.enumerated() where !isEnvironmentName(name) {
                context.error(stage.location(of: "env.\(i)"), "'\(name)' is not an environment variable name")
            }
        }

        let inputs = resolveInputs(stage, stageNames: stageNames, context: &context)
        if case let .op(opName) = kind, let descriptor = registry.lookup(opName)?.descriptor {
            let bound = Set(inputs.map(\.name))
            let declared = descriptor.inputs.map(\.name)
            for input in inputs where !declared.contains(input.name) && !descriptor.acceptsExtraInputs {
                let hint = declared.isEmpty ? " (it takes no inputs)" : " (inputs: \(declared.joined(separator: ", ")))"
                context.error(stage.fieldLocations["inputs.\(input.name)"] ?? stage.location(of: "needs"),
                              "op '\(opName)' has no input '\(input.name)'\(hint)")
            }
            for spec in descriptor.inputs where spec.required && !bound.contains(spec.name) {
                context.error(stage.fieldLocations["inputs"] ?? stage.location(of: "op"),
                              "op '\(opName)' requires input '\(spec.name)': \(spec.doc)")
            }
        }

        let errorsAfter = context.diagnostics.filter { $0.severity == .error }.count
        guard errorsAfter == errorsBefore else { return nil }
        return ResolvedStage(name: stage.name, kind: kind, opVersion: opVersion, params: params,
                             inputs: inputs.sorted { $0.name < $1.name }, outputs: stage.outputs,
                             env: stage.env, show: stage.show, spec: stage)
    }

    /// `inputs:` references resolved to stages or files, plus `needs:` entries
    /// not already read through `inputs:` (bound under the stage's name).
    private func resolveInputs(_ stage: StageSpec, stageNames: Set<String>,
                               context: inout ValidationContext) -> [InputBinding] {
        var bindings: [InputBinding] = []
        var names: Set<String> = []
        for ref in stage.inputs {
            let location = stage.location(of: "inputs.\(ref.name)")
            // Input names become directory names (`inputs/NAME`), so `.` and `..` are out.
            if !DocumentParser.isValidStageName(ref.name.replacingOccurrences(of: ".", with: "_"))
                || ref.name.allSatisfy({ $0 == "." }) {
                context.error(location, "invalid input name '\(ref.name)': use letters, digits, '_', '-' and '.'")
            }
            var reference = ref.reference
            while reference.hasPrefix("./") { reference.removeFirst(2) }
            let parts = reference.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            guard let first = parts.first, isRelativeInside(reference) else {
                context.error(location, "input '\(ref.name)': '\(ref.reference)' must be a stage or a repository-relative path without '..'")
                continue
            }
            names.insert(ref.name)
            if stageNames.contains(first) {
                let path = parts.count > 1 ? parts.dropFirst().joined(separator: "/") : nil
                bindings.append(InputBinding(name: ref.name, source: .stage(first, path: path)))
            } else if fileExists(reference) {
                bindings.append(InputBinding(name: ref.name, source: .file(reference)))
            } else {
                let hint = Suggestion.closest(to: first, among: stageNames).map { "; did you mean stage '\($0)'?" } ?? ""
                context.error(location, "input '\(ref.name)': no stage '\(first)' and no repository file '\(reference)'\(hint)")
            }
        }
        let readStages = Set(bindings.compactMap(\.source.stageName))
        for (i, need) in stage.needs.enumerated() {
            let location = stage.location(of: "needs.\(i)")
            guard stageNames.contains(need) else {
                context.error(location, "stage '\(stage.name)' needs unknown stage '\(need)'"
                              + Suggestion.hint(for: need, among: stageNames))
                continue
            }
            guard !readStages.contains(need) else { continue }
            if stage.needs[..<i].contains(need) {
                context.warning(location, "stage '\(need)' is listed twice in 'needs'")
                continue
            }
            guard names.insert(need).inserted else {
                context.error(location, "needs '\(need)' clashes with the input of the same name; read it through 'inputs' instead")
                continue
            }
            bindings.append(InputBinding(name: need, source: .stage(need, path: nil)))
        }
        return bindings
    }

    /// Replaces `${name}` strings (whole value, also inside lists and maps) by front-matter params.
    private func substitute(_ value: ParamValue, documentParams: [String: ParamValue], at location: SourceLocation,
                            context: inout ValidationContext) -> ParamValue {
        switch value {
        case let .string(s) where s.hasPrefix("${") && s.hasSuffix("}") && s.count > 3:
            let name = String(s.dropFirst(2).dropLast())
            guard let replacement = documentParams[name] else {
                context.error(location, "'\(s)' refers to no front-matter param"
                              + Suggestion.hint(for: name, among: documentParams.keys))
                return value
            }
            return replacement
        case let .array(items):
            return .array(items.map { substitute($0, documentParams: documentParams, at: location, context: &context) })
        case let .object(entries):
            return .object(entries.mapValues { substitute($0, documentParams: documentParams, at: location, context: &context) })
        default:
            return value
        }
    }

    private func isRelativeInside(_ path: String) -> Bool {
        !path.hasPrefix("/") && !path.isEmpty && !path.split(separator: "/").contains("..")
    }

    private func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        }
    }
}
