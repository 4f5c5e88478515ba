import NASStages
import Pipeline
import XCTest

/// Every NAS op has a well-formed schema and the `nasbook` registry holds them.
final class DescriptorTests: XCTestCase {
    func testEveryDescriptorIsWellFormed() {
        var names = Set<String>()
        for op in NASOps.all {
            let d = op.descriptor
            XCTAssertTrue(names.insert(d.name).inserted, "duplicate op \(d.name)")
            XCTAssertNotNil(d.name.range(of: #"^[a-z0-9]+\.[a-z_]+$"#, options: .regularExpression), d.name)
            XCTAssertGreaterThanOrEqual(d.version, 1, d.name)
            XCTAssertFalse(d.summary.isEmpty, d.name)
            XCTAssertEqual(Set(d.params.map(\.name)).count, d.params.count, "\(d.name): duplicate parameter")
            XCTAssertEqual(Set(d.inputs.map(\.name)).count, d.inputs.count, "\(d.name): duplicate input")
            for spec in d.params {
                XCTAssertFalse(spec.doc.isEmpty, "\(d.name).\(spec.name) has no doc")
                if let value = spec.defaultValue, case let .failure(error) = spec.validate(value) {
                    XCTFail("\(d.name).\(spec.name): default does not validate: \(error)")
                }
            }
            for input in d.inputs { XCTAssertFalse(input.doc.isEmpty, "\(d.name) input \(input.name) has no doc") }
        }
    }

    func testNasbookRegistryHoldsBuiltinsAndNASOps() {
        let registry = OpRegistry.nasbook
        let expected = Set(OpRegistry.builtins.names + NASOps.all.map(\.descriptor.name))
        XCTAssertEqual(Set(registry.names), expected)
        XCTAssertNotNil(registry.lookup("benchmark.load"))
        XCTAssertNotNil(registry.lookup("nb101.enumerate"))
        XCTAssertNotNil(registry.lookup("text.write"))
    }

    func testFormatRejectsUnknownValueAndRangeIsEnforced() {
        let load = BenchmarkLoadOp().descriptor
        guard case .failure = load.param("format")!.validate("nb301") else { return XCTFail("nb301 accepted") }
        guard case .failure = load.param("train_size")!.validate(-1) else { return XCTFail("negative size accepted") }
        let enumerate = NB101EnumerateOp().descriptor
        guard case .failure = enumerate.param("max_vertices")!.validate(8) else { return XCTFail("8 vertices accepted") }
    }
}
