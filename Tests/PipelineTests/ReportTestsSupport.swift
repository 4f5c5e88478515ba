import Foundation
import XCTest
import ArtifactStore
import Provenance
@testable import Pipeline

/// A temporary store with a small ledger, built directly with `Ledger.commitRun`,
/// shared by the report, show, ref and lineage tests.
///
/// Pipeline `demo` (document `document` below):
/// - run 1: `ingest` executed (tree with `data.csv`, 30 rows), `train` executed
///   (tree with `model.txt` and `_report/` material), `plot` failed.
/// - run 2: `ingest` and `train` cached from run 1, `plot` executed (tree with `curve.svg`).
final class ReportFixture {
    let root: URL
    let store: DiskBlobStore
    let ledger: Ledger
    let raw: Digest
    let ingestOut: Digest
    let trainOut: Digest
    let plotOut: Digest
    let run1: CommitID
    let run2: CommitID

    static let document = """
    ---
    title: Demo report
    description: A tiny pipeline for the report tests.
    ---

    # Demo <b>report</b>

    Intro prose with *emphasis*. <script>alert('prose')</script>

    ```stage ingest
    op: text.write
    with:
      text: hi
    show: [data.csv]
    ```

    Between the stages.

    ```stage train
    op: text.concat
    needs: [ingest]
    show: [model.txt]
    ```

    ```stage plot
    run: cp x curve.svg
    needs: [train]
    outputs: [curve.svg]
    show: [curve.svg, missing.txt]
    ```

    Closing prose.
    """

    init() throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("nasbook-report-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let store = DiskBlobStore(root: root)
        self.store = store
        ledger = try Ledger(storeRoot: root)
        raw = try store.put("raw source bytes\n")

        let scratch = root.appendingPathComponent("scratch", isDirectory: true)
        func tree(_ name: String, _ build: (URL) throws -> Void) throws -> Digest {
            let dir = scratch.appendingPathComponent(name, isDirectory: true)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try build(dir)
            return try store.putTree(directory: dir)
        }
        ingestOut = try tree("ingest") { dir in
            let rows = ["arch,accuracy"] + (0..<30).map { "a\($0),\(Double($0) / 100)" }
            try (rows.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("data.csv"),
                                                            atomically: true, encoding: .utf8)
        }
        trainOut = try tree("train") { dir in
            try "model weights\n".write(to: dir.appendingPathComponent("model.txt"), atomically: true, encoding: .utf8)
            let plot = SVGPlot(title: "tau vs size", xLabel: "training size", yLabel: "Kendall tau",
                               series: [.init(name: "predictor", x: [10, 100, 1000], y: [0.2, 0.5, 0.7])],
                               xScale: .log)
            let result = OpResult(outputDirectory: dir, metrics: ["kendall_tau": 0.7123, "<script>m</script>": 1],
                                  tables: [ReportTable(title: "Top archs", columns: ["arch", "acc"],
                                                       rows: [["a29", "0.29"], ["<i>a28</i>", "0.28"]])],
                                  figures: [ReportFigure(title: "Ranking", svg: plot.render())])
            try StageReport.write(result, into: dir)
        }
        plotOut = try tree("plot") { dir in
            let svg = "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\">"
                + "<script>alert(2)</script><circle r=\"4\"/></svg>"
            try svg.write(to: dir.appendingPathComponent("curve.svg"), atomically: true, encoding: .utf8)
        }
        try FileManager.default.removeItem(at: scratch)

        let doc = Data(ReportFixture.document.utf8)
        run1 = try ledger.commitRun(pipeline: "demo", records: [
            ReportFixture.record("ingest", op: "text.write", params: ["text": "hi"], inputs: ["raw": raw],
                                 output: ingestOut, ended: 1_700_000_001_000),
            ReportFixture.record("train", op: "text.concat", inputs: ["ingest": ingestOut], output: trainOut,
                                 ended: 1_700_000_003_500, duration: 2_500),
            ReportFixture.record("plot", op: "sh", inputs: ["train": trainOut], output: nil,
                                 ended: 1_700_000_004_000, outcome: .failed(message: "exit <1>")),
        ], document: doc, message: "first run", time: Timestamp(millisecondsSince1970: 1_700_000_000_000))
        run2 = try ledger.commitRun(pipeline: "demo", records: [
            ReportFixture.record("ingest", op: "text.write", params: ["text": "hi"], inputs: ["raw": raw],
                                 output: ingestOut, ended: 1_700_000_010_000,
                                 outcome: .cached(from: RecordLocation(pipeline: "demo", commit: run1, stage: "ingest"))),
            ReportFixture.record("train", op: "text.concat", inputs: ["ingest": ingestOut], output: trainOut,
                                 ended: 1_700_000_010_000,
                                 outcome: .cached(from: RecordLocation(pipeline: "demo", commit: run1, stage: "train"))),
            ReportFixture.record("plot", op: "sh", inputs: ["train": trainOut], output: plotOut,
                                 ended: 1_700_000_012_000),
        ], document: doc, message: "second run", time: Timestamp(millisecondsSince1970: 1_700_000_009_000))
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var resolver: ArtifactResolver { ArtifactResolver(ledger: ledger, store: store) }

    static func record(_ stage: String, op: String, params: [String: Provenance.ParamValue] = [:],
                       inputs: [String: Digest], output: Digest?, ended: Int64, duration: Int64 = 1_000,
                       outcome: Outcome = .executed) -> RunRecord {
        let key = "op: \(op)\nstage-test: \(stage)\n"
        return RunRecord(pipeline: "demo", stage: stage, op: op, opVersion: 1, params: params, inputs: inputs,
                         output: output, cacheKey: Digest.sha256(Data(key.utf8)), keyRecord: key,
                         started: Timestamp(millisecondsSince1970: ended - duration),
                         ended: Timestamp(millisecondsSince1970: ended), host: "testhost", toolVersion: "0.1.0",
                         outcome: outcome)
    }
}
