import XCTest
@testable import Pipeline

final class ValidatorTests: XCTestCase {
    func testDemoValidatesWithDefaultsFilledAndNeedsBound() throws {
        let pipeline = try Fixtures.pipeline(Fixtures.demo)
        let hello = try XCTUnwrap(pipeline.stage(named: "hello"))
        XCTAssertEqual(hello.params, ["text": "hello", "repeat": 2, "file": "out.txt"])
        XCTAssertEqual(hello.opVersion, 1)
        let joined = try XCTUnwrap(pipeline.stage(named: "joined"))
        XCTAssertEqual(joined.inputs, [InputBinding(name: "hello", source: .stage("hello", path: nil)),
                                       InputBinding(name: "world", source: .stage("world", path: nil))])
        XCTAssertEqual(joined.params, ["file": "out.txt", "separator": "--"])
        XCTAssertEqual(pipeline.stage(named: "shout")?.inputs,
                       [InputBinding(name: "text", source: .stage("joined", path: nil))])
    }

    func testOpProblemsAreReportedWithLocationsAndSuggestions() {
        let text = """
        ```stage a
        op: text.wrte
        ```

        ```stage b
        op: text.write
        with:
          txt: hi
          repeat: many
        ```

        ```stage c
        op: text.write
        with:
          text: hi
          repeat: 0
        ```
        """
        XCTAssertEqual(Fixtures.check(text).diagnostics.map(\.description), [
            "pipelines/test.md:2:1: error: unknown op 'text.wrte'; did you mean 'text.write'?",
            "pipelines/test.md:7:1: error: op 'text.write' requires parameter 'text' (string): text to write (a newline is appended)",
            "pipelines/test.md:8:3: error: op 'text.write' has no parameter 'txt'; did you mean 'text'?",
            "pipelines/test.md:9:3: error: parameter 'repeat' expects int, found string \"many\"",
            "pipelines/test.md:16:3: error: parameter 'repeat' = 0 is outside 1...10000",
        ])
    }

    func testReferencesDuplicatesAndShellRules() {
        let text = """
        ```stage a
        op: text.write
        with: {text: x}
        ```

        ```stage a
        op: text.write
        with: {text: y}
        ```

        ```stage b
        op: text.concat
        needs: [aa, zzzz]
        inputs:
          data: data/missing.csv
          part: a/sub/file.txt
        ```

        ```stage sh
        run: echo hi > x
        env: [1BAD]
        ```

        ```stage stats
        op: text.stats
        outputs: [x]
        ```
        """
        XCTAssertEqual(Fixtures.check(text).diagnostics.map(\.description), [
            "pipelines/test.md:6:1: error: duplicate stage name 'a' (first defined on line 1)",
            "pipelines/test.md:13:9: error: stage 'b' needs unknown stage 'aa'; did you mean 'a'?",
            "pipelines/test.md:13:13: error: stage 'b' needs unknown stage 'zzzz'",
            "pipelines/test.md:15:3: error: input 'data': no stage 'data' and no repository file 'data/missing.csv'",
            "pipelines/test.md:20:1: error: shell stage 'sh' must declare 'outputs' (files it writes, captured as its result)",
            "pipelines/test.md:21:7: error: '1BAD' is not an environment variable name",
            "pipelines/test.md:25:1: error: op 'text.stats' requires input 'text': a file or directory of text files",
            "pipelines/test.md:26:1: error: 'outputs' applies to shell stages only; an op's output is its whole directory",
        ])
    }

    func testRepositoryFilesAndSubPathsResolve() throws {
        let text = """
        ```stage a
        run: mkdir -p d && echo 1 > d/x
        outputs: [d]
        ```

        ```stage b
        op: text.concat
        inputs:
          table: data/table.csv
          part: a/d/x
        ```
        """
        let pipeline = try Fixtures.pipeline(text, files: ["data/table.csv"])
        XCTAssertEqual(pipeline.stage(named: "b")?.inputs, [
            InputBinding(name: "part", source: .stage("a", path: "d/x")),
            InputBinding(name: "table", source: .file("data/table.csv")),
        ])
        XCTAssertEqual(pipeline.graph.upstream["b"], ["a"])
    }

    func testCycleIsPrintedInDataFlowOrder() {
        let text = """
        ```stage a
        op: text.concat
        needs: [c]
        ```

        ```stage b
        op: text.concat
        needs: [a]
        ```

        ```stage c
        op: text.concat
        inputs: {x: b}
        ```

        ```stage self
        op: text.concat
        needs: [self]
        ```
        """
        let result = Fixtures.check(text)
        XCTAssertNil(result.pipeline)
        XCTAssertEqual(result.diagnostics.map(\.description), [
            "pipelines/test.md:1:1: error: dependency cycle: a -> b -> c -> a",
            "pipelines/test.md:16:1: error: dependency cycle: self -> self",
        ])
    }

