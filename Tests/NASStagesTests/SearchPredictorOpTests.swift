import Foundation
import NAS
@testable import NASStages
import Pipeline
import Provenance
import XCTest

/// `search.predictor` on the shipped NAS-Bench-201 table with a small budget.
final class SearchPredictorOpTests: XCTestCase {
    private static let tableURL = OpHarness.repositoryRoot.appendingPathComponent(BenchmarkFormat.nb201.repositoryTable)

    private func run(_ harness: OpHarness, strategies: [String] = ["full", "smart-subset", "random-search"],
                     extra: [String: ParamValue] = [:]) async throws -> (OpResult, URL) {
        try await harness.run(SearchPredictorOp(), inputs: ["table": Self.tableURL]) {
            $0.params["strategies"] = .array(strategies.map { .string($0) })
            $0.params["budget"] = .int(40)
            $0.params["n0"] = .int(10)
            $0.params["k"] = .int(10)
            $0.params["seeds"] = .int(2)
            $0.params["predictor"] = .string("ridge")
            $0.params["encoding"] = .string("flat")
            $0.params["bootstrap"] = .int(50)
            for (name, value) in extra { $0.params[name] = value }
        }
    }

    func testMetricsAgreeWithTheLibraryAndAreDeterministic() async throws {
        let harness = try OpHarness()
        let (result, out) = try await run(harness)
        let data = try Data(contentsOf: out.appendingPathComponent("metrics.json"))
        let metrics = try JSONDecoder().decode(SamplingStudyReport.Metrics.self, from: data)
        XCTAssertEqual(metrics.cells, 15_625)
        XCTAssertEqual(metrics.meanNeighbours, 24)
        XCTAssertEqual(metrics.reported, "test")
        XCTAssertEqual(metrics.targetCells.count, 8)
        XCTAssertEqual(metrics.expectedRandomQueries, 15_626.0 / 9, accuracy: 1e-9)
        XCTAssertEqual(Set(metrics.strategies.keys), ["full", "smart-subset", "random-search"])
        XCTAssertEqual(metrics.seeds, [0, 1])

        // The same smart-subset runs through the library directly.
        let table = try NB201Table.load(path: Self.tableURL.path)
        let space = try SearchSpaceGraph.nb201(encoding: NB201FlatEncoding())
        let search = PredictorGuidedSearch(budget: 40, initialSize: 10, batchSize: 10,
                                           strategy: .smartSubset(SmartSubset(size: 156, parents: 3, randomShare: 0.1)),
                                           labels: .rank, makePredictor: { RidgeRegression() })
        let study = try MethodStudy(method: .predictorGuided(search), space: space, oracle: try TableOracle.nb201(table),
                                    seeds: [0, 1])
        let target = try SearchTarget(cells: Set(metrics.targetCells), spaceSize: 15_625, definition: "")
        let smart = try XCTUnwrap(metrics.strategies["smart-subset"])
        XCTAssertEqual(smart.queriesToTarget, study.queriesToReach(target))
        XCTAssertEqual(smart.maxScoredPerIteration, 156, "1 % of 15,625 cells")
        XCTAssertEqual(smart.meanFinalBest, study.meanBestSoFar.last!, accuracy: 1e-12)
        XCTAssertEqual(metrics.strategies["full"]?.maxScoredPerIteration, 15_625)
        XCTAssertEqual(metrics.strategies["random-search"]?.maxScoredPerIteration, 0)

        let runs = try String(contentsOf: out.appendingPathComponent("runs.csv"), encoding: .utf8)
        XCTAssertEqual(runs.split(separator: "\n").count, 1 + 3 * 2)
        let curves = try String(contentsOf: out.appendingPathComponent("curves.csv"), encoding: .utf8)
        XCTAssertEqual(curves.split(separator: "\n").count, 1 + 40)
        XCTAssertEqual(result.figures.count, 1)
        XCTAssertTrue(result.figures[0].svg.hasPrefix("<svg"))
        XCTAssertEqual(result.tables.map(\.rows.count), [1, 3])
        XCTAssertNotNil(result.metrics["smart-subset.gain"])

        let (_, again) = try await run(harness)
        for file in ["metrics.json", "runs.csv", "curves.csv", "best_so_far.svg"] {
            XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent(file)),
                           try Data(contentsOf: again.appendingPathComponent(file)), file)
        }
    }

    func testBadParametersFailTheStage() async throws {
        let harness = try OpHarness()
        await assertThrows("n0 = 40 leaves no query") {
            _ = try await self.run(harness, extra: ["n0": .int(40)])
        }
        await assertThrows("unknown strategy 'annealing'") {
            _ = try await self.run(harness, strategies: ["annealing"])
        }
        await assertThrows("tournament 30 exceeds population 20") {
            _ = try await self.run(harness, strategies: ["evolution"], extra: ["tournament": .int(30)])
        }
        await assertThrows("variant renas needs encoding renas") {
            _ = try await self.run(harness, extra: ["predictor": .string("renas")])
        }
    }
}
