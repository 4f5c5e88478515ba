import XCTest
@testable import ArtifactStore

// Replaced by the target's real suite.
final class ArtifactStorePlaceholderTests: XCTestCase {
    func testModuleLinks() { XCTAssertEqual(1, 1) }
}
