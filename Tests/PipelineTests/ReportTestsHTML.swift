import Foundation
import XCTest
import ArtifactStore
import Provenance
@testable import Pipeline

/// The woven HTML report: content, self-containment, escaping.
final class ReportTestsHTML: XCTestCase {
    private func render(_ f: ReportFixture) throws -> String {
        try HTMLReport(store: f.store, ledger: f.ledger).render(pipeline: "demo", fallbackDocument: nil)
    }

    /// The section of `html` for stage `name` (from its opening tag to the next `</section>`).
    private func section(_ html: String, _ name: String) throws -> String {
        let id = try XCTUnwrap(html.range(of: "id=\"stage-\(name)\""), "no section for \(name)")
        let start = try XCTUnwrap(html.range(of: "<section", options: .backwards, range: html.startIndex..<id.lowerBound))
        let end = try XCTUnwrap(html.range(of: "</section>", range: id.upperBound..<html.endIndex))
        return String(html[start.lowerBound..<end.lowerBound])
    }

    func testReportWeavesProseAndStageResultsInDocumentOrder() throws {
        let f = try ReportFixture()
        let html = try render(f)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("<title>Demo report</title>"))
        XCTAssertEqual(html.components(separatedBy: "<h1>").count, 2, "the document's heading is the only h1")
        XCTAssertTrue(html.contains("<em>emphasis</em>"), "Markdown prose is rendered")
        XCTAssertTrue(html.contains("<p>A tiny pipeline for the report tests.</p>"))
        XCTAssertTrue(html.contains("run <code>\(f.run2.short)</code>"), "header names the latest run")
        XCTAssertTrue(html.contains("1 executed, 2 cached"))
        // Reading order: intro prose, ingest, prose, train, plot, closing prose.
        let order = ["Intro prose", "stage-ingest", "Between the stages", "stage-train", "stage-plot", "Closing prose"]
        let positions = try order.map { try XCTUnwrap(html.range(of: $0), $0).lowerBound }
        XCTAssertEqual(positions, positions.sorted())

        let train = try section(html, "train")
        XCTAssertTrue(train.contains("class=\"stage cached\""))
        XCTAssertTrue(train.contains("<span class=\"badge\">cached</span>"))
        XCTAssertTrue(train.contains("took 2.5 s in \(f.run1.short)"), "duration of the reused run")
        XCTAssertTrue(train.contains("nasbook lineage demo:train@\(f.run2.short)"))
        XCTAssertTrue(train.contains(">\(ReportFixture.record("train", op: "text.concat", inputs: [:], output: nil, ended: 0).cacheKey.hex.prefix(12))</code>"))
        XCTAssertTrue(train.contains("<td>kendall_tau</td><td class=\"num\">0.7123</td>"), "metrics table")
        XCTAssertTrue(train.contains("<caption>Top archs</caption>"))
        XCTAssertTrue(train.contains("<figure>\n<svg"), "figure inlined")
        XCTAssertTrue(train.contains("<figcaption>Ranking</figcaption>"))
        XCTAssertTrue(train.contains("Kendall tau"), "the figure's own text")
        XCTAssertTrue(train.contains("<p class=\"hint\">model.txt</p>\n<pre>model weights\n</pre>"), "show: text")

