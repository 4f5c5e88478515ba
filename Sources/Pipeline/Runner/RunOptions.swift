import Foundation

/// How `PipelineRunner.run` behaves; the CLI's `run` flags map onto it one to one.
public struct RunOptions: Sendable {
    /// Maximum number of stages executing at once.
    public var jobs: Int
    /// Stages whose cache entry is ignored (`--force STAGE`); they execute even on a hit.
    public var force: Set<String>
    /// Run only this stage and its ancestors (`--until STAGE`).
    public var until: String?
    /// Report what would run without executing, recording or locking anything.
    public var dryRun: Bool
    /// Fail at once instead of waiting when another run of the same pipeline holds its lock.
    public var noWait: Bool
    /// The `--set` overrides the pipeline was validated with (already applied to its
    /// params); listed in the run's commit message.
    public var overrides: [ParamOverride]
    /// The front-matter preset the pipeline was validated with (`--preset NAME`),
    /// listed in the run's commit message before the overrides.
    public var preset: String?
    /// Values of the environment variables shell stages declare in `env:`. Passed in,
    /// never read here, so no hidden input reaches a stage.
    public var environment: [String: String]
    /// Host name written into run records.
    public var host: String
    /// Tool version written into run records.
    public var toolVersion: String

    /// Options with defaults: one job, no forcing, a real run that waits for the lock.
    public init(jobs: Int = 1, force: Set<String> = [], until: String? = nil, dryRun: Bool = false,
                noWait: Bool = false, overrides: [ParamOverride] = [], preset: String? = nil, environment: [String: String] = [:],
                host: String = "localhost", toolVersion: String = "0") {
        self.jobs = max(1, jobs)
        self.force = force
        self.until = until
        self.dryRun = dryRun
        self.noWait = noWait
        self.overrides = overrides
        self.preset = preset
        self.environment = environment
        self.host = host
        self.toolVersion = toolVersion
    }
}

/// What a run reports while it goes, for the CLI's progress display.
public enum RunEvent: Sendable {
    /// Another run of the pipeline holds its lock; this one waits (`pid` when known).
    case waitingForLock(pipeline: String, pid: Int32?)
    /// Garbage collection (or another exclusive holder) has the store; the run waits.
    case waitingForStore
    /// A stage missed the cache and starts executing.
    case started(stage: String)
    /// An executing op reported progress.
    case progress(stage: String, OpProgress)
    /// A stage finished (executed, cached, failed, skipped or cancelled) after `seconds`.
    case finished(stage: String, outcome: StageOutcome, seconds: Double)
    /// Dry run: the stage would execute.
    case wouldRun(stage: String)
}
