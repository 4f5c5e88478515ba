import Foundation
import XCTest
@testable import NAS

/// Measurements for docs/methods/renas.md. Release builds only, and skipped
/// unless NASBOOK_BENCH=1 (the variable only un-skips; it changes no result).
/// Run with bench/predictors.sh. Prints tables, asserts nothing about time.
final class PredictorBenchmarks: XCTestCase {
    #if !DEBUG
    override func setUpWithError() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["NASBOOK_BENCH"] == "1", "set NASBOOK_BENCH=1")
    }

    /// One row per (predictor, encoding), τ as mean ± sd over seeds.
    func run(_ label: String, features: [String: FeatureMatrix], labels: [Double], trainSize: Int,
             variants: [(String, any RankPredictor)], seeds: ClosedRange<UInt64> = 0...4) throws {
        print("## \(label): \(labels.count) cells, \(trainSize) training, seeds \(seeds)")
        print("| encoding | predictor | Kendall τ | Spearman ρ | top-10 best percentile | fit s |")
        print("|---|---|---|---|---|---|")
        for (encoding, predictor) in variants {
            let x = try XCTUnwrap(features[encoding])
            var taus: [Double] = [], rhos: [Double] = [], percentiles: [Double] = [], fitTimes: [Double] = []
            for seed in seeds {
                let split = try TrainTestSplit(count: labels.count, trainSize: trainSize, seed: seed)
                let start = Date()
                let m = try evaluatePredictor(
                    predictor, trainFeatures: x.selecting(rows: split.train), trainLabels: split.train.map { labels[$0] },
                    testFeatures: x.selecting(rows: split.test), testLabels: split.test.map { labels[$0] }, seed: seed,
                    encodingName: encoding)
                fitTimes.append(Date().timeIntervalSince(start))
                taus.append(m.kendallTau ?? .nan)
                rhos.append(m.spearman ?? .nan)
                percentiles.append(m.topKBestPercentile)
                // Per-seed line, so a long run's partial results are visible (`|  ` prefix).
                print(String(format: "|   seed %d | %@ | %@ | τ %.4f | %.1f s |", Int(seed), encoding, predictor.name,
                             m.kendallTau ?? .nan, fitTimes.last!))
            }
            print("| \(encoding) | \(predictor.name) | \(summary(taus)) | \(summary(rhos)) | \(summary(percentiles, 2)) | \(summary(fitTimes, 1)) |")
        }
    }

    func summary(_ v: [Double], _ digits: Int = 3) -> String {
        let mean = v.reduce(0, +) / Double(v.count)
        let sd = (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(1, v.count - 1))).squareRoot()
        return String(format: "%.\(digits)f ± %.\(digits)f", mean, sd)
    }

    func testNB101Predictors() throws {
        let table = try TestData.nb101Table.get()
        let cells = table.records.map(\.cell)
        let flat = NB101FlatEncoding().encode(cells), path = NB101PathEncoding().encode(cells)
        let features = [
            "flat": flat, "path": path, "renas": NB101ReNASEncoding().encode(cells),
            "flat+path": try flat.concatenating(columnsOf: path),
        ]
        try run("NB-101 val_acc_108", features: features, labels: table.records.map(\.validationAccuracy108),
                trainSize: 424, variants: nb101Variants())
    }

    /// The best NB101 variants combined: ReNAS pairwise on the tensor plus
    /// kernel ridge on the flat encoding, equal-weight `RankEnsemble`.
    func testNB101Ensemble() throws {
        // NASBOOK_BENCH_ONLY=<encoding key> runs one variant (selection only, no result changes).
        let only = ProcessInfo.processInfo.environment["NASBOOK_BENCH_ONLY"] ?? ""
        let table = try TestData.nb101Table.get()
        let cells = table.records.map(\.cell)
        let renas = NB101ReNASEncoding(), flat = NB101FlatEncoding()
        let x = try renas.encode(cells).concatenating(columnsOf: flat.encode(cells))
        let ensemble = RankEnsemble([
            .init(ReNASPredictor.nb101(), columns: 0..<renas.featureCount),
            .init(KernelRidge(), columns: renas.featureCount..<(renas.featureCount + flat.featureCount)),
        ])
        let path = NB101PathEncoding()
        let widths = (renas.featureCount, flat.featureCount, path.featureCount)
        let xx = try x.concatenating(columnsOf: path.encode(cells))
        let three = RankEnsemble([
            .init(ReNASPredictor.nb101(), columns: 0..<widths.0),
            .init(KernelRidge(), columns: widths.0..<(widths.0 + widths.1)),
            .init(RidgeRegression(), columns: widths.0..<(widths.0 + widths.1 + widths.2)),
        ])
        try run("NB-101 val_acc_108 ensembles", features: ["renas+flat": x, "renas+flat+path": xx],
                labels: table.records.map(\.validationAccuracy108), trainSize: 424,
                variants: [("renas+flat", ensemble), ("renas+flat+path", three)].filter { only.isEmpty || only == $0.0 })
    }

    func testNB201Predictors() throws {
        let table = try TestData.nb201Table.get()
        let cells = table.records.map(\.cell)
        let flat = NB201FlatEncoding().encode(cells), path = NB201PathEncoding().encode(cells)
        let features = [
            "flat": flat, "path": path, "renas": NB201ReNASEncoding().encode(cells),
            "flat+path": try flat.concatenating(columnsOf: path),
        ]
        try run("NB-201 CIFAR-10 test_top1", features: features, labels: table.records.map(\.testAccuracy),
                trainSize: 469, variants: nb201Variants())
    }
    /// `NASBOOK_BENCH_ONLY=<key>` keeps only the variants whose key is listed
    /// (comma-separated); it selects rows, it changes no result.
    func selected<T>(_ variants: [(String, T)]) -> [(String, T)] {
        let only = (ProcessInfo.processInfo.environment["NASBOOK_BENCH_ONLY"] ?? "").split(separator: ",").map(String.init)
        return variants.filter { only.isEmpty || only.contains($0.0) }
    }

    /// NB101 features under every encoding key used below.
    func nb101Features() throws -> (features: [String: FeatureMatrix], labels: [Double], widths: [String: Int]) {
        let table = try TestData.nb101Table.get()
        let cells = table.records.map(\.cell)
        let renas = NB101ReNASEncoding().encode(cells), flat = NB101FlatEncoding().encode(cells)
        let path = NB101PathEncoding().encode(cells)
        let features = ["renas": renas, "renas+flat+path": try renas.concatenating(columnsOf: flat).concatenating(columnsOf: path)]
        return (features, table.records.map(\.validationAccuracy108),
                ["renas": renas.columns, "flat": flat.columns, "path": path.columns])
    }

    /// The pairwise loss against MSE at every training size up to 424 (issue 5).
    func testNB101PairwiseVersusMSE() throws {
        let (features, labels, _) = try nb101Features()
        let sizes = (ProcessInfo.processInfo.environment["NASBOOK_BENCH_SIZES"] ?? "50,100,200,424")
            .split(separator: ",").compactMap { Int($0) }
        for size in sizes {
            try run("NB-101 pairwise vs MSE", features: features, labels: labels, trainSize: size,
                    variants: selected([("renas", ReNASPredictor.nb101(loss: .pairwise)),
                                        ("renas", ReNASPredictor.nb101(loss: .mse))].map { ($0.0, $0.1 as any RankPredictor) }))
        }
    }

    /// Candidate NB101 improvements at 424 (or NASBOOK_BENCH_SIZES) training cells; keys
    /// select rows: cnn3 (three CNN seeds), mix (CNN + kernel ridge on flat + ridge on
    /// flat+path), cnn3-mix (`RankEnsemble.wide`: three CNN seeds + the two closed-form
    /// members; the `ensemble-wide` stage variant), stats-mix / stats-wide
    /// (`RankEnsemble.statistics` with 1 / 3 CNNs; stage variant `ensemble-stats` = stats-mix).
    func testNB101Improvements() throws {
        let (features, labels, w) = try nb101Features()
        let (r, f, p) = (w["renas"]!, w["flat"]!, w["path"]!)
        func cnn(_ n: Int) -> [RankEnsemble.Member] { (0..<n).map { _ in .init(ReNASPredictor.nb101(), columns: 0..<r) } }
        let closedForm: [RankEnsemble.Member] = [.init(KernelRidge(), columns: r..<(r + f)),
                                                 .init(RidgeRegression(), columns: r..<(r + f + p))]
        let variants: [(String, RankEnsemble)] = [
            ("cnn3", RankEnsemble(cnn(3))),
            ("mix", RankEnsemble(cnn(1) + closedForm)),
            ("cnn3-mix", RankEnsemble.wide(cnn: ReNASPredictor.nb101(), tensorWidth: r, flatWidth: f, pathWidth: p)),
        ]
        // Session 3: closed-form members on rank labels with the cell statistics
        // (`RankEnsemble.statistics`, stage variant `ensemble-stats`), with 1 or 3 CNNs.
        let s = NB101CellStatistics().featureCount
        let table = try TestData.nb101Table.get()
        let cells = table.records.map(\.cell)
        let statsX = try features["renas"]!.concatenating(columnsOf: NB101FlatEncoding().encode(cells))
            .concatenating(columnsOf: NB101CellStatistics().encode(cells)).concatenating(columnsOf: NB101PathEncoding().encode(cells))
        let statsVariants: [(String, RankEnsemble)] = [1, 3].map { n in
            (n == 1 ? "stats-mix" : "stats-wide",
             RankEnsemble.statistics(cnn: ReNASPredictor.nb101(), cnnCount: n, tensorWidth: r, flatWidth: f,
                                     statisticsWidth: s, pathWidth: p))
        }
        let sizes = (ProcessInfo.processInfo.environment["NASBOOK_BENCH_SIZES"] ?? "424").split(separator: ",").compactMap { Int($0) }
        for size in sizes {
            for (key, ensemble) in selected(variants) {
                try run("NB-101 improvements: \(key)", features: features, labels: labels, trainSize: size,
                        variants: [("renas+flat+path", ensemble)])
            }
            for (key, ensemble) in selected(statsVariants) {
                try run("NB-101 improvements: \(key)", features: ["renas+flat+stats+path": statsX], labels: labels,
                        trainSize: size, variants: [("renas+flat+stats+path", ensemble)])
            }
        }
    }

    /// Closed-form predictors with and without the cell statistics (`NB101CellStatistics`:
    /// log parameters, log FLOPs, op counts, depth, …) at 424 (or NASBOOK_BENCH_SIZES) cells.
    func testNB101Statistics() throws {
        let table = try TestData.nb101Table.get()
        let cells = table.records.map(\.cell)
        let flat = NB101FlatEncoding().encode(cells), path = NB101PathEncoding().encode(cells)
        let stats = NB101CellStatistics().encode(cells)
        let features = [
            "stats": stats, "flat": flat,
            "flat+stats": try flat.concatenating(columnsOf: stats),
            "flat+path+stats": try flat.concatenating(columnsOf: path).concatenating(columnsOf: stats),
        ]
        let variants: [(String, any RankPredictor)] = [
            ("stats", RidgeRegression()), ("stats", KernelRidge()),
            ("flat+stats", RidgeRegression()), ("flat+stats", KernelRidge()),
            ("flat+path+stats", RidgeRegression()), ("flat+path+stats", KernelRidge()),
        ]
        let sizes = (ProcessInfo.processInfo.environment["NASBOOK_BENCH_SIZES"] ?? "424").split(separator: ",").compactMap { Int($0) }
        for size in sizes {
            try run("NB-101 statistics", features: features, labels: table.records.map(\.validationAccuracy108),
                    trainSize: size, variants: selected(variants))
        }
    }

    /// Wall time of one 200-epoch ReNAS fit on 424 NB101 cells (split seed 0),
    /// repeated NASBOOK_BENCH_REPEAT times (default 1; repetition only).
    func testNB101ReNASFitTiming() throws {
        let table = try TestData.nb101Table.get()
        let split = try TrainTestSplit(count: table.records.count, trainSize: 424, seed: 0)
        let x = NB101ReNASEncoding().encode(split.train.map { table.records[$0].cell })
        let y = split.train.map { table.records[$0].validationAccuracy108 }
        for _ in 0..<repeats {
            var predictor = ReNASPredictor.nb101()
            let (start, cpu) = (Date(), cpuSeconds())
            try predictor.fit(features: x, labels: y, seed: 0)
            print(String(format: "| renas-pairwise NB101 | fit 424 cells × 200 epochs | %.1f s wall | %.1f s CPU | load %@ |",
                         Date().timeIntervalSince(start), cpuSeconds() - cpu, loadAverage()))
        }
    }

    /// Wall time of scoring the whole enumerated NB101 space (423,624 cells,
    /// encoding included, enumeration excluded) with a ReNAS predictor fitted
    /// for one epoch (the cost of scoring does not depend on the weights).
    func testNB101ReNASScoreTiming() throws {
        let table = try TestData.nb101Table.get()
        let split = try TrainTestSplit(count: table.records.count, trainSize: 424, seed: 0)
        let encoding = NB101ReNASEncoding()
        var predictor = ReNASPredictor.nb101(options: .init(epochs: 1))
        try predictor.fit(features: encoding.encode(split.train.map { table.records[$0].cell }),
                          labels: split.train.map { table.records[$0].validationAccuracy108 }, seed: 0)
        var start = Date()
        let cells = try NB101SearchSpace.enumerate()
        print(String(format: "| NB101 enumeration | %d cells | %.1f s | load %@ |", cells.count,
                     Date().timeIntervalSince(start), loadAverage()))
        for _ in 0..<repeats {
            start = Date()
            let cpu = cpuSeconds()
            let scores = try predictor.predict(cells: cells, encoding: encoding)
            let total = Date().timeIntervalSince(start), totalCPU = cpuSeconds() - cpu
            start = Date()
            let x = encoding.encode(Array(cells.prefix(50_000)))
            let encodeSeconds = Date().timeIntervalSince(start) * Double(cells.count) / 50_000
            XCTAssertEqual(scores.count, NB101SearchSpace.cellCount)
            print(String(format: "| renas-pairwise NB101 | score %d cells | %.1f s wall | %.1f s CPU | encoding ≈ %.1f s | load %@ |",
                         scores.count, total, totalCPU, encodeSeconds, loadAverage()), x.rows)
        }
    }

    /// User + system CPU time of the process so far (both threads), in seconds.
    func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    var repeats: Int { Int(ProcessInfo.processInfo.environment["NASBOOK_BENCH_REPEAT"] ?? "") ?? 1 }

    func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }
    #endif
}
