import Foundation
import NASStages
import Pipeline
import XCTest

/// The shipped sampling documents validate against the `nasbook` registry, as
/// written and with the overrides their text suggests.
final class SamplingPipelineTests: XCTestCase {
    private let validator = PipelineValidator(registry: .nasbook, repositoryRoot: OpHarness.repositoryRoot)

    private func check(_ name: String, overrides: [String] = [], preset: String? = nil) throws -> ValidationResult {
        let path = "pipelines/\(name)"
        return try validator.check(fileAt: OpHarness.repositoryRoot.appendingPathComponent(path), displayPath: path,
                                   overrides: overrides.map(ParamOverride.parse), preset: preset)
    }

    func testSamplingDocumentsValidate() throws {
        for name in ["sampling-nb201.md", "sampling-nb101.md"] {
            let result = try check(name)
            XCTAssertEqual(result.diagnostics.map(\.description), [], name)
            let study = try XCTUnwrap(result.pipeline?.stages.first { $0.name == "study" }, name)
            XCTAssertEqual(study.params["seeds"]?.intValue, 20, name)
            XCTAssertEqual(study.params["budget"]?.intValue, 300, name)
            XCTAssertEqual(study.params["space"]?.stringValue, name.contains("nb101") ? "nb101" : "nb201")
        }
    }

    func testQuickPresetAndSingleStrategyOverrides() throws {
        for name in ["sampling-nb201.md", "sampling-nb101.md"] {
            let result = try check(name, overrides: ["only=smart-subset"], preset: "quick")
            XCTAssertEqual(result.diagnostics.map(\.description), [], name)
            let study = try XCTUnwrap(result.pipeline?.stages.first { $0.name == "study" }, name)
            XCTAssertEqual(study.params["seeds"]?.intValue, 3, name)
            XCTAssertEqual(study.params["budget"]?.intValue, 150, name)
            XCTAssertEqual(study.params["only"]?.stringValue, "smart-subset", name)
        }
        let bad = try check("sampling-nb201.md", overrides: ["predictor=lasso"])
        XCTAssertFalse(bad.diagnostics.isEmpty)
    }
}
