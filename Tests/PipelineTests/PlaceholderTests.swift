import XCTest
@testable import Pipeline

// Replaced by the target's real suite.
final class PipelinePlaceholderTests: XCTestCase {
    func testModuleLinks() { XCTAssertEqual(1, 1) }
}
