import Foundation
import NAS
@testable import NASStages
import Pipeline
import XCTest

/// Six real rows of `data/nb101/nb101-20k.csv.zst` (the first six by hash).
let nb101Fixture = """
hash,num_vertices,num_edges,adjacency,ops,val_acc_4,val_acc_12,val_acc_36,val_acc_108,train_time_108_s,params
00005c142e6f48ac74fdcf73e3439874,7,9,0100110001000000010010000010000001000000010000000,input|conv3x3-bn-relu|maxpool3x3|conv3x3-bn-relu|conv3x3-bn-relu|conv1x1-bn-relu|output,0.3604767620563507,0.42197516560554504,0.9001402258872986,0.9304887652397156,1768.9759521484375,8555530
0000718c96730a92ea6d5242f8ce77e2,7,8,0100000001000000010000000111000001000000010000000,input|conv1x1-bn-relu|conv1x1-bn-relu|conv3x3-bn-relu|conv1x1-bn-relu|conv3x3-bn-relu|output,0.11318109184503555,0.35536858439445496,0.8254206776618958,0.8959335088729858,1203.2879638671875,5878154
0000cb5372fad9d62c470df699ac6d52,7,9,0100010001001000010000000101000001000000010000000,input|conv3x3-bn-relu|maxpool3x3|conv1x1-bn-relu|maxpool3x3|conv1x1-bn-relu|output,0.2176482379436493,0.5836338400840759,0.8910256624221802,0.9280849099159241,1347.5789794921875,3729162
0000fa05697179112aaf69c2f0a51a0f,7,8,0101000001000000010010000100000001000000010000000,input|conv1x1-bn-relu|conv3x3-bn-relu|maxpool3x3|conv1x1-bn-relu|maxpool3x3|output,0.23217147588729858,0.5439703464508057,0.8510617017745972,0.9105569124221802,1301.677001953125,3729162
00010e19334eb9dcbe1fe61a98d524c2,7,9,0100000001001000011000000101000001000000010000000,input|conv1x1-bn-relu|maxpool3x3|conv1x1-bn-relu|maxpool3x3|conv3x3-bn-relu|output,0.4624398946762085,0.5752203464508057,0.8483573794364929,0.8991386294364929,1251.633056640625,3292298
00011986aeb27419a476d219f3d9ba14,7,9,0100000001001000011100000010000001000000010000000,input|conv3x3-bn-relu|conv1x1-bn-relu|conv1x1-bn-relu|maxpool3x3|conv1x1-bn-relu|output,0.14132611453533173,0.3272235691547394,0.8324319124221802,0.9145632982254028,2316.972900390625,13290378

"""

/// The fixture's hashes and val_acc_108 values, in file order.
let nb101FixtureHashes = ["00005c142e6f48ac74fdcf73e3439874", "0000718c96730a92ea6d5242f8ce77e2",
                          "0000cb5372fad9d62c470df699ac6d52", "0000fa05697179112aaf69c2f0a51a0f",
                          "00010e19334eb9dcbe1fe61a98d524c2", "00011986aeb27419a476d219f3d9ba14"]
let nb101FixtureAcc108 = [0.9304887652397156, 0.8959335088729858, 0.9280849099159241,
                          0.9105569124221802, 0.8991386294364929, 0.9145632982254028]

final class BenchmarkLoadOpTests: XCTestCase {
    private func load(_ harness: OpHarness, _ inputs: [String: URL], format: String = "nb101", size: Int,
                      seed: Int = 0, label: String = "auto") async throws -> (OpResult, URL) {
        try await harness.run(BenchmarkLoadOp(), inputs: inputs) {
            $0.params["format"] = .string(format)
            $0.params["train_size"] = .int(size)
            $0.params["seed"] = .int(seed)
            $0.params["label"] = .string(label)
        }
    }

    func testSplitsLikeTrainTestSplitAndRoundTrips() async throws {
        let harness = try OpHarness()
        let table = try harness.file("nb101.csv", nb101Fixture)
        let (result, out) = try await load(harness, ["table": table], size: 2, seed: 3)
        let split = try TrainTestSplit(count: 6, trainSize: 2, seed: 3)

        let artifact = try BenchmarkArtifact.read(from: out, inputName: "load", op: "test")
        XCTAssertEqual(artifact.train.map(\.id), split.train.map { nb101FixtureHashes[$0] })
        XCTAssertEqual(artifact.test.map(\.id), split.test.map { nb101FixtureHashes[$0] })
        XCTAssertEqual(artifact.train.map(\.accuracy), split.train.map { nb101FixtureAcc108[$0] })
        // Cells survive the canonical CSV: they equal the source table's cells.
        let source = try NB101Table(csv: CSVFile(file: "fixture", text: nb101Fixture))
        XCTAssertEqual(artifact.test.map(\.cell), split.test.map { .nb101(source.records[$0].cell) })

        XCTAssertEqual(artifact.metadata.format, .nb101)
        XCTAssertEqual(artifact.metadata.label, "val_acc_108")
        XCTAssertEqual(artifact.metadata.unit, "fraction")
        XCTAssertEqual(artifact.metadata.columns, ["id", "adjacency", "ops", "accuracy"])
        XCTAssertEqual([artifact.metadata.rows, artifact.metadata.train, artifact.metadata.test], [6, 2, 4])
        XCTAssertEqual(artifact.metadata.testSource, "remaining")
        XCTAssertEqual(result.metrics["rows"], 6)
        XCTAssertEqual(result.metrics["train"], 2)
        XCTAssertEqual(result.metrics["test"], 4)
        XCTAssertEqual(result.metrics["warnings"], 0)
        XCTAssertEqual(result.tables.first?.rows.first?.prefix(3).map { $0 }, ["6", "2", "4"])

        let firstTrain = split.train[0]
        let csvLines = try String(contentsOf: out.appendingPathComponent("train.csv"), encoding: .utf8)
            .split(separator: "\n")
        XCTAssertEqual(csvLines.first, "id,adjacency,ops,accuracy")
        XCTAssertTrue(csvLines[1].hasPrefix(nb101FixtureHashes[firstTrain] + ","))
        XCTAssertTrue(csvLines[1].hasSuffix(",\(nb101FixtureAcc108[firstTrain])"))
    }

