import ArtifactStore

/// Runs a validated pipeline's stages in dependency order with bounded
/// concurrency, skipping stages whose key is already cached.
///
/// Store-agnostic: the store, the ledger and process spawning live behind the
/// closures, so tests drive it with in-memory dictionaries. Keys are computed
/// from the *actual* output digests of upstream stages when they finish,
/// which gives early cutoff: an upstream that re-runs to identical bytes does
/// not invalidate its dependants.
public struct Scheduler: Sendable {
    /// Maximum number of stages executing at once (at least 1).
    public var jobs: Int
    /// Values for the environment variables shell stages declare in `env:`;
    /// supplied by the caller so nothing is read behind the key's back.
    public var environment: [String: String]
    /// Digest of the artifact an input refers to, given the upstream stage's
    /// output digest for stage inputs (nil for repository files).
    public var resolveInput: @Sendable (_ stage: ResolvedStage, _ input: InputBinding, _ upstreamOutput: Digest?)
        async throws -> Digest
    /// The output recorded for a key, or nil on a miss.
    public var lookup: @Sendable (CacheKey) async throws -> Digest?
    /// Runs a stage that missed the cache and returns its output digest.
    public var execute: @Sendable (StageJob) async throws -> Digest
    /// Receives progress events (called from scheduler tasks; must be thread-safe).
    public var onEvent: @Sendable (SchedulerEvent) -> Void

    /// A scheduler; `resolveInput` defaults to `Scheduler.wholeOutputsOnly`.
    public init(jobs: Int, environment: [String: String] = [:],
                resolveInput: @escaping @Sendable (ResolvedStage, InputBinding, Digest?) async throws -> Digest
                    = Scheduler.wholeOutputsOnly,
                lookup: @escaping @Sendable (CacheKey) async throws -> Digest?,
                execute: @escaping @Sendable (StageJob) async throws -> Digest,
                onEvent: @escaping @Sendable (SchedulerEvent) -> Void = { _ in }) {
        self.jobs = max(1, jobs)
        self.environment = environment
        self.resolveInput = resolveInput
        self.lookup = lookup
        self.execute = execute
        self.onEvent = onEvent
    }

    /// Input resolution without a store: a whole-output input is the upstream
    /// digest itself; sub-paths and repository files cannot be resolved and throw.
    public static let wholeOutputsOnly: @Sendable (ResolvedStage, InputBinding, Digest?) async throws -> Digest = {
        stage, input, upstream in
        if case .stage(_, nil) = input.source, let upstream { return upstream }
        throw PipelineError.unresolvedInput(stage: stage.name, input: input.name,
                                            reason: "'\(input.source)' needs a store to resolve")
    }

    /// Runs every stage of `pipeline` (use `pipeline.until(_:)` for a prefix).
    ///
    /// A failed stage stops its dependants from starting (they are reported as
    /// skipped) while independent branches carry on; running stages are never
    /// interrupted by another stage's failure. Cancelling the calling task
    /// cancels running stages and starts no new ones.
    public func run(_ pipeline: ValidatedPipeline) async -> SchedulerReport {
        let graph = pipeline.graph
        var outcomes: [String: StageOutcome] = [:]
        var completion: [String] = []
        var waitingOn = Dictionary(uniqueKeysWithValues: graph.nodes.map { ($0, graph.upstream[$0]?.count ?? 0) })
        var ready = (graph.topologicalOrder() ?? graph.nodes).filter { waitingOn[$0] == 0 }
        var outputs: [String: Digest] = [:]

        func settle(_ name: String, _ outcome: StageOutcome) {
            guard outcomes[name] == nil else { return }
            outcomes[name] = outcome
            completion.append(name)
        }
        func enqueue(_ name: String) {
            let at = ready.firstIndex { graph.documentIndex(of: $0)! > graph.documentIndex(of: name)! } ?? ready.endIndex
            ready.insert(name, at: at)
        }

        await withTaskGroup(of: (String, StageOutcome).self) { group in
            var running = 0
            while true {
                while running < jobs, !ready.isEmpty, !Task.isCancelled {
                    let name = ready.removeFirst()
                    guard let stage = pipeline.stage(named: name) else { continue }
                    let upstream = outputs.filter { graph.upstream[name]?.contains($0.key) == true }
                    group.addTask { (name, await self.runStage(stage, upstream: upstream)) }
                    running += 1
                }
                guard running > 0, let (name, outcome) = await group.next() else { break }
                running -= 1
                settle(name, outcome)
                onEvent(.finished(stage: name, outcome: outcome))
                if let output = outcome.output {
                    outputs[name] = output
                    for dependant in graph.downstream[name] ?? [] {
                        waitingOn[dependant]! -= 1
                        if waitingOn[dependant] == 0 && outcomes[dependant] == nil { enqueue(dependant) }
                    }
                } else {
                    let blocked: StageOutcome = outcome == .cancelled ? .cancelled : .skipped(upstream: name)
                    for dependant in graph.descendants(of: name) where outcomes[dependant] == nil {
                        ready.removeAll { $0 == dependant }
                        settle(dependant, blocked)
                        onEvent(.finished(stage: dependant, outcome: blocked))
                    }
                }
            }
        }
        for name in graph.nodes where outcomes[name] == nil { settle(name, .cancelled) }
        return SchedulerReport(outcomes: outcomes, completionOrder: completion)
    }

    /// Key, cache lookup and (on a miss) execution of one stage.
    private func runStage(_ stage: ResolvedStage, upstream: [String: Digest]) async -> StageOutcome {
        var key: CacheKey?
        do {
            try Task.checkCancellation()
            var digests: [String: Digest] = [:]
            for input in stage.inputs {
                digests[input.name] = try await resolveInput(stage, input, input.source.stageName.flatMap { upstream[$0] })
            }
            let stageKey = try CacheKey.make(stage: stage, inputDigests: digests, environment: environment)
            key = stageKey
            if let hit = try await lookup(stageKey) { return .cached(key: stageKey, output: hit) }
            try Task.checkCancellation()
            onEvent(.started(stage: stage.name, key: stageKey))
            let output = try await execute(StageJob(stage: stage, inputDigests: digests, key: stageKey))
            return .executed(key: stageKey, output: output)
        } catch is CancellationError {
            return .cancelled
        } catch {
            if Task.isCancelled { return .cancelled }
            return .failed(key: key, message: "\(error)")
        }
    }
}
