import Foundation
import NAS
import NASStages
import XCTest

/// `proxy.score` and `proxy.select` on a synthetic population (no dataset):
/// every method listed gets the values its selection needs, whatever the order.
final class ProxyScoreSelectOpsTests: XCTestCase {
    /// A population directory: 6 architectures of rising strength, 400
    /// training examples of which the middle ones separate strong from weak.
    private func population(_ harness: OpHarness) throws -> URL {
        let n = 400
        func learned(_ i: Int, _ k: Int, _ e: Int) -> Bool { i >= 300 || (i >= 100 && (i - 100) / 40 < k + e) }
        let runs: [ArchitectureRun] = (0..<6).map { (k: Int) -> ArchitectureRun in
            ArchitectureRun(cell: "a\(k)", seed: 0, testAccuracy: 0.5 + 0.05 * Double(k),
                            trainCorrect: (0..<2).map { e in (0..<n).map { learned($0, k, e) } },
                            trainLosses: Array(repeating: Array(repeating: 1, count: n), count: 2),
                            trainEntropy: Array(repeating: 0.5, count: n), testCorrect: [true, false], testMargins: [1, Float(k)],
                            trainSeconds: 0)
        }
        let dir = harness.scratch.appendingPathComponent("population")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try JSONEncoder().encode(runs).write(to: dir.appendingPathComponent("runs.json"))
        let labels: [String: Any] = ["train": (0..<n).map { $0 % 10 }, "test": [0, 1], "classes": 10]
        try JSONSerialization.data(withJSONObject: labels).write(to: dir.appendingPathComponent("labels.json"))
        return dir
    }

    func testStratifiedMethodsAfterTheirScorerStillGetTheirStrata() async throws {
        let harness = try OpHarness()
        let methods: [String] = ["ranking", "ranking-matched", "ranking-coverage", "random"]
        let (_, scores) = try await harness.run(ProxyScoreOp(), inputs: ["population": try population(harness)]) {
            $0.params["methods"] = .array(methods.map { .string($0) })
        }
        let (result, out) = try await harness.run(ProxySelectOp(), inputs: ["scores": scores]) {
            $0.params["methods"] = .array(methods.map { .string($0) })
            $0.params["ratios"] = .array([.double(0.1)])
            $0.params["seeds"] = .int(2)
            $0.params["class_balanced"] = .bool(false)
        }
        XCTAssertEqual(result.metrics["subsets"], 8)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("selections.json"))) as? [String: Any]
        let subsets = try XCTUnwrap(json?["subsets"] as? [[String: Any]])
        let byMethod = Dictionary(grouping: subsets, by: { $0["method"] as? String ?? "" })
        for method in methods { XCTAssertEqual(byMethod[method]?.first.flatMap { ($0["indices"] as? [Int])?.count }, 40, method) }
        // Top RI keeps only the discriminative middle; the matched proxy also easy
        // examples: the 100 learned by all fill quantile strata 8 and 9 and half of 7,
        // whose 4-example quota goes to the higher-RI examples beside them.
        let ranking = try XCTUnwrap(byMethod["ranking"]?.first?["indices"] as? [Int])
        let matched = try XCTUnwrap(byMethod["ranking-matched"]?.first?["indices"] as? [Int])
        XCTAssertTrue(ranking.allSatisfy { (100..<300).contains($0) }, "\(ranking)")
        XCTAssertEqual(matched.filter { $0 >= 300 }.count, 8)

        // Without the strata in the input, the stratified method says what is missing.
        let (_, plain) = try await harness.run(ProxyScoreOp(), inputs: ["population": try population(harness)]) {
            $0.params["methods"] = .array([.string("ranking")])
        }
        await assertThrows("no 'ease' values for ranking-matched") {
            _ = try await harness.run(ProxySelectOp(), inputs: ["scores": plain]) {
                $0.params["methods"] = .array([.string("ranking-matched")])
            }
        }
    }
}
