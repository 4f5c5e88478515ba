import XCTest
@testable import Pipeline

final class BuiltinOpsTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-ops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    private func directory(_ name: String) throws -> URL {
        let url = scratch.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Parameters as validation would produce them for `op` and `with`.
    private func params(_ op: any Op, _ with: [String: ParamValue]) -> [String: ParamValue] {
        var out = with
        for spec in op.descriptor.params where out[spec.name] == nil { out[spec.name] = spec.defaultValue }
        return out
    }

    func testRegistryHasBuiltinsAndSuggests() {
        let registry = OpRegistry.builtins
        XCTAssertEqual(registry.names, ["text.concat", "text.stats", "text.write"])
        XCTAssertNotNil(registry.lookup("text.write"))
        XCTAssertNil(registry.lookup("text.wirte"))
        XCTAssertEqual(registry.suggestion(for: "text.wirte"), "text.write")
    }

    func testWriteConcatStatsChain() async throws {
        let write = TextWriteOp(), concat = TextConcatOp(), stats = TextStatsOp()
        let a = try directory("a"), b = try directory("b"), c = try directory("c"), d = try directory("d")
        _ = try await write.run(OpContext(stage: "a", inputs: [:], params: params(write, ["text": "hi", "repeat": 2]),
                                          outputDirectory: a))
        XCTAssertEqual(try String(contentsOf: a.appendingPathComponent("out.txt"), encoding: .utf8), "hi\nhi\n")
        _ = try await write.run(OpContext(stage: "b", inputs: [:],
                                          params: params(write, ["text": "yo there", "file": "sub/x.txt"]),
                                          outputDirectory: b))
        let joined = try await concat.run(OpContext(stage: "c", inputs: ["z": a, "y": b],
                                                    params: params(concat, ["separator": "|"]), outputDirectory: c))
        XCTAssertEqual(joined.metrics["files"], 2)
        // Inputs in name order (y before z), whatever order the dictionary holds them in.
        XCTAssertEqual(try String(contentsOf: c.appendingPathComponent("out.txt"), encoding: .utf8), "yo there\n|hi\nhi\n")
        let result = try await stats.run(OpContext(stage: "d", inputs: ["text": c], params: params(stats, [:]),
                                                   outputDirectory: d))
        XCTAssertEqual(result.metrics, ["lines": 3, "words": 4, "bytes": 16])
        XCTAssertEqual(try String(contentsOf: d.appendingPathComponent("stats.json"), encoding: .utf8),
                       "{\"bytes\":16,\"lines\":3,\"words\":4}\n")
        XCTAssertEqual(result.tables.first?.rows, [["3", "4", "16"]])
    }

    func testOpsRejectEscapingPathsAndHonourCancellation() async throws {
        let write = TextWriteOp()
        let out = try directory("o")
        do {
            _ = try await write.run(OpContext(stage: "s", inputs: [:], params: params(write, ["text": "x", "file": "../x"]),
                                              outputDirectory: out))
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual("\(error)", "op 'text.write' failed: output file '../x' must be a relative path inside the output")
        }
        do {
            _ = try await write.run(OpContext(stage: "s", inputs: [:], params: params(write, ["text": "x"]),
                                              outputDirectory: out, isCancelled: { true }))
            XCTFail("expected cancellation")
        } catch {
            XCTAssertTrue(error is CancellationError)
        }
        do {
            _ = try await TextStatsOp().run(OpContext(stage: "s", inputs: [:], params: ["file": "s.json"],
                                                      outputDirectory: out))
            XCTFail("expected a missing-input error")
        } catch {
            XCTAssertEqual("\(error)", "op 'text.stats': input 'text' was not supplied")
        }
    }
}

final class OpHelpTests: XCTestCase {
    func testHelpTextListsParamsConstraintsAndInputs() {
        XCTAssertEqual(TextWriteOp().descriptor.helpText, """
        text.write (v1): write the given text to a file
          text: string (required) — text to write (a newline is appended)
          file: string = "out.txt" — output file name
          repeat: int = 1, in 1...10000 — number of copies of the line

        """)
        XCTAssertTrue(TextStatsOp().descriptor.helpText.contains("  input text — a file or directory of text files\n"))
        XCTAssertTrue(TextConcatOp().descriptor.helpText.hasSuffix("  inputs: any names\n"))
        let spec = ParamSpec("space", .string, default: "nb201", allowed: ["nb101", "nb201"], doc: "space")
        let op = OpDescriptor(name: "x", version: 2, summary: "s", params: [spec])
        XCTAssertEqual(op.helpText, "x (v2): s\n  space: string = \"nb201\", one of \"nb101\", \"nb201\" — space\n")
    }
}
