import Foundation
import Pipeline

/// Runs CPU-bound jobs on dedicated threads, at most `parallel` at a time,
/// handing each result to `completed` on the calling task in completion order.
///
/// Why threads: a training blocks for minutes; run on the cooperative pool it
/// would starve the runner's other tasks (progress events, other stages).
/// Two single-threaded trainings side by side use 2 cores better than one
/// two-threaded training, whose small-batch kernels do not scale.
func runConcurrently<T: Sendable>(_ count: Int, parallel: Int, context: OpContext,
                                  job: @escaping @Sendable (Int) throws -> T,
                                  completed: (Int, T) throws -> Void) async throws {
    try await withThrowingTaskGroup(of: (Int, T).self) { group in
        var next = 0
        func launch() {
            let index = next
            next += 1
            group.addTask {
                try await withCheckedThrowingContinuation { continuation in
                    Thread { continuation.resume(with: Result { (index, try job(index)) }) }.start()
                }
            }
        }
        while next < min(count, max(1, parallel)) { launch() }
        while let (index, value) = try await group.next() {
            try completed(index, value)
            if next < count {
                try context.checkCancellation()
                launch()
            }
        }
    }
}

/// "1h02m", "3m05s", "42s": compact durations for progress messages.
func formatDuration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
    if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
    return "\(s)s"
}
