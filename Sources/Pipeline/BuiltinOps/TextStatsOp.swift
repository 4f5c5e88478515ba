import Foundation

/// `text.stats`: counts lines, words and bytes of one input, as metrics and a table.
public struct TextStatsOp: Op {
    /// A `text.stats` op.
    public init() {}

    /// Schema: input `text`; no parameters besides the output file.
    public var descriptor: OpDescriptor {
        OpDescriptor(
            name: "text.stats", version: 1, summary: "count lines, words and bytes of the input",
            params: [ParamSpec("file", .string, default: "stats.json", doc: "output JSON file name")],
            inputs: [InputSpec("text", doc: "a file or directory of text files")])
    }

    /// Writes `{"bytes":…,"lines":…,"words":…}` and returns the same numbers as metrics.
    public func run(_ context: OpContext) async throws -> OpResult {
        let name = descriptor.name
        guard let file = try context.param("file", op: name).stringValue else {
            throw PipelineError.opFailed(op: name, reason: "parameter 'file' must be a string")
        }
        var lines = 0, words = 0, bytes = 0
        for url in try BuiltinOps.files(under: try context.input("text", op: name)) {
            try context.checkCancellation()
            let data = try Data(contentsOf: url)
            bytes += data.count
            lines += data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            words += String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace).count
        }
        let metrics = ["bytes": Double(bytes), "lines": Double(lines), "words": Double(words)]
        let json = ParamValue.map(metrics.mapValues { .int(Int($0)) }).canonicalJSON + "\n"
        try Data(json.utf8).write(to: try BuiltinOps.outputFile(file, in: context.outputDirectory, op: name))
        let table = ReportTable(title: "text statistics", columns: ["lines", "words", "bytes"],
                                rows: [[String(lines), String(words), String(bytes)]])
        return OpResult(outputDirectory: context.outputDirectory, metrics: metrics, tables: [table])
    }
}
