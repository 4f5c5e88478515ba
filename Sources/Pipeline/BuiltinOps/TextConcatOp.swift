import Foundation

/// `text.concat`: concatenates every file of every input into one file.
public struct TextConcatOp: Op {
    /// A `text.concat` op.
    public init() {}

    /// Schema: any inputs; `file`, `separator`.
    public var descriptor: OpDescriptor {
        OpDescriptor(
            name: "text.concat", version: 1,
            summary: "concatenate all files of all inputs (inputs by name, files by path)",
            params: [
                ParamSpec("file", .string, default: "out.txt", doc: "output file name"),
                ParamSpec("separator", .string, default: "", doc: "text written between two files"),
            ],
            inputs: [], acceptsExtraInputs: true)
    }

    /// Inputs are taken in sorted name order and files in sorted path order so
    /// the output is a function of the content alone.
    public func run(_ context: OpContext) async throws -> OpResult {
        let name = descriptor.name
        guard let file = try context.param("file", op: name).stringValue,
              let separator = try context.param("separator", op: name).stringValue else {
            throw PipelineError.opFailed(op: name, reason: "parameters have unexpected types")
        }
        var output = Data()
        var count = 0
        for inputName in context.inputs.keys.sorted() {
            for url in try BuiltinOps.files(under: context.inputs[inputName]!) {
                try context.checkCancellation()
                if count > 0 { output.append(Data(separator.utf8)) }
                output.append(try Data(contentsOf: url))
                count += 1
            }
        }
        let url = try BuiltinOps.outputFile(file, in: context.outputDirectory, op: name)
        try output.write(to: url)
        return OpResult(outputDirectory: context.outputDirectory, metrics: ["files": Double(count)])
    }
}
