import XCTest
@testable import Pipeline

/// The sample document shipped in `pipelines/` must stay valid.
final class QuickstartTests: XCTestCase {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func testQuickstartValidatesWithoutWarnings() throws {
        let url = Self.repositoryRoot.appendingPathComponent("pipelines/quickstart.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        let result = PipelineValidator(registry: .builtins, repositoryRoot: Self.repositoryRoot)
            .check(text, path: "pipelines/quickstart.md")
        XCTAssertEqual(result.diagnostics.map(\.description), [])
        let pipeline = try XCTUnwrap(result.pipeline)
        XCTAssertEqual(pipeline.document.title, "Quickstart")
        XCTAssertEqual(pipeline.orderedStages.map(\.name), ["greet", "farewell", "count", "combined", "stats"])
        XCTAssertEqual(pipeline.stage(named: "greet")?.params["text"], "hello literate pipelines")
    }
}
