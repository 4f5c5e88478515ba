import Foundation
import XCTest
import ArtifactStore
@testable import Provenance

final class RunRecordTests: XCTestCase {
    /// A record with every field set, including nested params and a cached outcome.
    private func sample() -> RunRecord {
        RunRecord(
            pipeline: "nb201", stage: "train", op: "nas.train", opVersion: 3,
            params: ["lr": 0.1, "epochs": 12, "tags": ["a", "b/c"], "opt": ["name": "sgd", "nesterov": true],
                     "seed": nil],
            inputs: ["split": Fixture.digest("split"), "arch": Fixture.digest("arch")],
            output: Fixture.digest("model"), cacheKey: Fixture.digest("key"), keyRecord: "op=nas.train\nv=3\n",
            started: Timestamp(millisecondsSince1970: 1_700_000_000_123),
            ended: Timestamp(millisecondsSince1970: 1_700_000_004_567),
            host: "box", toolVersion: "0.1.0",
            outcome: .cached(from: RecordLocation(pipeline: "nb201", commit: CommitID(String(repeating: "ab", count: 20))!,
                                                  stage: "train")))
    }

    /// The exact stored text: sorted keys at every level, compact, unescaped '/',
    /// digests as `sha256:` strings (values checked with `printf %s arch | sha256sum`),
    /// times as ISO-8601 UTC with milliseconds (1700000000 s = 2023-11-14T22:13:20Z).
    func testCanonicalJSONIsPinned() throws {
        let expected = #"{"cacheKey":"sha256:2c70e12b7a0646f92279f427c7b38e7334d8e5389cff167a1dc30e73f826b683","#
            + #""ended":"2023-11-14T22:13:24.567Z","host":"box","#
            + #""inputs":{"arch":"sha256:890cabe271136403326f8252c59cfdd47160fa63fe7a37801d3bffc1dbbf03f3","#
            + #""split":"sha256:ad1a64057f9ab34fecfe3f4ee78660bb0316dbda9370581ffbeb1e8bddf3d598"},"#
            + #""keyRecord":"op=nas.train\nv=3\n","op":"nas.train","opVersion":3,"#
            + #""outcome":{"from":{"commit":"abababababababababababababababababababab","pipeline":"nb201","stage":"train"},"status":"cached"},"#
            + #""output":"sha256:9372c470eeadd5ecd9c3c74c2b3cb633f8e2f2fad799250a0f70d652b6b825e4","#
            + #""params":{"epochs":12,"lr":0.1,"opt":{"name":"sgd","nesterov":true},"seed":null,"tags":["a","b/c"]},"#
            + #""pipeline":"nb201","stage":"train","started":"2023-11-14T22:13:20.123Z","toolVersion":"0.1.0"}"#
        XCTAssertEqual(try CanonicalJSON.string(sample()), expected)
    }

    func testRecordRoundTripsThroughJSONForEveryOutcome() throws {
        var record = sample()
        for outcome in [Outcome.executed, .failed(message: "boom: \"x\""), record.outcome] {
            record.outcome = outcome
            if case .failed = outcome { record.output = nil }
            let data = try record.canonicalJSON()
            let back = try CanonicalJSON.decode(RunRecord.self, from: data, what: "test")
            XCTAssertEqual(back, record)
            XCTAssertEqual(try back.canonicalJSON(), data, "re-encoding must give the same bytes")
        }
    }

    func testFailedRecordOmitsOutputAndEncodesMessage() throws {
        var record = sample()
        record.output = nil
        record.outcome = .failed(message: "out of memory")
        let text = try CanonicalJSON.string(record)
        XCTAssertFalse(text.contains("\"output\""))
        XCTAssertTrue(text.contains(#""outcome":{"message":"out of memory","status":"failed"}"#))
    }

    func testDictionaryInsertionOrderDoesNotChangeText() throws {
        var a = sample(), b = sample()
        a.params = ["x": 1, "y": 2, "z": ["q": 1, "p": 2]]
        var reordered: [String: ParamValue] = [:]
        reordered["z"] = ["p": 2, "q": 1]
        reordered["y"] = 2
        reordered["x"] = 1
        b.params = reordered
        XCTAssertEqual(try a.canonicalJSON(), try b.canonicalJSON())
    }

    func testParamNumbersFollowJSONSemantics() throws {
        // 2.0 and 2 are one JSON number: same text, equal, same hash; decoding gives .int.
        XCTAssertEqual(try CanonicalJSON.string(ParamValue.double(2.0)), "2")
        XCTAssertEqual(ParamValue.double(2.0), ParamValue.int(2))
        XCTAssertEqual(Set<ParamValue>([.double(2.0), .int(2)]).count, 1)
        XCTAssertNotEqual(ParamValue.double(2.5), ParamValue.int(2))
        let back = try JSONDecoder().decode(ParamValue.self, from: Data("[2.0,2.5,\"2\",false,null]".utf8))
        XCTAssertEqual(back, .array([.int(2), .double(2.5), .string("2"), .bool(false), .null]))
        if case .array(let items) = back, case .int = items[0] {} else { XCTFail("integral number must decode as .int") }
    }

    func testNonFiniteParameterIsAnEncodingError() {
        XCTAssertThrowsError(try CanonicalJSON.encode(ParamValue.double(.nan))) { error in
            guard case ProvenanceError.encodingFailed = error else { return XCTFail("got \(error)") }
        }
    }

    func testTimestampTextIsPinnedAndStrict() throws {
        XCTAssertEqual(Timestamp(millisecondsSince1970: 0).description, "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(Timestamp(millisecondsSince1970: 951_782_400_999).description, "2000-02-29T00:00:00.999Z")
        XCTAssertEqual(Timestamp(millisecondsSince1970: -1).description, "1969-12-31T23:59:59.999Z")
        for ms: Int64 in [0, -1, 951_782_400_999, 1_700_000_004_567, 4_102_444_800_000] {
            let t = Timestamp(millisecondsSince1970: ms)
            XCTAssertEqual(Timestamp(t.description), t)
        }
        XCTAssertNil(Timestamp("2023-02-29T00:00:00.000Z"), "not a leap year")
        XCTAssertNil(Timestamp("2023-11-14T22:13:20Z"), "fraction digits are required")
        XCTAssertNil(Timestamp("2023-11-14 22:13:20.000Z"))
        XCTAssertEqual(Timestamp(millisecondsSince1970: -1).secondsSince1970, -1)
    }

    func testCommitIDAcceptsOnlyFortyHexDigits() {
        XCTAssertNotNil(CommitID(String(repeating: "0a", count: 20)))
        XCTAssertNil(CommitID(String(repeating: "0A", count: 20)))
        XCTAssertNil(CommitID("abc"))
    }
}
