import XCTest
@testable import Pipeline

/// Front-matter presets (`--preset NAME`): parsed with positions, applied
/// before `--set`, reported at their own lines when wrong, and named in the
/// run's commit message.
final class PresetTests: XCTestCase {
    private let document = """
        ---
        params:
          word: hello
        presets:
          quick:
            word: hi
            b.repeat: 3
          loud:
            word: HEY
        ---

        ```stage a
        op: text.write
        with: {text: "${word}"}
        ```

        ```stage b
        op: text.write
        with: {text: b, repeat: 1}
        ```
        """

    private func check(_ text: String, overrides: [String] = [], preset: String?) throws -> ValidationResult {
        PipelineValidator(registry: .builtins, fileExists: { _ in false })
            .check(text, path: "pipelines/test.md", overrides: try overrides.map(ParamOverride.parse), preset: preset)
    }

    func testPresetsAreParsedInDocumentOrderWithTheirPositions() {
        let parsed = DocumentParser.parse(document, path: "pipelines/test.md")
        XCTAssertEqual(parsed.diagnostics.map(\.description), [])
        XCTAssertEqual(parsed.document.presets.keys.sorted(), ["loud", "quick"])
        let quick = parsed.document.presets["quick"]!
        XCTAssertEqual(quick.location, SourceLocation(line: 5, column: 3))
        XCTAssertEqual(quick.overrides.map(\.text), ["word=\"hi\"", "b.repeat=3"])
        XCTAssertEqual(quick.overrides.map(\.stage), [nil, "b"])
        XCTAssertEqual(quick.overrides.map(\.location), [SourceLocation(line: 6, column: 5), SourceLocation(line: 7, column: 5)])
    }

    func testAPresetGivesTheSameParamsAsTheSameSetFlagsAndSetWins() throws {
        let preset = try XCTUnwrap(check(document, preset: "quick").pipeline)
        let flags = try XCTUnwrap(check(document, overrides: ["word=hi", "b.repeat=3"], preset: nil).pipeline)
        XCTAssertEqual(preset.stage(named: "a")?.params["text"], "hi")
        XCTAssertEqual(preset.stage(named: "b")?.params["repeat"], 3)
        XCTAssertEqual(preset.stages.map(\.params), flags.stages.map(\.params), "same params, hence the same keys")
        let both = try XCTUnwrap(check(document, overrides: ["b.repeat=5"], preset: "quick").pipeline)
        XCTAssertEqual(both.stage(named: "b")?.params["repeat"], 5)
        XCTAssertEqual(both.stage(named: "a")?.params["text"], "hi")
        let plain = try XCTUnwrap(check(document, preset: nil).pipeline)
        XCTAssertEqual(plain.stage(named: "a")?.params["text"], "hello", "presets apply only when named")
    }

    func testAnUnknownPresetIsAnErrorNamingTheKnownOnes() throws {
        XCTAssertEqual(try check(document, preset: "quik").diagnostics.map(\.description), [
            "pipelines/test.md:1:1: error: --preset quik: the front matter defines no preset 'quik' "
                + "(presets: loud, quick); did you mean 'quick'?",
        ])
        XCTAssertEqual(try check("```stage a\nop: text.write\nwith: {text: x}\n```\n", preset: "quick")
                           .diagnostics.map(\.description),
                       ["pipelines/test.md:1:1: error: --preset quick: the front matter defines no preset 'quick' (it defines none)"])
    }

    func testWrongPresetEntriesAreReportedWhereTheyAreWritten() throws {
        let text = """
            ---
            params: {word: hello}
            presets:
              quick:
                wrd: hi
                c.repeat: 3
                b.repeat: many
            ---

            ```stage b
            op: text.write
            with: {text: b}
            ```
            """
        XCTAssertEqual(try check(text, preset: "quick").diagnostics.map(\.description), [
            "pipelines/test.md:5:5: error: preset 'quick' wrd=\"hi\": no front-matter param 'wrd'; did you mean 'word'?",
            "pipelines/test.md:6:5: error: preset 'quick' c.repeat=3: no stage 'c'; did you mean 'b'?",
            "pipelines/test.md:12:1: error: preset 'quick' b.repeat=\"many\": parameter 'repeat' expects int, found string \"many\"",
        ])
        XCTAssertNotNil(try check(text, preset: nil).pipeline, "an unused preset is not validated against the stages")
    }

    func testMalformedPresetsAreParseErrors() {
        let text = """
            ---
            presets:
              quick: 3
              bad name: {x: 1}
              ok:
                .x: 1
            ---
            """
        XCTAssertEqual(DocumentParser.parse(text, path: "pipelines/test.md").diagnostics.map(\.description), [
            "pipelines/test.md:3:10: error: preset 'quick' must be a mapping of PARAM or STAGE.PARAM to a value",
            "pipelines/test.md:4:3: error: preset name 'bad name' must be letters, digits, '-' or '_'",
            "pipelines/test.md:6:5: error: preset 'ok': '' is not a stage name",
        ])
    }

    func testTheCommitMessageNamesThePresetBeforeTheOverrides() throws {
        let report = SchedulerReport(outcomes: [:], completionOrder: [])
        let message = PipelineRunner.message(name: "p", report: report, interrupted: false, preset: "quick",
                                             overrides: [try ParamOverride.parse("b.repeat=5")])
        XCTAssertEqual(message, "run p: 0 executed, 0 cached, 0 failed\n\n--preset quick\n--set b.repeat=5")
    }
}
