import CBLAS
import Dispatch

/// How many threads the kernels may use: the only knob that can change floating-point results,
/// so it is an explicit value passed to every kernel rather than a global.
///
/// Threading model (chosen to avoid oversubscription on small machines): kernels split their
/// work into independent pieces (images, row blocks) and run them with
/// `DispatchQueue.concurrentPerform` on `threads` workers; any GEMM issued inside a worker runs
/// on a single OpenBLAS thread. OpenBLAS's own thread pool is therefore never used by the
/// kernels (see `BLASThreads`). Reductions are cut into blocks whose boundaries depend on the
/// shapes only, and partial results are combined in block order, so the kernels in this module
/// give bit-identical results for any thread count.
public struct ComputeContext: Sendable, Equatable {
    /// Number of worker threads, at least 1.
    public let threads: Int

    /// A context with `threads` workers (clamped to at least 1).
    public init(threads: Int) {
        self.threads = Swift.max(1, threads)
        _ = AllocatorTuning.applied
        _ = BLASKernelSelection.coreName
    }

    /// Single-threaded context, handy for tests and references.
    public static let serial = ComputeContext(threads: 1)

    /// Runs `body(worker)` for `worker` in `0..<min(threads, pieces)` concurrently and returns
    /// when all are done. `body` must only write memory no other worker touches.
    public func forEachWorker(pieces: Int, _ body: (Int) -> Void) {
        let workers = Swift.min(threads, pieces)
        if workers <= 0 { return }
        BLASThreads.useSingleThread()
        if workers == 1 {
            body(0)
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: workers) { box.value($0) }
        }
    }

    /// Runs `body(range)` over `0..<count` cut into at most `threads` contiguous ranges.
    /// Use only for work whose result does not depend on the cut (element-wise maps).
    public func parallelRanges(_ count: Int, minimumPerWorker: Int = 4096, _ body: (Range<Int>) -> Void) {
        let workers = Swift.max(1, Swift.min(threads, count / Swift.max(1, minimumPerWorker)))
        forEachWorker(pieces: workers) { worker in
            body(count * worker / workers ..< count * (worker + 1) / workers)
        }
    }

    /// Runs `body(piece)` for every `piece` in `0..<pieces`, pieces dealt round-robin to the
    /// workers. Results must not depend on which worker handles a piece.
    public func forEachPiece(_ pieces: Int, _ body: (Int) -> Void) {
        let workers = Swift.min(threads, pieces)
        forEachWorker(pieces: workers) { worker in
            var piece = worker
            while piece < pieces {
                body(piece)
                piece += workers
            }
        }
    }
}

/// Wraps a non-Sendable value that is provably used safely across threads.
/// `@unchecked Sendable` because the closures handed to `concurrentPerform` write disjoint
/// memory and `concurrentPerform` joins before returning, which the compiler cannot see.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Control of OpenBLAS's internal thread pool.
public enum BLASThreads {
    /// Makes OpenBLAS run each call on the calling thread; kernels call this before issuing
    /// GEMMs from parallel workers so two thread pools never compete for the cores.
    public static func useSingleThread() {
        if openblas_get_num_threads() != 1 { openblas_set_num_threads(1) }
    }

    /// Sets OpenBLAS's thread count (benchmarks only; kernels reset it to 1).
    public static func set(_ threads: Int) {
        openblas_set_num_threads(Int32(threads))
    }

    /// OpenBLAS's current thread count.
    public static var current: Int { Int(openblas_get_num_threads()) }

    /// The OpenBLAS kernel family in use (e.g. "SkylakeX"), after `BLASKernelSelection` has run;
    /// benchmarks print it next to their figures.
    public static var coreName: String { BLASKernelSelection.coreName }
}
