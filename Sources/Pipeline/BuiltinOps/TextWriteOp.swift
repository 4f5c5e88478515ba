import Foundation

/// `text.write`: writes a parameter's text to a file — the simplest source stage.
public struct TextWriteOp: Op {
    /// A `text.write` op.
    public init() {}

    /// Schema: `text` (required), `file`, `repeat`.
    public var descriptor: OpDescriptor {
        OpDescriptor(
            name: "text.write", version: 1, summary: "write the given text to a file",
            params: [
                ParamSpec("text", .string, doc: "text to write (a newline is appended)"),
                ParamSpec("file", .string, default: "out.txt", doc: "output file name"),
                ParamSpec("repeat", .int, default: 1, range: 1...10_000, doc: "number of copies of the line"),
            ])
    }

    /// Writes `repeat` lines of `text` to `file`.
    public func run(_ context: OpContext) async throws -> OpResult {
        let name = descriptor.name
        guard let text = try context.param("text", op: name).stringValue,
              let file = try context.param("file", op: name).stringValue,
              let count = try context.param("repeat", op: name).intValue else {
            throw PipelineError.opFailed(op: name, reason: "parameters have unexpected types")
        }
        try context.checkCancellation()
        let url = try BuiltinOps.outputFile(file, in: context.outputDirectory, op: name)
        let body = String(repeating: text + "\n", count: count)
        try Data(body.utf8).write(to: url)
        return OpResult(outputDirectory: context.outputDirectory, metrics: ["lines": Double(count)])
    }
}