        let plot = try section(html, "plot")
        XCTAssertTrue(plot.contains("class=\"stage executed\""))
        XCTAssertTrue(plot.contains("<span class=\"badge\">run</span> · 1.0 s"))
        XCTAssertTrue(plot.contains("<circle r=\"4\"/>"), "show: svg inlined")
        XCTAssertTrue(plot.contains("show: 'missing.txt' is not in the stage output"))
    }

    func testShowCSVBecomesATableOfTheFirstRows() throws {
        let f = try ReportFixture()
        var report = HTMLReport(store: f.store, ledger: f.ledger)
        report.csvRows = 5
        let ingest = try section(try report.render(pipeline: "demo", fallbackDocument: nil), "ingest")
        XCTAssertTrue(ingest.contains("<caption>data.csv</caption>"))
        XCTAssertTrue(ingest.contains("<tr><th>arch</th><th>accuracy</th></tr>"))
        XCTAssertTrue(ingest.contains("<tr><td>a4</td><td class=\"num\">0.04</td></tr>"))
        XCTAssertFalse(ingest.contains("<td>a5</td>"))
        XCTAssertTrue(ingest.contains("… 25 more rows (first 5 shown)"))
    }

    func testFailedStageShowsItsMessageEscaped() throws {
        let f = try ReportFixture()
        let run1 = try f.ledger.run(f.run1)
        let document = DocumentParser.parse(ReportFixture.document, path: "pipelines/demo.md").document
        let html = HTMLReport(store: f.store, ledger: f.ledger).render(pipeline: "demo", document: document, run: run1)
        let plot = try section(html, "plot")
        XCTAssertTrue(plot.contains("class=\"stage failed\""))
        XCTAssertTrue(plot.contains("<p class=\"error\">exit &lt;1&gt;</p>"))
    }

    func testReportIsSelfContainedAndEscapesUntrustedText() throws {
        let f = try ReportFixture()
        let html = try render(f)
        for external in ["src=\"http", "src='http", "href=\"http", "href='http", "<link", "<img", "@import", "url("] {
            XCTAssertFalse(html.contains(external), "external reference \(external)")
        }
        XCTAssertFalse(html.lowercased().contains("<script"), "no script from prose, metrics or SVG")
        XCTAssertFalse(html.contains("onload="), "event attributes stripped from SVG")
        XCTAssertFalse(html.contains("alert('prose')</script>"))
        XCTAssertTrue(html.contains("<td>&lt;script&gt;m&lt;/script&gt;</td>"), "metric names escaped")
        XCTAssertTrue(html.contains("<td>&lt;i&gt;a28&lt;/i&gt;</td>"), "table cells escaped")
        XCTAssertFalse(html.contains("<?xml"), "XML prolog dropped when inlining")
    }

    func testNoRunFallsBackToTheDocumentFile() throws {
        let f = try ReportFixture()
        let file = f.root.appendingPathComponent("other.md")
        try "# Other\n\nNot run yet.\n\n```stage only\nop: text.write\n```\n".write(to: file, atomically: true, encoding: .utf8)
        let html = try HTMLReport(store: f.store, ledger: f.ledger).render(pipeline: "other", fallbackDocument: file)
        XCTAssertTrue(html.contains("<h1>Other</h1>"))
        XCTAssertEqual(html.components(separatedBy: "<h1>").count, 2)
        let untitled = DocumentParser.parse("Just prose.\n\n```sh\n# a comment, not a heading\n```\n", path: "pipelines/u.md")
        let page = HTMLReport(store: f.store, ledger: f.ledger).render(pipeline: "u", document: untitled.document, run: nil)
        XCTAssertTrue(page.contains("<h1>u</h1>"), "title falls back to the file name")
        XCTAssertTrue(html.contains("no recorded run yet"))
        XCTAssertTrue(html.contains("<span class=\"badge\">not run</span>"))
        XCTAssertThrowsError(try HTMLReport(store: f.store, ledger: f.ledger).render(
            pipeline: "other", fallbackDocument: f.root.appendingPathComponent("absent.md"))) { error in
            XCTAssertTrue("\(error)".hasPrefix("other: no recorded run with a document snapshot and "), "\(error)")
        }
    }

    func testMarkdownImagesBecomeLinksAndRawHTMLIsOmitted() {
        let html = MarkdownHTML.render("![chart](http://example.com/x.png) <script>bad()</script>\n\n<div onclick=x>hi</div>\n")
        XCTAssertFalse(html.contains("<img"))
        XCTAssertTrue(html.contains("<a href=\"http://example.com/x.png\">image: chart</a>"), html)
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("onclick"))
    }

    func testSVGSanitizer() {
        let dirty = """
        <?xml version="1.0"?><!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg" onload="evil()">\
        <script type="text/javascript">evil()</script><a href="https://x.example/"><rect ONCLICK='evil()' width="1"/></a>\
        <use xlink:href="#local"/><foreignObject><div>x</div></foreignObject><image href="http://x/y.png"/>\
        <image href=http://x/z.png /><style>@import url("https://f.example/a.css"); .a{fill:url(#g)}</style>\
        <rect style="fill:url('http://x/p.svg#q')"/></svg> trailing
        """
        let clean = HTML.sanitizeSVG(dirty)
        XCTAssertEqual(clean, """
        <svg xmlns="http://www.w3.org/2000/svg"><a href="#"><rect width="1"/></a>\
        <use xlink:href="#local"/><image href="#"/><image href="#" /><style> .a{fill:url(#g)}</style>\
        <rect style="fill:none"/></svg>
        """)
        XCTAssertNil(HTML.sanitizeSVG("not svg at all"))
        XCTAssertEqual(HTML.escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
    }
}
