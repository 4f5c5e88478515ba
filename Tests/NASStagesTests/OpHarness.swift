import Foundation
import Pipeline
import XCTest

/// Runs ops the way the runner does: parameters with defaults filled in and
/// checked against the schema, inputs as local URLs, a fresh output directory.
final class OpHarness {
    let scratch: URL
    private var counter = 0

    init() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("nasstages-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: scratch) }

    /// The repository root (this file is Tests/NASStagesTests/OpHarness.swift).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Writes `text` to a scratch file and returns its URL.
    func file(_ name: String, _ text: String) throws -> URL {
        let url = scratch.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// Runs `op` with `configure` setting parameters on a context whose other
    /// parameters hold their defaults; every value is validated as the
    /// document validator would.
    func run(_ op: any Op, inputs: [String: URL] = [:],
             configure: (inout OpContext) -> Void = { _ in }) async throws -> (OpResult, URL) {
        counter += 1
        let out = scratch.appendingPathComponent("out-\(counter)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        var context = OpContext(stage: "test", inputs: inputs, params: [:], outputDirectory: out)
        configure(&context)
        for spec in op.descriptor.params {
            if context.params[spec.name] == nil { context.params[spec.name] = spec.defaultValue }
            guard let value = context.params[spec.name] else { continue }
            switch spec.validate(value) {
            case let .success(coerced): context.params[spec.name] = coerced
            case let .failure(error): throw error
            }
        }
        return (try await op.run(context), out)
    }
}

/// Asserts that `body` throws an error whose description contains `fragment`.
func assertThrows(_ fragment: String, file: StaticString = #filePath, line: UInt = #line,
                  _ body: () async throws -> Void) async {
    do {
        try await body()
        XCTFail("expected an error containing '\(fragment)'", file: file, line: line)
    } catch {
        XCTAssertTrue("\(error)".contains(fragment), "'\(error)' does not contain '\(fragment)'", file: file, line: line)
    }
}