    func testSameParamsGiveSameBytesAndLabelPicksColumn() async throws {
        let harness = try OpHarness()
        let table = try harness.file("nb101.csv", nb101Fixture)
        let (_, a) = try await load(harness, ["table": table], size: 3, seed: 9)
        let (_, b) = try await load(harness, ["table": table], size: 3, seed: 9)
        for name in ["table.json", "train.csv", "test.csv"] {
            XCTAssertEqual(try Data(contentsOf: a.appendingPathComponent(name)),
                           try Data(contentsOf: b.appendingPathComponent(name)), name)
        }
        let (_, c) = try await load(harness, ["table": table], size: 6, label: "val_acc_12")
        let all = try BenchmarkArtifact.read(from: c, inputName: "c", op: "test")
        XCTAssertEqual(all.train.map(\.accuracy), [0.42197516560554504, 0.35536858439445496, 0.5836338400840759,
                                                   0.5439703464508057, 0.5752203464508057, 0.3272235691547394])
        XCTAssertTrue(all.test.isEmpty)
    }

    func testMalformedRowFailsNamingInputAndLine() async throws {
        let harness = try OpHarness()
        var lines = nb101Fixture.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[3] = lines[3].replacingOccurrences(of: "0.9280849099159241", with: "abc")
        let bad = try harness.file("bad.csv", lines.joined(separator: "\n"))
        await assertThrows("table:4: column 'val_acc_108' is 'abc'") {
            _ = try await self.load(harness, ["table": bad], size: 2)
        }
        // A row whose hash disagrees with the cell is caught by the NAS validator too.
        lines = nb101Fixture.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[6] = lines[6].replacingOccurrences(of: "00011986aeb27419a476d219f3d9ba14", with: "00011986aeb27419a476d219f3d9ba15")
        let badHash = try harness.file("badhash.csv", lines.joined(separator: "\n"))
        await assertThrows("table:7: hash") { _ = try await self.load(harness, ["table": badHash], size: 2) }
        let table = try harness.file("nb101.csv", nb101Fixture)
        await assertThrows("train_size 7 exceeds the table's 6 rows") {
            _ = try await self.load(harness, ["table": table], size: 7)
        }
        await assertThrows("label 'test_top1' is not a column of nb101") {
            _ = try await self.load(harness, ["table": table], size: 1, label: "test_top1")
        }
    }

    func testTestTableReplacesRemainingRowsWithoutTrainingCells() async throws {
        let harness = try OpHarness()
        let lines = nb101Fixture.split(separator: "\n").map(String.init)
        let first = try harness.file("first.csv", ([lines[0]] + lines[1...4]).joined(separator: "\n"))
        let last = try harness.file("last.csv", ([lines[0]] + lines[3...6]).joined(separator: "\n"))
        let (result, out) = try await load(harness, ["table": first, "test_table": last], size: 4)
        let artifact = try BenchmarkArtifact.read(from: out, inputName: "load", op: "test")
        // All four rows of `first` are trained on, so rows 3 and 4 leave the test set.
        XCTAssertEqual(artifact.train.map(\.id), Array(nb101FixtureHashes[0...3]))
        XCTAssertEqual(artifact.test.map(\.id), Array(nb101FixtureHashes[4...5]))
        XCTAssertEqual(artifact.metadata.testSource, "test_table")
        XCTAssertEqual(result.metrics["test_overlap_removed"], 2)
    }

    func testCompressedNB201InputWithoutSuffixReportsParamWarnings() async throws {
        let harness = try OpHarness()
        // The runner materialises inputs under their input name, without `.zst`.
        let source = OpHarness.repositoryRoot.appendingPathComponent(BenchmarkFormat.nb201.repositoryTable)
        let table = harness.scratch.appendingPathComponent("table")
        try FileManager.default.copyItem(at: source, to: table)
        let (result, out) = try await load(harness, ["table": table], format: "nb201", size: 78, seed: 1)
        XCTAssertEqual(result.metrics["rows"], 15_625)
        XCTAssertEqual(result.metrics["train"], 78)
        XCTAssertEqual(result.metrics["test"], 15_547)
        // data/README.md: 204 rows hold averaged params values.
        XCTAssertEqual(result.metrics["warnings"], 204)
        let warnings = try String(contentsOf: out.appendingPathComponent("warnings.txt"), encoding: .utf8)
        XCTAssertEqual(warnings.split(separator: "\n").count, 204)
        let artifact = try BenchmarkArtifact.read(from: out, inputName: "load", op: "test")
        XCTAssertEqual(artifact.metadata.unit, "percent")
        XCTAssertEqual(artifact.metadata.label, "test_top1")
        XCTAssertEqual(Set(artifact.train.map(\.id) + artifact.test.map(\.id)).count, 15_625)
        // arch 1 from the table's second line.
        let arch1 = (artifact.train + artifact.test).first { $0.id == "1" }
        XCTAssertEqual(arch1?.accuracy, 93.66000000000001)
        XCTAssertEqual(arch1.map { "\($0.cell.csvFields)" },
                       #"["|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|"]"#)
    }
}
