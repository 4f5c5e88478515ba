import ArtifactStore

/// What happened to one stage in a scheduler run.
public enum StageOutcome: Hashable, Sendable {
    /// The key was found; the stage did not run.
    case cached(key: CacheKey, output: Digest)
    /// The stage ran and produced `output`.
    case executed(key: CacheKey, output: Digest)
    /// The stage failed (key is nil when it failed before the key was known).
    case failed(key: CacheKey?, message: String)
    /// Not started because upstream stage `upstream` failed or was cancelled.
    case skipped(upstream: String)
    /// Not started, or stopped, because the run was cancelled.
    case cancelled

    /// The output digest of a cached or executed stage.
    public var output: Digest? {
        switch self {
        case let .cached(_, output), let .executed(_, output): return output
        default: return nil
        }
    }

    /// The key, when it was computed.
    public var key: CacheKey? {
        switch self {
        case let .cached(key, _), let .executed(key, _): return key
        case let .failed(key, _): return key
        default: return nil
        }
    }
}

/// Progress notifications from the scheduler, for the CLI's live display.
public enum SchedulerEvent: Hashable, Sendable {
    /// The stage's key missed the cache and `execute` is being called.
    case started(stage: String, key: CacheKey)
    /// The stage finished with `outcome` (including cache hits and failures).
    case finished(stage: String, outcome: StageOutcome)
}

/// Everything a scheduler run did.
public struct SchedulerReport: Hashable, Sendable {
    /// Outcome of every stage of the pipeline that was scheduled.
    public var outcomes: [String: StageOutcome]
    /// Stages in the order their outcome became known.
    public var completionOrder: [String]

    /// A report.
    public init(outcomes: [String: StageOutcome], completionOrder: [String]) {
        self.outcomes = outcomes
        self.completionOrder = completionOrder
    }

    /// Stages that failed, with their messages, in completion order.
    public var failures: [(stage: String, message: String)] {
        completionOrder.compactMap { name in
            if case let .failed(_, message) = outcomes[name] { return (name, message) }
            return nil
        }
    }

    /// Stages that actually ran, in completion order.
    public var executed: [String] {
        completionOrder.filter { if case .executed = outcomes[$0] { return true } else { return false } }
    }

    /// Stages satisfied from the cache, in completion order.
    public var cached: [String] {
        completionOrder.filter { if case .cached = outcomes[$0] { return true } else { return false } }
    }

    /// True when every stage is cached or executed.
    public var succeeded: Bool { outcomes.values.allSatisfy { $0.output != nil } }

    /// Equality of outcomes and order.
    public static func == (lhs: SchedulerReport, rhs: SchedulerReport) -> Bool {
        lhs.outcomes == rhs.outcomes && lhs.completionOrder == rhs.completionOrder
    }

    /// Hashes outcomes and order.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(outcomes)
        hasher.combine(completionOrder)
    }
}

/// The work handed to `Scheduler.execute` for a stage that missed the cache.
public struct StageJob: Sendable {
    /// The stage to run.
    public var stage: ResolvedStage
    /// Input name → digest of the artifact to materialise for it.
    public var inputDigests: [String: Digest]
    /// The stage's key; the runner records the output under it.
    public var key: CacheKey

    /// A job for `stage`.
    public init(stage: ResolvedStage, inputDigests: [String: Digest], key: CacheKey) {
        self.stage = stage
        self.inputDigests = inputDigests
        self.key = key
    }
}
