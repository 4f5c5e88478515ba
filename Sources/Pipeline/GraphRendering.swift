import Foundation

/// Text and Graphviz renderings of a pipeline's DAG (`nasbook dag`, `--dot`).
extension ValidatedPipeline {
    /// One line per stage in execution order: name, op (or `sh`), and the
    /// upstream stages it reads, e.g. `train   nas.train   <- sample, data`.
    public func renderText() -> String {
        let ordered = orderedStages
        let nameWidth = ordered.map(\.name.count).max() ?? 0
        let kindWidth = ordered.map(\.kindLabel.count).max() ?? 0
        var out = ""
        for stage in ordered {
            var line = stage.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                + stage.kindLabel.padding(toLength: kindWidth, withPad: " ", startingAt: 0)
            let sources = stage.inputs.map { input -> String in
                let source = input.source.description
                return input.name == source ? source : "\(input.name)=\(source)"
            }
            if !sources.isEmpty { line += "  <- " + sources.joined(separator: ", ") }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    /// A Graphviz `digraph`: boxes for stages (labelled with their op), notes
    /// for repository files, edges labelled with input names.
    public func renderDot() -> String {
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        }
        func quote(_ s: String) -> String { "\"" + escape(s) + "\"" }
        var out = "digraph \(quote(document.title)) {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n"
        var files: [String] = []
        for stage in orderedStages {
            out += "  \(quote(stage.name)) [label=\"\(escape(stage.name))\\n\(escape(stage.kindLabel))\"];\n"
            for input in stage.inputs {
                if case let .file(path) = input.source, !files.contains(path) { files.append(path) }
            }
        }
        for path in files {
            out += "  \(quote("file:" + path)) [label=\(quote(path)), shape=note];\n"
        }
        for stage in orderedStages {
            for input in stage.inputs {
                let from: String
                switch input.source {
                case let .stage(name, _): from = name
                case let .file(path): from = "file:" + path
                }
                out += "  \(quote(from)) -> \(quote(stage.name)) [label=\(quote(input.name))];\n"
            }
        }
        return out + "}\n"
    }
}
