#if canImport(Glibc)
import Glibc
#endif

/// Keeps freed activation-sized blocks inside the process instead of returning them to the OS.
///
/// Every kernel returns a fresh tensor. With glibc's defaults a multi-megabyte block is mmap'd
/// and unmapped on free, so each new activation page-faults on first touch; on the measured VM
/// that cost 15 ms per 16 MiB tensor against 0.9 ms for the arithmetic (docs/numerics.md), i.e.
/// it dominated every memory-bound kernel. Raising the mmap threshold to glibc's maximum
/// (32 MiB) and disabling heap trimming lets malloc recycle those blocks with no faults; limiting
/// malloc to one arena keeps that recycling from multiplying across threads.
/// This changes speed and resident memory only, never a computed value. It is applied once, the
/// first time a `ComputeContext` is created; elsewhere than glibc it does nothing.
public enum AllocatorTuning {
    /// The mmap threshold set below: a request this large or larger (chunk header included) is
    /// served with fresh pages. Layers that choose block sizes (the fused NB201 cell) read it
    /// here, so the threshold has one definition.
    public static let mmapThresholdBytes = 32 << 20
    /// glibc's thread-arena heap size on 64-bit systems (`HEAP_MAX_SIZE`, twice the largest mmap
    /// threshold), used as the top pad below.
    static let heapBytes = 64 << 20
    /// Evaluated once (Swift guarantees thread-safe lazy initialisation of static lets).
    static let applied: Bool = {
        #if canImport(Glibc)
        // mallopt lives in <malloc.h>, which the Glibc module does not export; look it up by
        // name (RTLD_DEFAULT) instead of adding a C shim. Constants from <malloc.h>.
        guard let symbol = dlsym(nil, "mallopt") else { return false }
        typealias MalloptFunction = @convention(c) (Int32, Int32) -> Int32
        let mallopt = unsafeBitCast(symbol, to: MalloptFunction.self)
        let (trimThreshold, topPad, mmapThreshold, arenaMax): (Int32, Int32, Int32, Int32) = (-1, -2, -3, -8)
        _ = mallopt(mmapThreshold, Int32(mmapThresholdBytes))
        _ = mallopt(trimThreshold, Int32.max)
        // The trim threshold does not stop a thread arena (one of glibc's 64 MiB heaps chained per
        // arena) from unmapping a whole heap once it is entirely free: `heap_trim` deletes it
        // unless the previous heap's free room is below the top pad. The thread running the
        // training loop has such an arena (it allocated before this call), so a step that ends
        // with its last heap empty gave that heap back and the next step faulted up to 64 MiB
        // of fresh zeroed pages in again: 10.8 % of a config (c) CONV profile was the kernel
        // clearing pages (docs/numerics.md, "Session 7"). A top pad of one heap keeps every heap
        // mapped; it only reserves address space (heaps are mapped whole anyway), pages are
        // touched on first use as before.
        _ = mallopt(topPad, Int32(heapBytes))
        // One arena: with trimming off, every per-thread arena keeps its own peak forever, and
        // which threads allocate (Dispatch workers, the cooperative pool running the caller) varies
        // between runs; a single arena lets any thread reuse any freed block, so peak RSS is the
        // peak of live tensors plus fragmentation, not that times the number of arenas. The
        // kernels allocate on the calling thread only, so the arena lock is not contended.
        _ = mallopt(arenaMax, 1)
        return true
        #else
        return false
        #endif
    }()
}
