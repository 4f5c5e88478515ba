import Foundation
import XCTest
@testable import Pipeline

/// The `_report/report.json` format and how an `OpResult` is written into an output tree.
final class ReportTestsStageReport: XCTestCase {
    private func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nasbook-sr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func testEncodingIsPinnedAndRoundTripsNonFiniteMetrics() throws {
        let report = StageReport(metrics: ["tau": .number(0.5), "bad": .number(.nan), "up": .number(.infinity),
                                           "arch": .text("|nor_conv_3x3~0|")],
                                 tables: [ReportTable(title: "t", columns: ["a"], rows: [["1"]])],
                                 figures: [.init(title: "f", file: "_report/fig1-f.svg")])
        let data = try report.encoded()
        XCTAssertEqual(String(decoding: data, as: UTF8.self),
                       #"{"figures":[{"file":"_report/fig1-f.svg","title":"f"}],"#
                       + #""metrics":{"arch":"|nor_conv_3x3~0|","bad":"nan","tau":0.5,"up":"inf"},"#
                       + #""tables":[{"columns":["a"],"rows":[["1"]],"title":"t"}]}"#)
        XCTAssertEqual(try StageReport.decode(data, what: "r"), report)
        XCTAssertThrowsError(try StageReport.decode(Data("{}".utf8), what: "x/_report/report.json")) { error in
            XCTAssertTrue("\(error)".hasPrefix("x/_report/report.json: not a valid report.json"))
        }
    }

    func testFigureFileNames() {
        XCTAssertEqual(StageReport.figureFile(index: 0, title: "Kendall τ vs training size!"),
                       "_report/fig1-kendall-vs-training-size.svg")
        XCTAssertEqual(StageReport.figureFile(index: 4, title: "***"), "_report/fig5.svg")
    }

    func testWriteCreatesReportFilesOnlyWhenThereIsMaterial() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StageReport.write(OpResult(outputDirectory: dir), into: dir)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [], "nothing for an empty result")

        let svg = SVGPlot(series: [.init(name: "a", x: [1, 2], y: [3, 4])]).render()
        let result = OpResult(outputDirectory: dir, metrics: ["tau": 0.25],
                              figures: [ReportFigure(title: "Best so far", svg: svg)])
        try StageReport.write(result, into: dir)
        let stored = try StageReport.decode(Data(contentsOf: dir.appendingPathComponent(StageReport.path)), what: "r")
        XCTAssertEqual(stored, StageReport(result: result))
        XCTAssertEqual(stored.metrics, ["tau": .number(0.25)])
        XCTAssertEqual(stored.figures, [.init(title: "Best so far", file: "_report/fig1-best-so-far.svg")])
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("_report/fig1-best-so-far.svg"), encoding: .utf8),
                       svg)
    }

    func testMetricFormatting() {
        XCTAssertEqual(MetricValue.number(3).description, "3")
        XCTAssertEqual(MetricValue.number(0.712345678).description, "0.712346")
        XCTAssertEqual(MetricValue.number(1.5e-7).description, "1.5e-07")
        XCTAssertEqual(MetricValue.number(-.infinity).description, "-inf")
        XCTAssertEqual(MetricValue.number(.nan), MetricValue.number(.nan))
    }
}
