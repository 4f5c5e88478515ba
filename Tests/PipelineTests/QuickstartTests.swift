import XCTest
@testable import Pipeline

/// The sample document shipped in `pipelines/` must stay valid.
final class QuickstartTests: XCTestCase {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func testTextDemoValidatesWithoutWarnings() throws {
        let url = Self.repositoryRoot.appendingPathComponent("pipelines/text-demo.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let result = PipelineValidator(registry: .builtins, repositoryRoot: Self.repositoryRoot)
            .check(text, path: "pipelines/text-demo.md")
        XCTAssertEqual(result.diagnostics.map(\.description), [])
        let pipeline = try XCTUnwrap(result.pipeline)
        XCTAssertEqual(pipeline.document.title, "Text demo")
        XCTAssertEqual(pipeline.orderedStages.map(\.name), ["greet", "farewell", "count", "combined", "stats"])
        XCTAssertEqual(pipeline.stage(named: "greet")?.params["text"], "hello literate pipelines")
    }

    func testFormatDocumentExampleParsesCleanly() throws {
        let doc = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("docs/pipeline-format.md"),
                             encoding: .utf8)
        let start = try XCTUnwrap(doc.range(of: "````markdown\n"))
        let end = try XCTUnwrap(doc.range(of: "\n````", range: start.upperBound..<doc.endIndex))
        let example = String(doc[start.upperBound..<end.lowerBound])
        let (parsed, diagnostics) = DocumentParser.parse(example, path: "example.md")
        XCTAssertEqual(diagnostics.map(\.description), [])
        XCTAssertEqual(parsed.stages.map(\.name), ["ingest", "sample", "train", "plot"])
        XCTAssertEqual(parsed.params, ["train_size": 424, "space": "nb201"])
    }
}
