import Foundation
import XCTest
import ArtifactStore
@testable import Provenance

final class LineageTests: XCTestCase {
    private var store: URL!

    override func setUpWithError() throws { store = try Fixture.store() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: store) }

    func testLineageWalksThreeLevelsAcrossRuns() throws {
        let ledger = try Ledger(storeRoot: store)
        let raw = Fixture.digest("raw"), split = Fixture.digest("split"), model = Fixture.digest("model")
        let score = Fixture.digest("score"), labels = Fixture.digest("labels")
        let first = try ledger.commitRun(pipeline: "nas", records: [
            Fixture.record(pipeline: "nas", stage: "split", op: "data.split", params: ["frac": 0.8],
                           inputs: ["raw": raw], output: split, ended: 1_000),
        ], document: Data(), message: "split")
        let second = try ledger.commitRun(pipeline: "nas", records: [
            Fixture.record(pipeline: "nas", stage: "train", op: "nas.train", params: ["epochs": 3],
                           inputs: ["data": split], output: model, ended: 2_000),
            Fixture.record(pipeline: "nas", stage: "eval", op: "nas.eval",
                           inputs: ["model": model, "labels": labels, "data": split], output: score, ended: 3_000),
        ], document: Data(), message: "train+eval")

        let root = try ledger.lineage(of: score)
        XCTAssertEqual(root.digest, score)
        XCTAssertEqual(root.op, "nas.eval")
        XCTAssertEqual(root.producer?.location, RecordLocation(pipeline: "nas", commit: second, stage: "eval"))
        XCTAssertEqual(root.inputs.map(\.name), ["data", "labels", "model"])
        let modelNode = root.inputs[2].node
        XCTAssertEqual(modelNode.op, "nas.train")
        XCTAssertEqual(modelNode.producer?.record.params, ["epochs": 3])
        let splitNode = modelNode.inputs[0].node
        XCTAssertEqual(splitNode.digest, split)
        XCTAssertEqual(splitNode.op, "data.split")
        XCTAssertEqual(splitNode.producer?.location.commit, first)
        XCTAssertEqual(splitNode.time, Timestamp(millisecondsSince1970: 1_000))
        let rawNode = splitNode.inputs[0].node
        XCTAssertEqual(rawNode.digest, raw)
        XCTAssertNil(rawNode.producer, "raw is a source artifact")
        XCTAssertEqual(rawNode.inputs, [])
        XCTAssertNil(root.inputs[1].node.producer, "labels is a source artifact")
        // The shared `split` ancestor appears under both paths, identically.
        XCTAssertEqual(root.inputs[0].node, splitNode)

        XCTAssertEqual(try ledger.consumers(of: split).map(\.stage), ["eval", "train"])
    }

    func testLineagePrefersExecutedProducerOverCacheReuse() throws {
        let ledger = try Ledger(storeRoot: store)
        let out = Fixture.digest("out")
        let exec = try ledger.commitRun(pipeline: "p", records: [Fixture.record(pipeline: "p", stage: "s", output: out, ended: 1_000)],
                                        document: Data(), message: "exec")
        let reuse = try ledger.commitRun(pipeline: "p", records: [
            Fixture.record(pipeline: "p", stage: "s", output: out,
                           outcome: .cached(from: RecordLocation(pipeline: "p", commit: exec, stage: "s")), ended: 2_000),
        ], document: Data(), message: "reuse")
        let node = try ledger.lineage(of: out)
        XCTAssertEqual(node.producer?.location.commit, exec)
        XCTAssertEqual(node.otherProducers.map(\.commit), [reuse])
    }

    func testLineageStopsAtCycles() throws {
        // Real runs cannot make cycles (outputs are content hashes of later data),
        // but hand-made or corrupt records can; the walk must still end.
        let ledger = try Ledger(storeRoot: store)
        let a = Fixture.digest("a"), b = Fixture.digest("b")
        try ledger.commitRun(pipeline: "p", records: [
            Fixture.record(pipeline: "p", stage: "ab", inputs: ["in": a], output: b),
            Fixture.record(pipeline: "p", stage: "ba", inputs: ["in": b], output: a),
        ], document: Data(), message: "cycle")
        let node = try ledger.lineage(of: b)
        XCTAssertEqual(node.inputs[0].node.digest, a)
        let back = node.inputs[0].node.inputs[0].node
        XCTAssertEqual(back.digest, b)
        XCTAssertEqual(back.stop, .cycle)
        XCTAssertEqual(back.inputs, [])
    }

    func testLineageDepthLimit() throws {
        let ledger = try Ledger(storeRoot: store)
        var records: [RunRecord] = []
        for i in 0..<5 {
            records.append(Fixture.record(pipeline: "chain", stage: "s\(i)", inputs: ["in": Fixture.digest("c\(i)")],
                                          output: Fixture.digest("c\(i + 1)")))
        }
        try ledger.commitRun(pipeline: "chain", records: records, document: Data(), message: "chain")
        var node = try ledger.lineage(of: Fixture.digest("c5"), maxDepth: 2)
        var depth = 0
        while let next = node.inputs.first?.node { node = next; depth += 1 }
        XCTAssertEqual(depth, 2)
        XCTAssertEqual(node.stop, .depthLimit)
        XCTAssertNotNil(node.producer)
    }
}
