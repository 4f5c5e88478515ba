import Numerics
import XCTest
@testable import NAS

final class SamplerTests: XCTestCase {
    func testNB201MutationsChangeExactlyOneEdge() throws {
        let cell = try NB201Cell(canonicalIndex: 1234)
        let mutants = cell.mutations
        XCTAssertEqual(mutants.count, 24, "6 edges × 4 other ops")
        XCTAssertEqual(Set(mutants).count, 24)
        for mutant in mutants {
            XCTAssertEqual(zip(cell.ops, mutant.ops).filter { $0 != $1 }.count, 1, "\(mutant)")
            XCTAssertTrue(mutant.mutations.contains(cell), "the relation is symmetric")
        }
    }

    func testNB201SpaceNeighbourhoodsAreThe24Mutants() throws {
        let space = try SearchSpaceGraph.nb201(encoding: NB201FlatEncoding())
        XCTAssertEqual(space.count, 15_625)
        XCTAssertEqual(space.features.columns, 30)
        for i in [0, 777, 15_624] {
            XCTAssertEqual(space.neighbours[i].map { space.cells[$0] }.sorted { $0.canonicalIndex < $1.canonicalIndex },
                           space.cells[i].mutations.sorted { $0.canonicalIndex < $1.canonicalIndex })
        }
    }

    func testNB101MutationsAreOneEditAndValid() throws {
        // input → conv3x3 → output plus the skip edge input → output.
        let cell = try NB101Cell(matrix: [[0, 1, 1], [0, 0, 1], [0, 0, 0]], ops: [.input, .conv3x3, .output])
        let mutants = Set(cell.mutations.map(\.fingerprint))
        let chain = try NB101Cell(matrix: [[0, 1, 0], [0, 0, 1], [0, 0, 0]], ops: [.input, .conv3x3, .output])
        let relabelled = try NB101Cell(matrix: [[0, 1, 1], [0, 0, 1], [0, 0, 0]], ops: [.input, .maxpool3x3, .output])
        let skipOnly = try NB101Cell(matrix: [[0, 0, 1], [0, 0, 1], [0, 0, 0]], ops: [.input, .conv3x3, .output])
        let twoEdits = try NB101Cell(matrix: [[0, 1, 0], [0, 0, 1], [0, 0, 0]], ops: [.input, .conv1x1, .output])
        XCTAssertTrue(mutants.contains(chain.fingerprint), "drop the skip edge")
        XCTAssertTrue(mutants.contains(relabelled.fingerprint), "relabel the interior vertex")
        XCTAssertTrue(mutants.contains(skipOnly.fingerprint), "drop input→conv: the vertex is pruned")
        XCTAssertFalse(mutants.contains(twoEdits.fingerprint))
        // 3 edge flips (one of them, removing 1→2, prunes to the skip-only cell too) + 2 relabels.
        XCTAssertEqual(cell.mutations.count, 5)
    }

    func testNB101TableSpaceKeepsOnlyNeighboursInTheTable() throws {
        let table = try TestData.nb101Table.get()
        // A small sub-table: 100 rows plus every table cell one mutation away from the first 20
        // (found through the table's own fingerprint index), so some neighbourhoods are non-empty.
        var cells = Array(table.records.prefix(100).map(\.cell))
        var seen = Set(cells.map(\.fingerprint))
        for cell in cells.prefix(20) {
            for mutant in cell.mutations {
                if let row = table.record(for: mutant), seen.insert(row.hash).inserted { cells.append(row.cell) }
            }
        }
        let space = try SearchSpaceGraph.nb101(cells: cells, encoding: NB101FlatEncoding())
        let byFingerprint = Dictionary(uniqueKeysWithValues: cells.enumerated().map { ($1.fingerprint, $0) })
        for i in 0..<cells.count {
            let expected = Set(cells[i].mutations.compactMap { byFingerprint[$0.fingerprint] }).subtracting([i])
            XCTAssertEqual(Set(space.neighbours[i]), expected, "cell \(i)")
        }
        XCTAssertGreaterThan(space.neighbours.prefix(20).map(\.count).reduce(0, +), 0)
        XCTAssertThrowsError(try SearchSpaceGraph.nb101(cells: [cells[0], cells[0]], encoding: NB101FlatEncoding()))
    }

