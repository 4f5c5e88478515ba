import XCTest
@testable import Pipeline

final class ParamTests: XCTestCase {
    func testCanonicalJSONIsSortedAndTyped() {
        let value: ParamValue = .map(["b": .list([1, 2.5, "x\n\"y\""]), "a": .null, "c": .bool(false), "d": 1.0])
        XCTAssertEqual(value.canonicalJSON, #"{"a":null,"b":[1,2.5,"x\n\"y\""],"c":false,"d":1.0}"#)
        XCTAssertEqual(ParamValue.double(1e-5).canonicalJSON, "1e-05")
        XCTAssertEqual(ParamValue.double(.infinity).canonicalJSON, "\"+inf\"")
        XCTAssertEqual(ParamValue.string("\u{01}").canonicalJSON, "\"\\u0001\"")
    }

    func testCodableRoundTripOfStructuredValues() throws {
        let value: ParamValue = .map(["l": .list(["a", true, .null]), "n": 3, "x": 2.5])
        let data = try JSONEncoder().encode(value)
        XCTAssertEqual(try JSONDecoder().decode(ParamValue.self, from: data), value)
    }

    func testParamSpecWidensIntsAndChecksConstraints() {
        let lr = ParamSpec("lr", .double, default: 0.1, range: 0...1, doc: "learning rate")
        XCTAssertEqual(try lr.validate(1).get(), .double(1))
        XCTAssertEqual(try lr.validate(0.5).get(), .double(0.5))
        XCTAssertThrowsError(try lr.validate(2).get()) { error in
            XCTAssertEqual((error as? PipelineError)?.description, "parameter 'lr' = 2 is outside 0...1")
        }
        XCTAssertThrowsError(try lr.validate("fast").get()) { error in
            XCTAssertEqual((error as? PipelineError)?.description, "parameter 'lr' expects double, found string \"fast\"")
        }
        let space = ParamSpec("space", .string, allowed: ["nb101", "nb201"], doc: "search space")
        XCTAssertTrue(space.isRequired)
        XCTAssertThrowsError(try space.validate("nb301").get()) { error in
            XCTAssertEqual((error as? PipelineError)?.description,
                           "parameter 'space' = \"nb301\" is not one of \"nb101\", \"nb201\"")
        }
        let sizes = ParamSpec("sizes", .list(.int), default: .list([]), range: 1...100, doc: "sizes")
        XCTAssertEqual(try sizes.validate([1, 2]).get(), .list([1, 2]))
        XCTAssertThrowsError(try sizes.validate([1, 200]).get())
        XCTAssertThrowsError(try sizes.validate([1, "a"]).get())
    }

    func testOverrideParsing() throws {
        let a = try ParamOverride.parse("train.lr=0.01")
        XCTAssertEqual(a.stage, "train")
        XCTAssertEqual(a.param, "lr")
        XCTAssertEqual(a.value, .double(0.01))
        let b = try ParamOverride.parse("size=424")
        XCTAssertNil(b.stage)
        XCTAssertEqual(b.value, .int(424))
        XCTAssertEqual(try ParamOverride.parse("s.name=\"7\"").value, .string("7"))
        XCTAssertEqual(try ParamOverride.parse("s.flag=true").value, .bool(true))
        XCTAssertEqual(try ParamOverride.parse("s.text=a=b").value, .string("a=b"))
        XCTAssertThrowsError(try ParamOverride.parse("nothing")) { error in
            XCTAssertEqual("\(error)", "malformed override 'nothing': expected STAGE.PARAM=VALUE")
        }
        XCTAssertThrowsError(try ParamOverride.parse("s.=1"))
    }
}
