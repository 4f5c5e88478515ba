import XCTest
@testable import NAS

// Replaced by the target's real suite.
final class NASPlaceholderTests: XCTestCase {
    func testModuleLinks() { XCTAssertEqual(1, 1) }
}
