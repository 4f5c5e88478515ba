import XCTest
@testable import Pipeline

final class StageGraphTests: XCTestCase {
    func testTopologicalOrderBreaksTiesByDocumentOrder() {
        let graph = StageGraph(nodes: ["d", "b", "a", "c"], edges: ["a": ["b"], "c": ["d", "a"], "ghost": ["x"]])
        XCTAssertEqual(graph.topologicalOrder(), ["d", "b", "a", "c"])
        let reordered = StageGraph(nodes: ["b", "d", "a", "c"], edges: ["a": ["b"], "c": ["d", "a"]])
        XCTAssertEqual(reordered.topologicalOrder(), ["b", "d", "a", "c"])
        XCTAssertEqual(graph.upstream["c"], ["d", "a"])
        XCTAssertEqual(graph.downstream["b"], ["a"])
    }

    func testAncestorsDescendantsAndSubgraph() {
        let graph = StageGraph(nodes: ["a", "b", "c", "d"], edges: ["b": ["a"], "c": ["b"], "d": ["a"]])
        XCTAssertEqual(graph.ancestors(of: "c"), ["a", "b", "c"])
        XCTAssertEqual(graph.ancestors(of: "c", including: false), ["a", "b"])
        XCTAssertEqual(graph.descendants(of: "a"), ["b", "c", "d"])
        let sub = graph.subgraph(["a", "b"])
        XCTAssertEqual(sub.nodes, ["a", "b"])
        XCTAssertEqual(sub.downstream["a"], ["b"])
    }

    func testCyclesAndNoOrderForCyclicGraphs() {
        let graph = StageGraph(nodes: ["x", "a", "b", "c"], edges: ["a": ["c"], "b": ["a"], "c": ["b"], "x": []])
        XCTAssertNil(graph.topologicalOrder())
        XCTAssertEqual(graph.cycles(), [["a", "b", "c", "a"]])
        XCTAssertEqual(StageGraph(nodes: ["a", "b"], edges: ["b": ["a"]]).cycles(), [])
    }

    func testUntilKeepsOnlyAncestors() throws {
        let pipeline = try Fixtures.pipeline(Fixtures.demo)
        XCTAssertEqual(try pipeline.until("hello").stages.map(\.name), ["hello"])
        XCTAssertEqual(try pipeline.until("joined").graph.nodes, ["hello", "world", "joined"])
        XCTAssertThrowsError(try pipeline.until("shot")) { error in
            XCTAssertEqual("\(error)", "unknown stage 'shot'; did you mean 'shout'?")
        }
    }

    func testTextRendering() throws {
        let pipeline = try Fixtures.pipeline(Fixtures.demo)
        XCTAssertEqual(pipeline.renderText(), """
        hello   text.write
        world   text.write
        joined  text.concat  <- hello, world
        shout   sh           <- text=joined

        """)
    }

    func testDotRendering() throws {
        let text = """
        ---
        title: Dot "test"
        ---
        ```stage a
        op: text.concat
        inputs: {table: data/t.csv}
        ```
        ```stage b
        op: text.stats
        inputs: {text: a}
        ```
        """
        XCTAssertEqual(try Fixtures.pipeline(text, files: ["data/t.csv"]).renderDot(), """
        digraph "Dot \\"test\\"" {
          rankdir=LR;
          node [shape=box, fontname="Helvetica"];
          "a" [label="a\\ntext.concat"];
          "b" [label="b\\ntext.stats"];
          "file:data/t.csv" [label="data/t.csv", shape=note];
          "file:data/t.csv" -> "a" [label="table"];
          "a" -> "b" [label="text"];
        }

        """)
    }
}
