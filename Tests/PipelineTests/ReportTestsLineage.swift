import Foundation
import XCTest
import ArtifactStore
import Provenance
@testable import Pipeline

/// `nasbook lineage` output over the fixture ledger.
final class ReportTestsLineage: XCTestCase {
    func testUpstreamTextShowsOpParamsDigestsCommitsAndTimes() throws {
        let f = try ReportFixture()
        let resolved = try f.resolver.resolve("demo:plot")
        let text = LineageRendering.text(try f.ledger.lineage(of: resolved.digest), label: "demo:plot")
        let run1 = f.run1.short, run2 = f.run2.short
        XCTAssertEqual(text, """
        demo:plot  \(f.plotOut)
            sh v1  params {}
            demo@\(run2):plot  2023-11-14T22:13:32.000Z  executed
            <- train  \(f.trainOut)
                text.concat v1  params {}
                demo@\(run1):train  2023-11-14T22:13:23.500Z  executed
                also produced by: demo@\(run2):train
                <- ingest  \(f.ingestOut)
                    text.write v1  params {"text":"hi"}
                    demo@\(run1):ingest  2023-11-14T22:13:21.000Z  executed
                    also produced by: demo@\(run2):ingest
                    <- raw  \(f.raw)
                        source (no recorded stage produced it)

        """)
    }

    func testUpstreamJSONIsNested() throws {
        let f = try ReportFixture()
        let data = try LineageRendering.json(try f.ledger.lineage(of: f.trainOut))
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(root["digest"] as? String, f.trainOut.description)
        let producer = try XCTUnwrap(root["producer"] as? [String: Any])
        XCTAssertEqual(producer["commit"] as? String, f.run1.hex)
        XCTAssertEqual(producer["op"] as? String, "text.concat")
        XCTAssertEqual(producer["outcome"] as? String, "executed")
        let inputs = try XCTUnwrap(root["inputs"] as? [[String: Any]])
        XCTAssertEqual(inputs.first?["name"] as? String, "ingest")
        let ingest = try XCTUnwrap(inputs.first?["node"] as? [String: Any])
        XCTAssertEqual((ingest["producer"] as? [String: Any])?["params"] as? [String: String], ["text": "hi"])
    }

    func testDownstreamListsEverythingDerivedAndFoldsRepeats() throws {
        let f = try ReportFixture()
        let nodes = try f.ledger.downstream(of: f.raw)
        let text = LineageRendering.text(downstream: nodes, root: f.raw, label: "raw")
        let run1 = f.run1.short, run2 = f.run2.short
        XCTAssertEqual(text, """
        raw  \(f.raw)
            -> demo@\(run2):ingest (as raw)  2023-11-14T22:13:30.000Z  cached from demo@\(run1):ingest
                 text.write v1  params {"text":"hi"}
                 output \(f.ingestOut)
                 same in 1 earlier run(s)
                 -> demo@\(run2):train (as ingest)  2023-11-14T22:13:30.000Z  cached from demo@\(run1):train
                      text.concat v1  params {}
                      output \(f.trainOut)
                      same in 1 earlier run(s)
                      -> demo@\(run2):plot (as train)  2023-11-14T22:13:32.000Z  executed
                           sh v1  params {}
                           output \(f.plotOut)
                      -> demo@\(run1):plot (as train)  2023-11-14T22:13:24.000Z  failed: exit <1>
                           sh v1  params {}
                           output none

        """)
        let json = try JSONSerialization.jsonObject(with: LineageRendering.json(downstream: nodes, root: f.raw))
        XCTAssertEqual((json as? [String: Any])?["digest"] as? String, f.raw.description)
    }

    func testNothingDownstreamOfAFinalOutput() throws {
        let f = try ReportFixture()
        let text = LineageRendering.text(downstream: try f.ledger.downstream(of: f.plotOut), root: f.plotOut, label: "p")
        XCTAssertEqual(text, "p  \(f.plotOut)\n    nothing recorded reads it\n")
    }
}
