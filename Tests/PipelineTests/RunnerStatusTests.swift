import Foundation
import XCTest
import ArtifactStore
import Provenance
@testable import Pipeline

/// `status`: up to date, or will run and why, from the ledger alone.
final class RunnerStatusTests: XCTestCase {
    private var fixture: RunnerFixture!

    override func setUpWithError() throws { fixture = try RunnerFixture() }
    override func tearDown() { fixture.remove() }

    private func status(_ text: String, overrides: [String] = []) throws -> [String: StageStatus] {
        let statuses = try fixture.runner().status(of: try fixture.validate(text, overrides: overrides), name: "p")
        return Dictionary(uniqueKeysWithValues: statuses.map { ($0.stage, $0) })
    }

    func testNeverRunThenUpToDate() async throws {
        XCTAssertEqual(try status(diamond)["a"]?.reasons, ["never run"])
        XCTAssertEqual(try status(diamond)["d"]?.reasons, ["never run", "upstream b will run", "upstream c will run"])
        try await fixture.run(diamond)
        let after = try status(diamond)
        XCTAssertTrue(after.values.allSatisfy { $0.state == .upToDate })
        XCTAssertEqual(fixture.counter.total, 4, "status executes nothing")
    }

    func testReasonsNameTheChangedParamAndUpstream() async throws {
        try await fixture.run(diamond)
        let changed = try status(diamond, overrides: ["b.value=B2"])
        XCTAssertEqual(changed["a"]?.state, .upToDate)
        XCTAssertEqual(changed["c"]?.state, .upToDate)
        XCTAssertEqual(changed["b"]?.reasons, ["param value B → B2"])
        XCTAssertEqual(changed["d"]?.reasons, ["upstream b will run"])
    }

    func testChangedRepositoryFileIsAnInputChange() async throws {
        try fixture.writeRepoFile("in.txt", "1")
        let text = """
            ```stage read
            op: test.count
            inputs:
              data: in.txt
            ```
            """
        try await fixture.run(text)
        XCTAssertEqual(try status(text)["read"]?.state, .upToDate)
        try fixture.writeRepoFile("in.txt", "2")
        XCTAssertEqual(try status(text)["read"]?.reasons, ["input data changed"])
    }

    func testFailedStageSaysSo() async throws {
        fixture.counter.setFailing(["c"])
        try await fixture.run(diamond)
        XCTAssertEqual(try status(diamond)["c"]?.reasons, ["failed last time: op 'test.count' failed: asked to fail"])
    }
}
