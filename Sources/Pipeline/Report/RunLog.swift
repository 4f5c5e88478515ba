import Foundation
import Provenance

/// Formatting of `nasbook log`: one line (or JSON object) per run.
public enum RunLog {
    /// How many of a run's stages executed, were reused from the cache, or failed.
    public struct Counts: Hashable, Sendable {
        /// Stages whose op ran.
        public var executed = 0
        /// Stages reused from an earlier run.
        public var cached = 0
        /// Stages that failed.
        public var failed = 0
    }

    /// Per-outcome counts of `run`'s records (a repeat reused every stage).
    public static func counts(_ run: RunSummary) -> Counts {
        var c = Counts()
        if run.repeatOf != nil {
            c.cached = run.records.count
            return c
        }
        for record in run.records {
            switch record.outcome {
            case .executed: c.executed += 1
            case .cached: c.cached += 1
            case .failed: c.failed += 1
            }
        }
        return c
    }

    /// `3f2a1b9c0d12  2026-11-23T02:47:08.123Z  message  [2 executed, 3 cached, 0 failed]`
    /// (only the message's first line, so every run is one line). A repeat reads
    /// `… repeat of 1a2b3c4d5e6f: message  [0 executed, 3 cached, 0 failed]`.
    public static func line(_ run: RunSummary) -> String {
        let c = counts(run)
        var message = run.message.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        if let of = run.repeatOf { message = "repeat of \(of.short): " + message }
        return "\(run.commit.short)  \(run.time)  \(message)  [\(c.executed) executed, \(c.cached) cached, \(c.failed) failed]"
    }

    /// The runs as a JSON array of `{commit, time, message, executed, cached, failed, stages}`
    /// (plus `repeat_of` for a repeat), `stages` mapping each stage to `executed`, `cached` or `failed`.
    public static func json(_ runs: [RunSummary]) throws -> Data {
        struct Entry: Encodable {
            let commit, time, message: String
            let executed, cached, failed: Int
            let stages: [String: String]
            let repeat_of: String?
        }
        let entries = runs.map { run in
            let c = counts(run)
            let stages = Dictionary(run.records.map { ($0.stage, run.repeatOf == nil ? HTMLReport.outcomeClass($0.outcome) : "cached") },
                                    uniquingKeysWith: { first, _ in first })
            return Entry(commit: run.commit.hex, time: run.time.description, message: run.message,
                         executed: c.executed, cached: c.cached, failed: c.failed, stages: stages,
                         repeat_of: run.repeatOf?.hex)
        }
        return try LineageRendering.encode(entries)
    }
}
