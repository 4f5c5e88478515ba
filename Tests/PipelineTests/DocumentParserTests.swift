import XCTest
@testable import Pipeline

final class DocumentParserTests: XCTestCase {
    func testFrontMatterTitleDescriptionAndParams() {
        let (doc, diagnostics) = DocumentParser.parse(Fixtures.demo, path: "pipelines/demo.md")
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(doc.title, "Demo pipeline")
        XCTAssertEqual(doc.description, "used by the Pipeline tests")
        XCTAssertEqual(doc.params, ["greeting": "hello"])
        XCTAssertEqual(doc.paramLocations["greeting"], SourceLocation(line: 5, column: 3))
    }

    func testStagesInDocumentOrderWithFields() throws {
        let (doc, _) = DocumentParser.parse(Fixtures.demo, path: "pipelines/demo.md")
        XCTAssertEqual(doc.stages.map(\.name), ["hello", "world", "joined", "shout"])
        let hello = try XCTUnwrap(doc.stage(named: "hello"))
        XCTAssertEqual(hello.kind, .op("text.write"))
        XCTAssertEqual(hello.params, ["text": "${greeting}", "repeat": 2])
        // Line numbers count the front matter: the fence is on document line 12.
        XCTAssertEqual(hello.location, SourceLocation(line: 12, column: 1))
        XCTAssertEqual(hello.location(of: "op"), SourceLocation(line: 13, column: 1))
        XCTAssertEqual(hello.location(of: "with.repeat"), SourceLocation(line: 16, column: 3))
        let shout = try XCTUnwrap(doc.stage(named: "shout"))
        XCTAssertEqual(shout.kind, .shell("tr a-z A-Z < inputs/text/out.txt > loud.txt"))
        XCTAssertEqual(shout.inputs, [InputReference(name: "text", reference: "joined")])
        XCTAssertEqual(shout.outputs, ["loud.txt"])
        XCTAssertEqual(shout.env, ["LANG"])
        XCTAssertEqual(doc.stage(named: "joined")?.needs, ["hello", "world"])
    }

    func testProseBlocksKeepLinesAndOrder() {
        let (doc, _) = DocumentParser.parse(Fixtures.demo, path: "pipelines/demo.md")
        XCTAssertEqual(doc.prose.map(\.line), [8, 25, 42])
        XCTAssertEqual(doc.prose.first?.markdown, "# Ignored heading\n\nSome prose before the stages.")
        XCTAssertEqual(doc.sections.count, 7)
        XCTAssertEqual(doc.sections[1], .stage("hello"))
    }

    func testTitleFallsBackToHeadingThenFileName() {
        XCTAssertEqual(DocumentParser.parse("# My NAS run\n\ntext\n", path: "pipelines/x.md").document.title, "My NAS run")
        XCTAssertEqual(DocumentParser.parse("just text\n", path: "pipelines/quick.md").document.title, "quick")
    }

    func testIndentedFenceMapsColumns() throws {
        let text = "intro\n\n  ```stage s\n  op: text.write\n  with: {text: 1, bogus: }\n  ```\n"
        let (doc, diagnostics) = DocumentParser.parse(text, path: "p.md")
        XCTAssertEqual(diagnostics, [])
        let stage = try XCTUnwrap(doc.stage(named: "s"))
        XCTAssertEqual(stage.location, SourceLocation(line: 3, column: 3))
        XCTAssertEqual(stage.location(of: "op"), SourceLocation(line: 4, column: 3))
    }

    func testYAMLSyntaxErrorsAreMappedIntoTheDocument() {
        func messages(_ text: String) -> [String] {
            DocumentParser.parse(text, path: "p.md").diagnostics.map(\.description)
        }
        // The flow sequence opens on document line 8 (after 3 front-matter lines);
        // libyaml notices the problem at the end of the block, line 9.
        XCTAssertEqual(messages("---\ntitle: t\n---\n\n```stage a\nop: text.write\nwith:\n  text: [unclosed\n```\n"), [
            "p.md:9:1: error: YAML syntax: did not find expected ',' or ']' while parsing a flow sequence (opened at 8:9)",
        ])
        XCTAssertEqual(messages("```stage a\nop: text.write\n  bad: indent\n```\n"), [
            "p.md:3:6: error: YAML syntax: mapping values are not allowed in this context",
        ])
        XCTAssertEqual(messages("intro\n\n```stage a\nop: text.write\nwith:\n\ttext: x\n```\n"), [
            "p.md:6:1: error: YAML syntax: found character that cannot start any token while scanning for the next token (opened at 6:1)",
        ])
    }

    func testFrontMatterYAMLErrorAndUnclosedFrontMatter() {
        let bad = DocumentParser.parse("---\ntitle: [x\n---\n", path: "p.md").diagnostics
        XCTAssertEqual(bad.first?.severity, .error)
        XCTAssertGreaterThanOrEqual(bad.first?.location.line ?? 0, 2)
        let open = DocumentParser.parse("---\ntitle: x\n", path: "p.md").diagnostics
        XCTAssertEqual(open.map(\.description), ["p.md:1:1: error: front matter opened with '---' is never closed"])
    }

    func testStructuralProblemsAreAllReported() {
        let text = """
        ```stage
        op: text.write
        ```

        ```stage both
        op: text.write
        run: echo hi
        ```

        ```stage neither
        needs: [both]
        ```

        ```stage typo
        op: text.write
        wiht: {text: a}
        ```

        ```stage bad.name
        op: text.write
        ```

        ```stage list
        - op
        ```

        ```stage empty
        ```
        """
        let messages = DocumentParser.parse(text, path: "p.md").diagnostics.map(\.description)
        XCTAssertEqual(messages, [
            "p.md:1:1: error: stage block needs a name: ```stage NAME",
            "p.md:7:1: error: stage 'both' has both 'op' and 'run'; keep one",
            "p.md:10:1: error: stage 'neither' has neither 'op' nor 'run'",
            "p.md:16:1: error: unknown key 'wiht' in stage 'typo'; did you mean 'with'?",
            "p.md:19:1: error: invalid stage name 'bad.name': use letters, digits, '_' and '-'",
            "p.md:24:1: error: stage body must be a YAML mapping (op/run, needs, inputs, with, …)",
            "p.md:27:1: error: stage 'empty' is empty: give it 'op:' or 'run:'",
        ])
    }

    func testDuplicateYAMLKeyIsReported() {
        let text = "```stage a\nop: text.write\nop: text.concat\n```\n"
        let diagnostics = DocumentParser.parse(text, path: "p.md").diagnostics
        XCTAssertEqual(diagnostics.count, 1)
        XCTAssertTrue(diagnostics[0].message.contains("duplicate key 'op'"), diagnostics[0].message)
    }

    func testNestedStageBlockIsWarnedAbout() {
        let text = "- item\n\n  ```stage inner\n  op: text.write\n  ```\n"
        let (doc, diagnostics) = DocumentParser.parse(text, path: "p.md")
        XCTAssertEqual(doc.stages, [])
        XCTAssertEqual(diagnostics.map(\.severity), [.warning])
        XCTAssertEqual(diagnostics.first?.location.line, 3)
    }

    func testQuotedScalarsStayStrings() {
        let text = "```stage a\nop: text.write\nwith: {a: \"42\", b: 42, c: 4.5, d: true, e: null, f: '1e3'}\n```\n"
        let params = DocumentParser.parse(text, path: "p.md").document.stages.first?.params
        XCTAssertEqual(params, ["a": "42", "b": 42, "c": 4.5, "d": true, "e": .null, "f": "1e3"])
    }
}

