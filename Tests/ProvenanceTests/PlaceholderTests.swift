import XCTest
@testable import Provenance

// Replaced by the target's real suite.
final class ProvenancePlaceholderTests: XCTestCase {
    func testModuleLinks() { XCTAssertEqual(1, 1) }
}
