import Foundation
import NASStages
import Pipeline
import XCTest

/// The quickstart and the shipped ReNAS documents validate against the `nasbook` registry, as
/// written and in their quick variant.
final class RenasPipelineTests: XCTestCase {
    private let validator = PipelineValidator(registry: .nasbook, repositoryRoot: OpHarness.repositoryRoot)

    private func check(_ name: String, overrides: [String] = [], preset: String? = nil) throws -> ValidationResult {
        let path = "pipelines/\(name)"
        return try validator.check(fileAt: OpHarness.repositoryRoot.appendingPathComponent(path), displayPath: path,
                                   overrides: overrides.map(ParamOverride.parse), preset: preset)
    }

    func testDocumentsValidateWithoutDiagnostics() throws {
        for name in ["quickstart.md", "renas-nb101.md", "renas-nb201.md"] {
            let result = try check(name)
            XCTAssertEqual(result.diagnostics.map(\.description), [], name)
            XCTAssertNotNil(result.pipeline, name)
        }
    }

    func testSmokePresetValidatesAndReachesTheSweep() throws {
        XCTAssertEqual(try check("renas-nb101.md", preset: "smoke").diagnostics.map(\.description), [])
        let result = try check("renas-nb201.md", preset: "smoke")
        XCTAssertEqual(result.diagnostics.map(\.description), [])
        let sweep = try XCTUnwrap(result.pipeline?.stages.first { $0.name == "sweep" })
        XCTAssertEqual(sweep.params["epochs"]?.intValue, 5)
        XCTAssertEqual(sweep.params["seeds"]?.intValue, 2)
        XCTAssertEqual(sweep.params["size_count"]?.intValue, 2)
        XCTAssertEqual(sweep.params["sizes"]?.listValue?.compactMap(\.intValue), [78, 156, 469, 781, 1563])
    }

    func testBadOverrideIsReported() throws {
        let result = try check("renas-nb101.md", overrides: ["seeds=0"])
        XCTAssertTrue(result.diagnostics.contains { $0.description.contains("'seeds' = 0 is outside 1...1000") },
                      "\(result.diagnostics)")
        XCTAssertNil(result.pipeline)
    }
}
