import XCTest
@testable import Pipeline

final class SuggestionTests: XCTestCase {
    func testEditDistanceCountsSwapsAsOneEdit() {
        XCTAssertEqual(Suggestion.editDistance("", "abc"), 3)
        XCTAssertEqual(Suggestion.editDistance("kitten", "sitting"), 3)
        XCTAssertEqual(Suggestion.editDistance("wiht", "with"), 1)
        XCTAssertEqual(Suggestion.editDistance("same", "same"), 0)
    }

    func testClosestIsDeterministicAndBounded() {
        XCTAssertEqual(Suggestion.closest(to: "text.wrte", among: ["text.write", "text.concat"]), "text.write")
        XCTAssertNil(Suggestion.closest(to: "zzz", among: ["text.write"]))
        // Equal distance: alphabetical first wins regardless of candidate order.
        XCTAssertEqual(Suggestion.closest(to: "ab", among: ["ac", "aa"]), "aa")
        XCTAssertEqual(Suggestion.closest(to: "ab", among: ["aa", "ac"]), "aa")
    }
}
