import Foundation
import XCTest
import ArtifactStore
import Provenance
@testable import Pipeline

/// What `nasbook show` prints for text, CSV, trees and binary files.
final class ReportTestsShow: XCTestCase {
    func testTextFileIsReturnedVerbatim() throws {
        let f = try ReportFixture()
        let resolved = try f.resolver.resolve("demo:train/model.txt")
        guard case .text(let text) = try ArtifactPreview.content(of: resolved.digest, in: f.store) else {
            return XCTFail("expected text")
        }
        XCTAssertEqual(text, "model weights\n")
    }

    func testTreeListingHasKindModeSizeDigestName() throws {
        let f = try ReportFixture()
        guard case .tree(let tree) = try ArtifactPreview.content(of: f.trainOut, in: f.store) else {
            return XCTFail("expected a tree")
        }
        let listing = ArtifactPreview.listing(tree).split(separator: "\n").map(String.init)
        XCTAssertEqual(listing.count, 2)
        let report = try XCTUnwrap(tree["_report"]), model = try XCTUnwrap(tree["model.txt"])
        let width = max(String(report.size).count, String(model.size).count)
        XCTAssertEqual(listing[0], "tree  755  \(String(report.size).leftPadded(to: width))  \(report.digest)  _report/")
        XCTAssertEqual(listing[1], "file  644  \(String(model.size).leftPadded(to: width))  \(model.digest)  model.txt")
        let json = try JSONSerialization.jsonObject(with: ArtifactPreview.listingJSON(tree)) as? [[String: Any]]
        XCTAssertEqual(json?.map { $0["name"] as? String }, ["_report", "model.txt"])
        XCTAssertEqual(json?[1]["size"] as? Int, 14)
        XCTAssertEqual(json?[1]["digest"] as? String, model.digest.description)
    }

    func testCSVAsJSONRows() throws {
        let f = try ReportFixture()
        let resolved = try f.resolver.resolve("demo:ingest/data.csv")
        guard case .text(let text) = try ArtifactPreview.content(of: resolved.digest, in: f.store) else {
            return XCTFail("expected text")
        }
        let rows = try JSONSerialization.jsonObject(with: ArtifactPreview.csvJSON(text)) as? [[String: String]]
        XCTAssertEqual(rows?.count, 30)
        XCTAssertEqual(rows?[3], ["arch": "a3", "accuracy": "0.03"])
    }

    func testBinaryIsDetected() throws {
        let store = MemoryBlobStore()
        let nul = try store.put(bytes: [0x41, 0x00, 0x42])
        let invalid = try store.put(bytes: [0xff, 0xfe, 0x41])
        for digest in [nul, invalid] {
            guard case .binary(let size) = try ArtifactPreview.content(of: digest, in: store) else {
                return XCTFail("expected binary")
            }
            XCTAssertEqual(size, 3)
        }
        XCTAssertEqual(ArtifactPreview.fileExtension("a/b.CSV"), "csv")
        XCTAssertEqual(ArtifactPreview.fileExtension(".hidden"), "")
    }

    func testCSVParserHandlesQuotesAndLineEndings() {
        let text = "a,b\r\n\"x, y\",\"he said \"\"hi\"\"\"\n\"multi\nline\",2\n\n"
        XCTAssertEqual(CSVText.parse(text), [["a", "b"], ["x, y", "he said \"hi\""], ["multi\nline", "2"]])
        XCTAssertEqual(CSVText.parse("1,2\n3,4\n5,6", limit: 2), [["1", "2"], ["3", "4"]])
        XCTAssertEqual(CSVText.parse("a\tb\n", separator: "\t"), [["a", "b"]])
        XCTAssertEqual(CSVText.parse(""), [])
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
