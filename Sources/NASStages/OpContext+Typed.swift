import Foundation
import Pipeline

/// Typed parameter access for the NAS ops.
///
/// Validation has already checked every value against the op's schema, so a
/// wrong type here means the schema and the op disagree (an op bug); it is
/// still reported as a one-line stage failure rather than a crash.
extension OpContext {
    /// Integer parameter `name`.
    func int(_ name: String, op: String) throws -> Int {
        guard let value = try param(name, op: op).intValue else { throw wrongType(name, "an int", op: op) }
        return value
    }

    /// Double parameter `name` (ints widen).
    func double(_ name: String, op: String) throws -> Double {
        guard let value = try param(name, op: op).numericValue else { throw wrongType(name, "a number", op: op) }
        return value
    }

    /// String parameter `name`.
    func string(_ name: String, op: String) throws -> String {
        guard let value = try param(name, op: op).stringValue else { throw wrongType(name, "a string", op: op) }
        return value
    }

    /// List-of-int parameter `name`.
    func intList(_ name: String, op: String) throws -> [Int] {
        guard let items = try param(name, op: op).listValue else { throw wrongType(name, "a list of ints", op: op) }
        let values = items.compactMap(\.intValue)
        guard values.count == items.count else { throw wrongType(name, "a list of ints", op: op) }
        return values
    }

    /// List-of-string parameter `name`.
    func stringList(_ name: String, op: String) throws -> [String] {
        guard let items = try param(name, op: op).listValue else { throw wrongType(name, "a list of strings", op: op) }
        let values = items.compactMap(\.stringValue)
        guard values.count == items.count else { throw wrongType(name, "a list of strings", op: op) }
        return values
    }

    /// Seed parameter `name` as the unsigned seed the NAS library takes.
    func seed(_ name: String, op: String) throws -> UInt64 {
        let value = try int(name, op: op)
        guard value >= 0 else { throw PipelineError.opFailed(op: op, reason: "parameter '\(name)' = \(value) is negative") }
        return UInt64(value)
    }

    private func wrongType(_ name: String, _ expected: String, op: String) -> PipelineError {
        PipelineError.opFailed(op: op, reason: "parameter '\(name)' is not \(expected)")
    }
}
