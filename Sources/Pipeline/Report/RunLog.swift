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

    /// Per-outcome counts of `run`'s records.
    public static func counts(_ run: RunSummary) -> Counts {
        var c = Counts()
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
    /// (only the message's first line, so every run is one line).
    public static func line(_ run: RunSummary) -> String {
        let c = counts(run)
        let message = run.message.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return "\(run.commit.short)  \(run.time)  \(message)  [\(c.executed) executed, \(c.cached) cached, \(c.failed) failed]"
    }

    /// The runs as a JSON array of `{commit, time, message, executed, cached, failed, stages}`,
    /// `stages` mapping each stage to `executed`, `cached` or `failed`.
    public static func json(_ runs: [RunSummary]) throws -> Data {
        struct Entry: Encodable {
            let commit, time, message: String
            let executed, cached, failed: Int
            let stages: [String: String]
        }
        let entries = runs.map { run in
            let c = counts(run)
            let stages = Dictionary(run.records.map { ($0.stage, HTMLReport.outcomeClass($0.outcome)) },
                                    uniquingKeysWith: { first, _ in first })
            return Entry(commit: run.commit.hex, time: run.time.description, message: run.message,
                         executed: c.executed, cached: c.cached, failed: c.failed, stages: stages)
        }
        return try LineageRendering.encode(entries)
    }

    /// `repeat 3f2a1b9c0d12  2026-11-23T02:47:08.000Z  message`: a no-op run logged
    /// on the ref (see `Ledger.recordRepeat`); the commit is the run it repeated.
    public static func line(_ repeated: RepeatedRun) -> String {
        "repeat \(repeated.commit.short)  \(time(of: repeated))  \(repeated.message)"
    }

    /// Repeats as a JSON array of `{commit, time, message}` (`commit`: the run repeated).
    public static func json(_ repeats: [RepeatedRun]) throws -> Data {
        struct Entry: Encodable { let commit, time, message: String }
        return try LineageRendering.encode(repeats.map {
            Entry(commit: $0.commit.hex, time: time(of: $0).description, message: $0.message)
        })
    }

    private static func time(of repeated: RepeatedRun) -> Timestamp {
        Timestamp(millisecondsSince1970: repeated.secondsSince1970 * 1000)
    }
}
