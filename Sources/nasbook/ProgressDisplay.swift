import Foundation
import Pipeline
#if canImport(Glibc)
import Glibc
#endif

/// Shows a run's progress. On a terminal: finished stages scroll above a live
/// block with one line per running stage (a bar and an ETA when the op reports
/// a fraction). Otherwise: one timestamped line per event, for logs and CI.
final class ProgressDisplay: @unchecked Sendable {
    // @unchecked: all mutable state is accessed under `lock`.
    private let lock = NSLock()
    private let live: Bool
    private let quiet: Bool
    private var running: [(stage: String, start: Date, progress: OpProgress?)] = []
    private var drawnLines = 0
    private var timer: DispatchSourceTimer?

    /// A display on stdout; `quiet` (for `--json`) prints nothing.
    init(quiet: Bool) {
        self.quiet = quiet
        self.live = !quiet && isatty(STDOUT_FILENO) == 1
        if live {
            let timer = DispatchSource.makeTimerSource(queue: .global())
            timer.schedule(deadline: .now() + 0.25, repeating: 0.25)
            timer.setEventHandler { [weak self] in self?.redraw() }
            timer.resume()
            self.timer = timer
        }
    }

    /// Stops the live redraw and clears the live block.
    func finish() {
        timer?.cancel()
        lock.withLock { clearLive() }
    }

    /// Handles one runner event.
    func handle(_ event: RunEvent) {
        guard !quiet else { return }
        lock.withLock {
            switch event {
            case let .waitingForLock(pipeline, pid):
                emit("waiting for another run of \(pipeline)\(pid.map { " (pid \($0))" } ?? "")…")
            case .waitingForStore:
                emit("waiting for garbage collection to finish…")
            case let .started(stage):
                running.append((stage, Date(), nil))
                if !live { emit("run    \(stage)") }
            case let .progress(stage, progress):
                if let i = running.firstIndex(where: { $0.stage == stage }) { running[i].progress = progress }
            case let .finished(stage, outcome, seconds):
                running.removeAll { $0.stage == stage }
                switch outcome {
                case .executed: emit("done   \(stage) \(Self.duration(seconds))")
                case .cached: emit("cached \(stage)")
                case let .failed(_, message): emit("FAILED \(stage): \(message)")
                case let .skipped(upstream): emit("skip   \(stage) (upstream \(upstream) failed)")
                case .cancelled: emit("cancel \(stage)")
                }
            case let .wouldRun(stage):
                emit("would run \(stage)")
            }
            if live { drawLive() }
        }
    }

    private func emit(_ line: String) {
        clearLive()
        let stamp = live ? "" : Self.clockTime() + " "
        write(stamp + line + "\n")
    }

    private func redraw() {
        lock.withLock {
            clearLive()
            drawLive()
        }
    }

    private func clearLive() {
        guard live, drawnLines > 0 else { return }
        write("\u{1B}[\(drawnLines)A\u{1B}[J")
        drawnLines = 0
    }

    private func drawLive() {
        guard live, drawnLines == 0 else { return }
        for entry in running {
            let elapsed = Date().timeIntervalSince(entry.start)
            var line = "  ▸ \(entry.stage) \(Self.duration(elapsed))"
            if let fraction = entry.progress?.fraction, fraction > 0 {
                let width = 20, filled = Int((min(1, fraction) * Double(width)).rounded())
                let eta = elapsed / fraction - elapsed
                line += " [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                    + "] \(Int(fraction * 100))% ETA \(Self.duration(eta))"
            }
            if let message = entry.progress?.message, !message.isEmpty { line += " " + message }
            write(String(line.prefix(160)) + "\n")
        }
        drawnLines = running.count
    }

    /// Unbuffered, so live redraws and log lines appear in order.
    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// `0.4s`, `12.0s`, `3m05s`.
    static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        return String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60)
    }

    /// Local wall-clock time `HH:MM:SS` for plain log lines.
    static func clockTime() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}