    func testEveryMethodFindsTheOptimumOfASmallSpace() throws {
        let space = try SyntheticSpace.space(bits: 6)
        let oracle = try SyntheticSpace.oracle(bits: 6)
        // Subsets of 24: a random subset must contain the optimum at least once to find it.
        for method in SyntheticSpace.methods(budget: 40, subset: 24) {
            for seed in 0..<3 {
                let trace = try method.run(space: space, oracle: oracle, seed: UInt64(seed))
                XCTAssertNotNil(trace.queriesToReach([SyntheticSpace.optimum(bits: 6)]), "\(method.name) seed \(seed)")
            }
        }
        // Random search finds it for sure only when it may query everything.
        let exhaustive = try RandomSearch(budget: 64).run(space: space, oracle: oracle, seed: 0)
        XCTAssertEqual(Set(exhaustive.queried), Set(0..<64))
    }

    /// On a 1024-cell space (random search: 512.5 queries on average), the
    /// predictor-guided strategies need far fewer queries on every seed.
    func testPredictorGuidedSearchBeatsRandomExpectation() throws {
        let space = try SyntheticSpace.space(bits: 10)
        let oracle = try SyntheticSpace.oracle(bits: 10)
        for method in SyntheticSpace.methods(budget: 120, subset: 40).prefix(3) {
            let study = try MethodStudy(method: method, space: space, oracle: oracle, seeds: [0, 1, 2, 3, 4])
            let queries = study.queriesToReach(try SearchTarget(cells: [1023], spaceSize: 1024, definition: "optimum"))
            XCTAssertLessThanOrEqual(SampleEfficiency.median(queries), 120, "\(method.name): \(queries)")
        }
    }

    func testSubsetStrategiesScoreAtMostTheirSize() throws {
        let space = try SyntheticSpace.space(bits: 8)
        let oracle = try SyntheticSpace.oracle(bits: 8)
        let methods = SyntheticSpace.methods(budget: 60, subset: 20)
        let full = try methods[0].run(space: space, oracle: oracle, seed: 1)
        XCTAssertEqual(full.maxScoredPerIteration, 256)
        for method in methods[1...2] {
            let trace = try method.run(space: space, oracle: oracle, seed: 1)
            XCTAssertEqual(trace.scoredPerIteration.count, (60 - 8 + 3) / 4, method.name)
            XCTAssertEqual(Set(trace.scoredPerIteration), [20], "\(method.name) spends exactly its size")
        }
    }

    func testRunsAreDeterministicPerSeed() throws {
        let space = try SyntheticSpace.space(bits: 8)
        let oracle = try SyntheticSpace.oracle(bits: 8)
        for method in SyntheticSpace.methods(budget: 40, subset: 16) + [.random(RandomSearch(budget: 40))] {
            let a = try method.run(space: space, oracle: oracle, seed: 7)
            let b = try method.run(space: space, oracle: oracle, seed: 7)
            let c = try method.run(space: space, oracle: oracle, seed: 8)
            XCTAssertEqual(a, b, method.name)
            XCTAssertNotEqual(a.queried, c.queried, method.name)
        }
    }

    func testRankLabelsShareTiesAndSpanZeroToOne() {
        XCTAssertEqual(LabelTransform.rank.apply([3, 1, 2, 2]), [1, 0, 0.5, 0.5])
        XCTAssertEqual(LabelTransform.rank.apply([10, 90.5, 91.6]), [0, 0.5, 1], "a 10 % outlier is just the lowest rank")
        XCTAssertEqual(LabelTransform.identity.apply([3, 1]), [3, 1])
    }

    func testBadSettingsThrow() throws {
        let space = try SyntheticSpace.space(bits: 4)
        let oracle = try SyntheticSpace.oracle(bits: 4)
        let make: @Sendable () -> any RankPredictor = { RidgeRegression(penalty: .fixed(0.1)) }
        XCTAssertThrowsError(try RandomSearch(budget: 17).run(space: space, oracle: oracle, seed: 0))
        XCTAssertThrowsError(try PredictorGuidedSearch(budget: 8, initialSize: 1, batchSize: 2, strategy: .fullAccess,
                                                       makePredictor: make).run(space: space, oracle: oracle, seed: 0))
        XCTAssertThrowsError(try PredictorGuidedSearch(budget: 8, initialSize: 4, batchSize: 2,
                                                       strategy: .smartSubset(SmartSubset(size: 0)), makePredictor: make)
            .run(space: space, oracle: oracle, seed: 0))
        XCTAssertThrowsError(try RegularizedEvolution(budget: 8, populationSize: 2, sampleSize: 3)
            .run(space: space, oracle: oracle, seed: 0))
        XCTAssertThrowsError(try SearchSpaceGraph(name: "bad", cells: [0, 1], features: space.features, neighbours: [[1], [0]]))
    }
}