    func testOverridesAreValidatedLikeTheDocument() throws {
        let ok = try Fixtures.pipeline(Fixtures.demo, overrides: [
            try ParamOverride.parse("world.repeat=3"), try ParamOverride.parse("greeting=bonjour"),
        ])
        XCTAssertEqual(ok.stage(named: "world")?.params["repeat"], 3)
        XCTAssertEqual(ok.stage(named: "hello")?.params["text"], "bonjour")

        let bad = Fixtures.check(Fixtures.demo, overrides: [
            try ParamOverride.parse("world.repeat=lots"),
            try ParamOverride.parse("wrld.repeat=2"),
            try ParamOverride.parse("greetin=x"),
            try ParamOverride.parse("world.colour=red"),
        ])
        XCTAssertEqual(bad.diagnostics.map(\.description), [
            "pipelines/test.md:1:1: error: --set greetin=x: no front-matter param 'greetin'; did you mean 'greeting'?",
            "pipelines/test.md:1:1: error: --set wrld.repeat=2: no stage 'wrld'; did you mean 'world'?",
            "pipelines/test.md:21:1: error: --set world.colour=red: op 'text.write' has no parameter 'colour'",
            "pipelines/test.md:21:1: error: --set world.repeat=lots: parameter 'repeat' expects int, found string \"lots\"",
        ])
    }

    func testUnknownFrontMatterParamReference() {
        let text = "```stage a\nop: text.write\nwith: {text: \"${nope}\"}\n```\n"
        XCTAssertEqual(Fixtures.check(text).diagnostics.map(\.description), [
            "pipelines/test.md:3:8: error: '${nope}' refers to no front-matter param",
        ])
    }

    func testOpInputNamesAreChecked() {
        let text = """
        ```stage a
        op: text.write
        with: {text: x}
        ```

        ```stage s
        op: text.stats
        inputs: {txt: a}
        ```
        """
        XCTAssertEqual(Fixtures.check(text).diagnostics.map(\.description), [
            "pipelines/test.md:8:1: error: op 'text.stats' requires input 'text': a file or directory of text files",
            "pipelines/test.md:8:10: error: op 'text.stats' has no input 'txt' (inputs: text)",
        ])
    }

    func testWarningsDoNotBlockValidation() {
        let text = "---\ntitel: x\n---\n```stage a extra\nop: text.write\nwith: {text: x}\n```\n"
        let result = Fixtures.check(text)
        XCTAssertNotNil(result.pipeline)
        XCTAssertEqual(result.diagnostics.map(\.description), [
            "pipelines/test.md:2:1: warning: unknown front-matter key 'titel' is ignored; did you mean 'title'?",
            "pipelines/test.md:4:1: warning: extra words after the stage name are ignored: 'extra'",
        ])
    }
}

final class ValidatorFileTests: XCTestCase {
    func testInputNamesMustBeSafeDirectoryNames() {
        let text = "```stage a\nop: text.write\nwith: {text: x}\n```\n```stage b\nop: text.concat\ninputs: {'..': a, 'x y': a, v1.2: a}\n```\n"
        XCTAssertEqual(Fixtures.check(text).diagnostics.map(\.description), [
            "pipelines/test.md:7:10: error: invalid input name '..': use letters, digits, '_', '-' and '.'",
            "pipelines/test.md:7:19: error: invalid input name 'x y': use letters, digits, '_', '-' and '.'",
        ])
    }

    func testDuplicateNeedsWarnsAndUnreadableFileThrows() throws {
        let text = "```stage a\nop: text.write\nwith: {text: x}\n```\n```stage b\nop: text.concat\nneeds: [a, a]\n```\n"
        let result = Fixtures.check(text)
        XCTAssertNotNil(result.pipeline)
        XCTAssertEqual(result.diagnostics.map(\.description),
                       ["pipelines/test.md:7:12: warning: stage 'a' is listed twice in 'needs'"])
        let validator = PipelineValidator(registry: .builtins, fileExists: { _ in false })
        XCTAssertThrowsError(try validator.check(fileAt: URL(fileURLWithPath: "/nonexistent/x.md"),
                                                 displayPath: "pipelines/x.md")) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot read pipelines/x.md: "), "\(error)")
        }
    }
}
