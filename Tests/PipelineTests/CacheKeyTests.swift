import XCTest
import ArtifactStore
@testable import Pipeline

final class CacheKeyTests: XCTestCase {
    static let a = Digest("sha256:" + String(repeating: "a", count: 64))!
    static let b = Digest("sha256:" + String(repeating: "b", count: 64))!
    static let c = Digest("sha256:" + String(repeating: "c", count: 64))!

    func testPinnedOpKey() throws {
        let stage = try XCTUnwrap(try Fixtures.pipeline(Fixtures.demo).stage(named: "joined"))
        let key = try CacheKey.make(stage: stage, inputDigests: ["hello": Self.a, "world": Self.b], environment: [:])
        XCTAssertEqual(key.record.text, """
        format: 1
        input.hello: sha256:\(Self.a.hex)
        input.world: sha256:\(Self.b.hex)
        kind: op
        op: text.concat
        op.version: 1
        param.file: "out.txt"
        param.separator: "--"

        """)
        // Pinned against `printf … | sha256sum` of the text above.
        XCTAssertEqual(key.description, "sha256:2f8df8eb70dec45ee27269fe0e606f827b391a4ebbb666fdd9753267e86813ae")
    }

    func testPinnedShellKeyIncludesCommandOutputsAndEnvValues() throws {
        let stage = try XCTUnwrap(try Fixtures.pipeline(Fixtures.demo).stage(named: "shout"))
        let key = try CacheKey.make(stage: stage, inputDigests: ["text": Self.c], environment: ["LANG": "C.UTF-8", "HOME": "/x"])
        XCTAssertEqual(key.description, "sha256:15639a391bfdadd0f5f634ccd3a2b474a51069a5f95d80a5f546142d0ec966f3")
        XCTAssertFalse(key.record.text.contains("HOME"), "undeclared variables must not enter the key")
        let other = try CacheKey.make(stage: stage, inputDigests: ["text": Self.c], environment: ["LANG": "C"])
        XCTAssertNotEqual(key, other)
        let unset = try CacheKey.make(stage: stage, inputDigests: ["text": Self.c], environment: [:])
        XCTAssertEqual(unset.record.fields["env.LANG"], "null")
    }

    func testMissingInputDigestThrows() throws {
        let stage = try XCTUnwrap(try Fixtures.pipeline(Fixtures.demo).stage(named: "joined"))
        XCTAssertThrowsError(try CacheKey.make(stage: stage, inputDigests: ["hello": Self.a], environment: [:])) {
            XCTAssertEqual("\($0)", "stage 'joined': no digest for input 'world'")
        }
    }

    func testProseEditsAndBlockReorderingKeepEveryKey() throws {
        let original = try Fixtures.pipeline(Fixtures.demo)
        // Different prose, different title, blocks in another order, stage name of the
        // shell stage unchanged: keys must not move.
        let changed = try Fixtures.pipeline(Fixtures.demoEdited)
        for stage in original.stages {
            let digests = Dictionary(uniqueKeysWithValues: stage.inputs.map { ($0.name, Self.a) })
            let before = try CacheKey.make(stage: stage, inputDigests: digests, environment: ["LANG": "C"])
            let after = try CacheKey.make(stage: XCTUnwrap(changed.stage(named: stage.name)), inputDigests: digests,
                                          environment: ["LANG": "C"])
            XCTAssertEqual(before, after, stage.name)
        }
    }

    func testRecordRoundTripAndQuotedNames() throws {
        let record = KeyRecord(fields: ["format": "1", KeyRecord.fieldName("param", "odd: name"): "1"])
        XCTAssertEqual(record.text, "format: 1\nparam.\"odd: name\": 1\n")
        XCTAssertEqual(try KeyRecord(parsing: record.text), record)
        XCTAssertThrowsError(try KeyRecord(parsing: "format 1\n"))
        XCTAssertThrowsError(try KeyRecord(parsing: "a: 1\na: 2\n"))
    }

    func testExplainDifferences() {
        let old = KeyRecord(fields: [
            "op": "nas.train", "op.version": "2", "param.train_size": "424", "param.space": "\"nb201\"",
            "input.ingest": "sha256:1", "input.gone": "sha256:2", "command": "\"a\"", "env.SEED": "\"1\"",
        ])
        let new = KeyRecord(fields: [
            "op": "nas.train", "op.version": "3", "param.train_size": "1000", "param.space": "\"nb201\"",
            "param.lr": "0.5", "input.ingest": "sha256:3", "command": "\"b\"", "env.SEED": "\"2\"",
        ])
        XCTAssertEqual(KeyRecord.explainDifferences(from: old, to: new), [
            "command changed",
            "env SEED 1 → 2",
            "input gone removed",
            "input ingest changed",
            "op version 2 → 3",
            "param lr added (0.5)",
            "param train_size 424 → 1000",
        ])
        XCTAssertEqual(KeyRecord.explainDifferences(from: old, to: old), [])
    }
}
