import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT and SIGTERM into a call of `cancel` (once), via dispatch
/// signal sources, so a run can stop its stages and still record what finished.
/// The default handlers are ignored while it is installed and restored by `stop`.
final class SignalCanceller: @unchecked Sendable {
    // @unchecked: `signal` is written and read under `lock`; the sources are only touched in init/stop.
    private let lock = NSLock()
    private var signal: Int32?
    private var sources: [DispatchSourceSignal] = []

    /// Installs the handlers.
    init(cancel: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            Glibc.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                let first = self.lock.withLock { () -> Bool in
                    defer { if self.signal == nil { self.signal = number } }
                    return self.signal == nil
                }
                if first {
                    FileHandle.standardError.write(Data("\nnasbook: stopping (signal \(number))…\n".utf8))
                    cancel()
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The first signal received, if any.
    var received: Int32? { lock.withLock { signal } }

    /// Removes the handlers and restores the default actions.
    func stop() {
        for source in sources { source.cancel() }
        sources = []
        Glibc.signal(SIGINT, SIG_DFL)
        Glibc.signal(SIGTERM, SIG_DFL)
    }
}
