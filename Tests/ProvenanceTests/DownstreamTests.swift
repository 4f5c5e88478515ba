import Foundation
import XCTest
import ArtifactStore
@testable import Provenance

final class DownstreamTests: XCTestCase {
    private var store: URL!

    override func setUpWithError() throws { store = try Fixture.store() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: store) }

    func testWalksConsumersRecursivelyAcrossPipelines() throws {
        let ledger = try Ledger(storeRoot: store)
        let raw = Fixture.digest("raw"), split = Fixture.digest("split"), model = Fixture.digest("model")
        let score = Fixture.digest("score"), other = Fixture.digest("other")
        let first = try ledger.commitRun(pipeline: "nas", records: [
            Fixture.record(pipeline: "nas", stage: "split", inputs: ["raw": raw], output: split, ended: 1_000),
            Fixture.record(pipeline: "nas", stage: "train", inputs: ["data": split], output: model, ended: 2_000),
            Fixture.record(pipeline: "nas", stage: "eval", inputs: ["model": model, "data": split], output: score,
                           ended: 3_000),
        ], document: Data(), message: "one")
        let elsewhere = try ledger.commitRun(pipeline: "audit", records: [
            Fixture.record(pipeline: "audit", stage: "reuse", inputs: ["in": raw, "again": raw], output: other,
                           ended: 4_000),
        ], document: Data(), message: "two")

        let nodes = try ledger.downstream(of: raw)
        XCTAssertEqual(nodes.map(\.consumer.location), [
            RecordLocation(pipeline: "audit", commit: elsewhere, stage: "reuse"),
            RecordLocation(pipeline: "nas", commit: first, stage: "split"),
        ])
        XCTAssertEqual(nodes[0].inputNames, ["again", "in"])
        XCTAssertEqual(nodes[0].children, [])
        let split0 = nodes[1]
        XCTAssertEqual(split0.output, split)
        // `split` is read by eval and train; eval also reads train's model, so it appears twice.
        XCTAssertEqual(split0.children.map(\.consumer.location.stage), ["eval", "train"])
        XCTAssertEqual(split0.children[0].inputNames, ["data"])
        XCTAssertEqual(split0.children[1].children.map(\.consumer.location.stage), ["eval"])
        XCTAssertEqual(split0.children[1].children[0].inputNames, ["model"])
        XCTAssertEqual(try ledger.downstream(of: score), [])
    }

    func testRepeatedRunsFoldIntoOneNodeNewestFirst() throws {
        let ledger = try Ledger(storeRoot: store)
        let raw = Fixture.digest("raw"), out = Fixture.digest("out"), changed = Fixture.digest("changed")
        var commits: [CommitID] = []
        for i in 0..<3 {
            commits.append(try ledger.commitRun(pipeline: "p", records: [
                Fixture.record(pipeline: "p", stage: "s", inputs: ["raw": raw], output: out,
                               outcome: i == 0 ? .executed : .cached(from: RecordLocation(pipeline: "p", commit: commits[0], stage: "s")),
                               ended: 1_000 + Int64(i) * 1000),
            ], document: Data(), message: "run \(i)"))
        }
        let fourth = try ledger.commitRun(pipeline: "p", records: [
            Fixture.record(pipeline: "p", stage: "s", params: ["k": 2], inputs: ["raw": raw], output: changed,
                           ended: 9_000),
        ], document: Data(), message: "params changed")

        let nodes = try ledger.downstream(of: raw)
        XCTAssertEqual(nodes.count, 2, "one node per distinct output")
        XCTAssertEqual(nodes[0].consumer.location.commit, fourth, "newest first")
        XCTAssertEqual(nodes[0].repeats, [])
        XCTAssertEqual(nodes[1].consumer.location.commit, commits[2])
        XCTAssertEqual(nodes[1].repeats.map(\.commit), [commits[1], commits[0]])
    }

    func testCyclesAndDepthLimitStopTheWalk() throws {
        let ledger = try Ledger(storeRoot: store)
        let a = Fixture.digest("a"), b = Fixture.digest("b")
        try ledger.commitRun(pipeline: "loop", records: [
            Fixture.record(pipeline: "loop", stage: "ab", inputs: ["x": a], output: b, ended: 1_000),
            Fixture.record(pipeline: "loop", stage: "ba", inputs: ["x": b], output: a, ended: 2_000),
        ], document: Data(), message: "hand-made cycle")
        let nodes = try ledger.downstream(of: a)
        XCTAssertEqual(nodes.map(\.consumer.location.stage), ["ab"])
        XCTAssertEqual(nodes[0].children.map(\.consumer.location.stage), ["ba"])
        XCTAssertEqual(nodes[0].children[0].stop, .cycle)
        XCTAssertEqual(nodes[0].children[0].children, [])

        let shallow = try ledger.downstream(of: a, maxDepth: 1)
        XCTAssertEqual(shallow[0].stop, .depthLimit)
        XCTAssertEqual(shallow[0].children, [])
    }
}
