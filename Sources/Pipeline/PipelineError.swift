import Foundation

/// Errors thrown by the Pipeline module.
///
/// Document problems are not errors: they are collected as `Diagnostic`s so a
/// user sees all of them at once. These cases cover what goes wrong while
/// running ops, parsing command-line overrides and scheduling stages.
public enum PipelineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A `--set` override was not of the form `STAGE.PARAM=VALUE` (or `PARAM=VALUE`).
    case malformedOverride(String, reason: String)
    /// A parameter value does not fit its schema; `message` is the full one-line reason.
    case invalidParam(String, message: String)
    /// An op was asked for a parameter that validation should have supplied.
    case missingParam(op: String, param: String)
    /// An op was asked for an input it did not receive.
    case missingInput(op: String, input: String)
    /// An op failed while doing its work.
    case opFailed(op: String, reason: String)
    /// A stage could not start because an upstream stage failed.
    case upstreamFailed(stage: String, upstream: String)
    /// A stage name passed on the command line does not exist.
    case unknownStage(String, suggestion: String?)
    /// A cache key could not be built because an input's digest was not supplied.
    case missingInputDigest(stage: String, input: String)
    /// A stored key record is not in the `key: value` line format.
    case malformedKeyRecord(line: Int, reason: String)
    /// An input could not be resolved to a digest.
    case unresolvedInput(stage: String, input: String, reason: String)
    /// A shell stage's command exited with a non-zero status; `logTail` is the end of its output.
    case shellFailed(stage: String, status: Int32, logTail: String)
    /// A shell stage finished without writing a declared output.
    case missingOutput(stage: String, path: String)
    /// A pipeline document could not be read.
    case unreadableDocument(path: String, reason: String)

    /// One line naming what went wrong and where.
    public var description: String {
        switch self {
        case let .malformedOverride(text, reason):
            return "malformed override '\(text)': \(reason)"
        case let .invalidParam(_, message):
            return message
        case let .missingParam(op, param):
            return "op '\(op)': parameter '\(param)' was not supplied"
        case let .missingInput(op, input):
            return "op '\(op)': input '\(input)' was not supplied"
        case let .opFailed(op, reason):
            return "op '\(op)' failed: \(reason)"
        case let .upstreamFailed(stage, upstream):
            return "stage '\(stage)' not run: upstream stage '\(upstream)' failed"
        case let .unknownStage(name, suggestion):
            return "unknown stage '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case let .missingInputDigest(stage, input):
            return "stage '\(stage)': no digest for input '\(input)'"
        case let .malformedKeyRecord(line, reason):
            return "malformed key record line \(line): \(reason)"
        case let .unresolvedInput(stage, input, reason):
            return "stage '\(stage)': cannot resolve input '\(input)': \(reason)"
        case let .shellFailed(stage, status, logTail):
            let tail = logTail.split(separator: "\n").last.map { ": \($0)" } ?? ""
            return "stage '\(stage)': command exited with status \(status)\(tail)"
        case let .missingOutput(stage, path):
            return "stage '\(stage)': declared output '\(path)' was not written"
        case let .unreadableDocument(path, reason):
            return "cannot read \(path): \(reason)"
        }
    }
}
