import ArgumentParser
import Foundation
import NASStages
import Pipeline

/// Options shared by the commands that read a pipeline document: where the
/// repository is, and how a NAME on the command line becomes a document.
struct RepositoryOptions: ParsableArguments {
    /// Repository root; pipelines live in `<repo>/pipelines/NAME.md`.
    @Option(name: .long, help: ArgumentHelp("Repository root (default: the current directory).", valueName: "dir"))
    var repo: String = "."

    /// The repository root, absolute.
    var repoURL: URL {
        URL(fileURLWithPath: repo, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
    }

    /// The ops the CLI knows (built-in text ops for now; NAS ops register here later).
    var registry: OpRegistry { .nasbook }

    /// Resolves NAME: a path to a `.md` file, or `pipelines/NAME.md` in the repository.
    /// Returns the pipeline name (file stem), the file and the path shown in diagnostics.
    func locate(_ name: String) throws -> (name: String, file: URL, display: String) {
        if name.hasSuffix(".md") || name.contains("/") {
            let file = URL(fileURLWithPath: name, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                .standardizedFileURL
            return (file.deletingPathExtension().lastPathComponent, file, name)
        }
        let file = repoURL.appendingPathComponent("pipelines/\(name).md")
        guard FileManager.default.fileExists(atPath: file.path) else {
            let known = (try? Self.pipelineNames(in: repoURL)) ?? []
            let hint = Suggestion.closest(to: name, among: known).map { "; did you mean '\($0)'?" } ?? ""
            throw PipelineError.unreadableDocument(path: "pipelines/\(name).md",
                                                   reason: "no such pipeline in \(repoURL.path)\(hint)")
        }
        return (name, file, "pipelines/\(name).md")
    }

    /// Names of the `pipelines/*.md` documents, sorted.
    static func pipelineNames(in repo: URL) throws -> [String] {
        let dir = repo.appendingPathComponent("pipelines")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return names.filter { $0.hasSuffix(".md") }.map { String($0.dropLast(3)) }.sorted()
    }

    /// Reads and validates NAME; prints diagnostics to stderr and throws
    /// `ExitCode.failure` when there are errors.
    func load(_ name: String, overrides: [ParamOverride] = [], preset: String? = nil) throws -> LoadedPipeline {
        let (pipelineName, file, display) = try locate(name)
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw PipelineError.unreadableDocument(path: display, reason: error.localizedDescription)
        }
        let validator = PipelineValidator(registry: registry, repositoryRoot: repoURL)
        let result = validator.check(String(decoding: data, as: UTF8.self), path: display, overrides: overrides,
                                     preset: preset)
        for diagnostic in result.diagnostics.sortedByLocation {
            FileHandle.standardError.write(Data("\(diagnostic)\n".utf8))
        }
        guard let pipeline = result.pipeline, !result.diagnostics.hasErrors else { throw ExitCode.failure }
        return LoadedPipeline(name: pipelineName, document: data, pipeline: pipeline)
    }
}

/// A pipeline read from disk and validated.
struct LoadedPipeline {
    /// Ledger name (file stem).
    var name: String
    /// The document bytes, committed as the run's snapshot.
    var document: Data
    /// The validated pipeline.
    var pipeline: ValidatedPipeline

    /// Values of every environment variable some stage declares in `env:`; these
    /// are declared inputs (they enter the key), so reading them here is not hidden.
    var declaredEnvironment: [String: String] {
        let names = Set(pipeline.stages.flatMap(\.env))
        let all = ProcessInfo.processInfo.environment
        return all.filter { names.contains($0.key) }
    }
}

/// Writes `value` as pretty, key-sorted JSON on stdout.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    FileHandle.standardOutput.write(try encoder.encode(value))
    FileHandle.standardOutput.write(Data("\n".utf8))
}

/// `--preset NAME` and `--set STAGE.PARAM=VALUE`, shared by the commands that
/// validate a pipeline (`run`, `check`, `status`) so they read a variant the same way.
struct VariantOptions: ParsableArguments {
    /// A named set of overrides from the document's front matter (`presets:`).
    @Option(help: ArgumentHelp("Apply a preset from the document's front matter (before any --set).",
                               valueName: "name"))
    var preset: String?

    /// Raw `--set` texts, parsed by `parsed()`.
    @Option(name: .customLong("set"), help: ArgumentHelp("Override a parameter.", valueName: "STAGE.PARAM=VALUE"))
    var overrides: [String] = []

    /// The `--set` overrides, parsed; throws `PipelineError.malformedOverride`.
    func parsed() throws -> [ParamOverride] { try overrides.map(ParamOverride.parse) }
}
