import Foundation

/// Runs a shell stage's command in a prepared working directory.
///
/// Store-agnostic: the caller materialises each input at `inputs/NAME` under
/// the working directory beforehand and captures the declared outputs
/// afterwards. The command sees a fixed, minimal environment — `PATH`, the
/// variables the stage declares in `env:` (values from the caller, the same
/// values that went into the key) and each `with:` parameter as
/// `NASBOOK_PARAM_<NAME>` — so nothing outside the key can change its result.
public struct ShellStageRunner: Sendable {
    /// `PATH` given to every command; fixed so the key need not record it.
    public static let path = "/usr/local/bin:/usr/bin:/bin"

    /// The shell that interprets `run:`.
    public var shell: String

    /// A runner using `/bin/sh`.
    public init(shell: String = "/bin/sh") {
        self.shell = shell
    }

    /// Kills the command's whole process group (Foundation starts the shell as
    /// a group leader): it reports the shell's exit only once every process
    /// holding its descriptors is gone, so killing the shell alone would leave
    /// the run waiting on its children (e.g. a `sleep` the shell forked).
    private static func kill(_ process: Process) {
        let pid = process.processIdentifier
        guard pid > 0 else { return }
        _ = Foundation.kill(-pid, SIGKILL)
        _ = Foundation.kill(pid, SIGKILL)
    }

    /// The environment the command of `stage` runs with.
    public static func environment(for stage: ResolvedStage, values: [String: String]) -> [String: String] {
        var env = ["PATH": path]
        for name in stage.env { if let value = values[name] { env[name] = value } }
        for (name, value) in stage.params {
            let upper = name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
            env["NASBOOK_PARAM_" + String(upper)] = value.description
        }
        return env
    }

    /// Runs `stage` (which must be a shell stage) in `workDirectory`, appending
    /// its stdout and stderr to `logFile`; returns the declared output URLs.
    /// Throws `PipelineError.shellFailed` on a non-zero exit,
    /// `PipelineError.missingOutput` when an output is absent, and
    /// `CancellationError` (after terminating the process) when cancelled.
    public func run(_ stage: ResolvedStage, in workDirectory: URL, environment values: [String: String],
                    logFile: URL) async throws -> [URL] {
        guard case let .shell(command) = stage.kind else {
            throw PipelineError.opFailed(op: stage.kindLabel, reason: "not a shell stage")
        }
        try Task.checkCancellation()
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        defer { try? log.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: shell)
        process.arguments = ["-c", command]
        process.currentDirectoryURL = workDirectory
        process.environment = Self.environment(for: stage, values: values)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log

        let status: Int32 = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do {
                    try process.run()
                    // Cancelled between the check above and the launch: the handler below has already run.
                    if Task.isCancelled { Self.kill(process) }
                } catch {
                    process.terminationHandler = nil
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            Self.kill(process)
        }
        try Task.checkCancellation()
        guard status == 0 else {
            let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            throw PipelineError.shellFailed(stage: stage.name, status: status, logTail: String(text.suffix(2_000)))
        }
        var outputs: [URL] = []
        for path in stage.outputs {
            let url = workDirectory.appendingPathComponent(path)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw PipelineError.missingOutput(stage: stage.name, path: path)
            }
            outputs.append(url)
        }
        return outputs
    }
}
