import Foundation
import NAS
@testable import NASStages
import Pipeline
import XCTest

/// `population.sample` with table strata: the input, its errors, and the spread it buys.
final class PopulationSampleOpTests: XCTestCase {
    private let table = OpHarness.repositoryRoot.appendingPathComponent("data/nb201/nb201-12ep-3datasets.csv.zst")

    private func cells(_ url: URL) throws -> [NB201Cell] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { try NB201Cell(string: String($0)) }
    }

    func testTableStrataSpreadTheSampleOverTheTableAccuracy() async throws {
        let harness = try OpHarness()
        let (result, out) = try await harness.run(PopulationSampleOp(), inputs: ["table": table]) {
            $0.params["population"] = .int(20)
            $0.params["heldout"] = .int(30)
            $0.params["calibration"] = .int(10)
            $0.params["stratify"] = .string("cifar100-12ep")
            $0.params["bins"] = .int(10)
        }
        let population = try cells(out.appendingPathComponent("population.txt"))
        let heldOut = try cells(out.appendingPathComponent("heldout.txt"))
        let calibration = try cells(out.appendingPathComponent("calibration.txt"))
        XCTAssertEqual([population.count, heldOut.count, calibration.count], [20, 30, 10])
        XCTAssertTrue(Set(population).isDisjoint(with: heldOut))
        XCTAssertTrue(Set(calibration).isDisjoint(with: Set(population).union(heldOut)))
        // Every bin is non-empty in the space, so 30 held-out draws put exactly 3 in each bin.
        let bins = try XCTUnwrap(result.tables.first { $0.title.hasPrefix("Cells per score bin") })
        XCTAssertEqual(bins.rows.count, 10)
        XCTAssertEqual(bins.rows.map { $0[2] }, Array(repeating: "3", count: 10))
        XCTAssertEqual(bins.rows.map { Int($0[1])! }.reduce(0, +), 20)
        // The same seed with structural strata draws other cells.
        let (_, structural) = try await harness.run(PopulationSampleOp(), inputs: ["table": table])
        XCTAssertNotEqual(try cells(structural.appendingPathComponent("heldout.txt")), heldOut)
    }

    func testTableStrataNeedAValidTable() async throws {
        let harness = try OpHarness()
        await assertThrows("stratify 'cifar100-12ep' needs the `table` input") {
            _ = try await harness.run(PopulationSampleOp()) { $0.params["stratify"] = .string("cifar100-12ep") }
        }
        let header = "arch,cellstr,cifar10-test,cifar10-val,cifar100-test,cifar100-val,imagenet-test,imagenet-val\n"
        let short = try harness.file("short.csv", header
            + "0,|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|,1,2,3,4,5,6\n")
        await assertThrows("table:1: bad header: table has no row for arch 1") {
            _ = try await harness.run(PopulationSampleOp(), inputs: ["table": short]) { $0.params["stratify"] = .string("imagenet16-12ep") }
        }
        let broken = try harness.file("broken.csv", header + "0,|not a cell|,1,2,3,4,5,6\n")
        await assertThrows("table:2") {
            _ = try await harness.run(PopulationSampleOp(), inputs: ["table": broken]) { $0.params["stratify"] = .string("cifar10-12ep") }
        }
    }
}
