import Foundation
import XCTest
@testable import NAS

/// Exploration of NB101 ensemble members at 424 (or NASBOOK_BENCH_SIZES) training cells:
/// every member's test scores are standardised exactly as `RankEnsemble` does (mean and sd of
/// its training-row scores) and combinations are averaged here, so many combinations cost one
/// set of CNN fits. The CNN members' standardised scores are cached in
/// `/tmp/nasbook-member-cache` (a cache of deterministic values; deleting it changes nothing
/// but the time). Release builds only, skipped unless NASBOOK_BENCH=1. Final figures of a
/// chosen combination come from `RankEnsemble` itself (`PredictorBenchmarks`).
final class PredictorMemberCombinations: XCTestCase {
    #if !DEBUG
    override func setUpWithError() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["NASBOOK_BENCH"] == "1", "set NASBOOK_BENCH=1")
    }

    /// Standardised test scores of `predictor` fitted on the split with `seed`.
    func memberScores(_ predictor: any RankPredictor, _ x: FeatureMatrix, _ labels: [Double],
                      _ split: TrainTestSplit, seed: UInt64, cacheKey: String?) throws -> [Double] {
        let dir = URL(fileURLWithPath: "/tmp/nasbook-member-cache")
        let file = cacheKey.map { dir.appendingPathComponent($0 + ".bin") }
        if let file, let data = try? Data(contentsOf: file), data.count == split.test.count * 8 {
            return data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        }
        var p = predictor
        let train = x.selecting(rows: split.train)
        try p.fit(features: train, labels: split.train.map { labels[$0] }, seed: seed)
        let s = try p.predict(features: train)
        let mean = s.reduce(0, +) / Double(s.count)
        let sd = (s.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(s.count)).squareRoot()
        let z = try p.predict(features: x.selecting(rows: split.test)).map { ($0 - mean) / (sd > 0 ? sd : 1) }
        if let file {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try z.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: file)
        }
        return z
    }

    func testNB101MemberCombinations() throws {
        let table = try TestData.nb101Table.get()
        let cells = table.records.map(\.cell)
        let labels = table.records.map(\.validationAccuracy108)
        let renas = NB101ReNASEncoding().encode(cells), flat = NB101FlatEncoding().encode(cells)
        let path = NB101PathEncoding().encode(cells), stats = NB101CellStatistics().encode(cells)
        // NASBOOK_BENCH_MEMBERS / NASBOOK_BENCH_COMBOS select members and combinations
        // (`;`-separated lists of `+`-joined member keys); selection only.
        let only = (ProcessInfo.processInfo.environment["NASBOOK_BENCH_MEMBERS"] ?? "").split(separator: ",").map(String.init)
        let x: [String: FeatureMatrix] = [
            "renas": renas, "flat": flat, "flat+path": try flat.concatenating(columnsOf: path),
            "flat+stats": try flat.concatenating(columnsOf: stats), "stats": stats,
            "path+stats": try path.concatenating(columnsOf: stats),
            "flat+path+stats": try flat.concatenating(columnsOf: path).concatenating(columnsOf: stats),
        ]
        // (key, predictor, encoding, member position for the seed offset, cached)
        let members: [(String, any RankPredictor, String, UInt64)] = [
            ("cnn0", ReNASPredictor.nb101(), "renas", 0), ("cnn1", ReNASPredictor.nb101(), "renas", 1),
            ("cnn2", ReNASPredictor.nb101(), "renas", 2),
            ("kr-flat", KernelRidge(), "flat", 3), ("r-flatpath", RidgeRegression(), "flat+path", 4),
            ("kr-flatstats", KernelRidge(), "flat+stats", 3), ("r-flatpathstats", RidgeRegression(), "flat+path+stats", 4),
            ("kr-flatpathstats", KernelRidge(), "flat+path+stats", 5), ("kr-stats", KernelRidge(), "stats", 5),
            ("r-stats", RidgeRegression(), "stats", 5), ("kr-pathstats", KernelRidge(), "path+stats", 5),
            ("kr-flat@rank", RankLabelPredictor(KernelRidge()), "flat", 3),
            ("r-flatpath@rank", RankLabelPredictor(RidgeRegression()), "flat+path", 4),
            ("kr-flatstats@rank", RankLabelPredictor(KernelRidge()), "flat+stats", 3),
            ("r-flatpathstats@rank", RankLabelPredictor(RidgeRegression()), "flat+path+stats", 4),
            ("kr-flatpathstats@rank", RankLabelPredictor(KernelRidge()), "flat+path+stats", 5),
            ("kr-pathstats@rank", RankLabelPredictor(KernelRidge()), "path+stats", 5),
            ("kr-stats@rank", RankLabelPredictor(KernelRidge()), "stats", 5),
        ].filter { only.isEmpty || only.contains($0.0) }
        let combos: [[String]] = ProcessInfo.processInfo.environment["NASBOOK_BENCH_COMBOS"].map {
            $0.split(separator: ";").map { $0.split(separator: "+").map(String.init) }
        } ?? [
            ["kr-flat"], ["kr-flatstats"], ["r-flatpathstats"], ["kr-flatpathstats"], ["kr-stats"], ["r-stats"],
            ["kr-pathstats"],
            ["cnn0", "cnn1", "cnn2", "kr-flat", "r-flatpath"],
            ["cnn0", "cnn1", "cnn2", "kr-flatstats", "r-flatpathstats"],
            ["cnn0", "cnn1", "cnn2", "kr-flatstats", "r-flatpathstats", "kr-flatpathstats"],
            ["cnn0", "cnn1", "cnn2", "kr-flatstats", "r-flatpathstats", "kr-pathstats"],
            ["cnn0", "cnn1", "cnn2", "kr-flatpathstats", "r-flatpathstats"],
            ["cnn0", "kr-flatstats", "r-flatpathstats"],
        ]
        let sizes = (ProcessInfo.processInfo.environment["NASBOOK_BENCH_SIZES"] ?? "424").split(separator: ",").compactMap { Int($0) }
        for size in sizes {
            var scores: [String: [[Double]]] = [:]
            var splits: [TrainTestSplit] = []
            for seed in UInt64(0)...4 {
                let split = try TrainTestSplit(count: labels.count, trainSize: size, seed: seed)
                splits.append(split)
                for (key, predictor, encoding, position) in members {
                    let start = Date()
                    let z = try memberScores(predictor, x[encoding]!, labels, split, seed: seed &+ position,
                                             cacheKey: key.hasPrefix("cnn") ? "\(key)-n\(size)-s\(seed)" : nil)
                    scores[key, default: []].append(z)
                    let tau = try kendallTau(z, split.test.map { labels[$0] }) ?? .nan
                    print(String(format: "|   size %d seed %d | %@ | τ %.4f | %.1f s |", size, Int(seed), key, tau,
                                 Date().timeIntervalSince(start)))
                }
            }
            print("## NB-101 member combinations, \(size) training cells")
            print("| members | τ mean ± sd | per seed | ρ mean | top-10 percentile mean |")
            for combo in combos {
                var taus: [Double] = [], rhos: [Double] = [], pct: [Double] = []
                for (s, split) in splits.enumerated() {
                    var total = [Double](repeating: 0, count: split.test.count)
                    for key in combo { for (i, v) in scores[key]![s].enumerated() { total[i] += v / Double(combo.count) } }
                    let y = split.test.map { labels[$0] }
                    taus.append(try kendallTau(total, y) ?? .nan)
                    rhos.append(try spearmanRho(total, y) ?? .nan)
                    let top = total.indices.sorted { total[$0] > total[$1] }.prefix(10).map { y[$0] }.max()!
                    pct.append(100 * Double(labels.filter { $0 <= top }.count) / Double(labels.count))
                }
                let mean = taus.reduce(0, +) / 5
                let sd = (taus.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4).squareRoot()
                print(String(format: "| %@ | %.3f ± %.3f | %@ | %.3f | %.2f |", combo.joined(separator: "+"), mean, sd,
                             taus.map { String(format: "%.4f", $0) }.joined(separator: ", "),
                             rhos.reduce(0, +) / 5, pct.reduce(0, +) / 5))
            }
        }
    }
    #endif
}
