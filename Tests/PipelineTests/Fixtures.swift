import Foundation
@testable import Pipeline

/// Documents shared by several test files.
enum Fixtures {
    /// A four-stage document: two independent sources, a concat and a shell stage.
    static let demo = """
    ---
    title: Demo pipeline
    description: used by the Pipeline tests
    params:
      greeting: hello
    ---

    # Ignored heading

    Some prose before the stages.

    ```stage hello
    op: text.write
    with:
      text: ${greeting}
      repeat: 2
    ```

    ```stage world
    op: text.write
    with:
      text: world
    ```

    Prose between stages.

    ```stage joined
    op: text.concat
    needs: [hello, world]
    with:
      separator: "--"
    ```

    ```stage shout
    run: tr a-z A-Z < inputs/text/out.txt > loud.txt
    inputs:
      text: joined
    outputs: [loud.txt]
    env: [LANG]
    ```

    Closing prose.
    """

    /// `demo` with prose rewritten, no front matter (the param inlined) and blocks reordered.
    static let demoEdited = """
    # Another title

    Rewritten introduction with *emphasis*.

    ```stage world
    op: text.write
    with:
      text: world
    ```

    ```stage hello
    op: text.write
    with: {repeat: 2, text: hello}
    ```

    More words.

    ```stage shout
    run: tr a-z A-Z < inputs/text/out.txt > loud.txt
    inputs:
      text: joined
    outputs: [loud.txt]
    env: [LANG]
    ```

    ```stage joined
    op: text.concat
    needs: [world, hello]
    with:
      separator: "--"
    ```
    """

    /// Parses and validates `text` as `pipelines/test.md` with the built-in ops;
    /// repository files listed in `files` exist, nothing else does.
    static func check(_ text: String, files: Set<String> = [], overrides: [ParamOverride] = []) -> ValidationResult {
        PipelineValidator(registry: .builtins, fileExists: { files.contains($0) })
            .check(text, path: "pipelines/test.md", overrides: overrides)
    }

    /// The validated pipeline of `text`; fails the calling test when invalid.
    static func pipeline(_ text: String, files: Set<String> = [], overrides: [ParamOverride] = []) throws
        -> ValidatedPipeline {
        let result = check(text, files: files, overrides: overrides)
        guard let pipeline = result.pipeline else {
            throw FixtureError.invalid(result.diagnostics.map(\.description).joined(separator: "\n"))
        }
        return pipeline
    }

    /// Why a fixture could not be used.
    enum FixtureError: Error { case invalid(String) }
}
