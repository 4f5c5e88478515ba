import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Pipeline

/// SVGPlot output is well-formed XML with the expected parts, and deterministic.
final class ReportTestsSVGPlot: XCTestCase {
    /// Element names in document order, and the text content, via Foundation's XMLParser.
    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var attributes: [[String: String]] = []
        var text = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements.append(name)
            self.attributes.append(attributes)
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    private func parse(_ svg: String, file: StaticString = #filePath, line: UInt = #line) -> Collector {
        let collector = Collector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "?")", file: file, line: line)
        return collector
    }

    func testLinePlotWithErrorBarsAndLegendIsWellFormed() {
        let plot = SVGPlot(title: "τ vs size <n>", xLabel: "training size", yLabel: "Kendall τ", series: [
            .init(name: "mlp & co", x: [10, 20, 40], y: [0.1, 0.4, 0.6], yError: [0.05, 0.02, 0.01]),
            .init(name: "random", x: [10, 20, 40], y: [0.0, 0.02, -0.01], style: .scatter),
        ])
        let svg = plot.render()
        let parsed = parse(svg)
        XCTAssertEqual(parsed.elements.first, "svg")
        XCTAssertEqual(parsed.elements.filter { $0 == "polyline" }.count, 1, "the scatter series has no line")
        XCTAssertEqual(parsed.elements.filter { $0 == "circle" }.count, 6)
        // 3 error bars × (bar + 2 caps).
        let dataLines = parsed.attributes.enumerated().filter { parsed.elements[$0.offset] == "line" && $0.element["stroke"] == nil }
        XCTAssertGreaterThanOrEqual(dataLines.count, 9)
        XCTAssertTrue(parsed.text.contains("τ vs size <n>"), "title survives escaping")
        XCTAssertTrue(parsed.text.contains("mlp & co"))
        XCTAssertTrue(parsed.text.contains("training size"))
        XCTAssertTrue(svg.contains("&lt;n&gt;"))
        XCTAssertEqual(svg, plot.render(), "deterministic")
    }

    func testTicksAreNiceAndCoverTheData() {
        XCTAssertEqual(Ticks.nice(0.03...0.97), [0, 0.2, 0.4, 0.6, 0.8, 1])
        XCTAssertEqual(Ticks.nice(0...1000), [0, 200, 400, 600, 800, 1000])
        XCTAssertEqual(Ticks.nice(-3...7), [-4, -2, 0, 2, 4, 6, 8])
        XCTAssertEqual(Ticks.decades(log10(10)...log10(5000)), [1, 2, 3, 4])
        XCTAssertEqual(Ticks.range([]), 0...1)
        XCTAssertEqual(Ticks.range([5]), 4.5...5.5)
        XCTAssertEqual(Ticks.label(1000), "1000")
        XCTAssertEqual(Ticks.label(0.25), "0.25")
    }

    func testLogScaleEmptyAndNonFiniteInputsStillRender() {
        let log = SVGPlot(xLabel: "n", series: [.init(name: "s", x: [0, 10, 100, 1000, .nan], y: [1, 2, 3, 4, 5])],
                          xScale: .log).render()
        let parsed = parse(log)
        XCTAssertEqual(parsed.elements.filter { $0 == "circle" }.count, 3, "x ≤ 0 and NaN are skipped on a log axis")
        XCTAssertTrue(parsed.text.contains("1000"))
        _ = parse(SVGPlot().render())
        _ = parse(SVGPlot(series: [.init(name: "flat", x: [1], y: [.infinity])]).render())
    }
}
