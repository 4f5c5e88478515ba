import CBLAS
#if canImport(Glibc)
import Glibc
#endif

/// Chooses OpenBLAS's kernel family from the CPU's features alone, so that no environment
/// variable decides which GEMM kernels (and hence which float roundings) the kernels get.
///
/// OpenBLAS (Debian's 0.3.21, built with `DYNAMIC_ARCH`) picks its kernels from the CPU model, or
/// from `OPENBLAS_CORETYPE` when that is set. This machine's environment sets
/// `OPENBLAS_CORETYPE=Haswell`, which pins the AVX2 kernels on an AVX-512 CPU (AMD Zen 5, which
/// OpenBLAS itself would run as "Cooperlake"): an environment variable that changes both results
/// and speed, against the project's no-hidden-inputs rule. Measured with thread CPU time on one
/// core (docs/numerics.md), the convolution GEMMs of the benchmark networks run 1.3–1.9x faster
/// with the AVX-512 (SkylakeX) kernels, e.g. `[3136, 144] x [144, 16]` 0.175 → 0.099 ms and a
/// 512³ SGEMM 106 → 198 GFLOP/s.
///
/// Rule (`targetCore`): the SkylakeX kernels when `/proc/cpuinfo` lists every AVX-512 subset
/// they use (F, DQ, CD, BW, VL), else the Haswell kernels when AVX2 and FMA are present, else
/// OpenBLAS's own choice. When the kernels in use differ, OpenBLAS's own dynamic initialisation
/// is rerun with the core type forced (its exported `gotoblas_dynamic_quit`/`gotoblas_dynamic_init`,
/// looked up by name). Like `AllocatorTuning` this runs once, when the first `ComputeContext` is
/// created, before any kernel issues a GEMM.
///
/// Determinism: every run on a given machine uses the same kernels at any thread count, so
/// results stay bit-identical per seed; they differ from runs that used the AVX2 kernels in the
/// last bits (different FMA blocking), as they would between two CPU models.
enum BLASKernelSelection {
    /// The OpenBLAS core name in use after the selection (e.g. "SkylakeX", "Haswell").
    static let coreName: String = {
        #if canImport(Glibc)
        if let target = targetCore(cpuFlags: cpuFlags()), target.name.lowercased() != currentCoreName().lowercased() {
            forceCoreType(target.coreType)
        }
        #endif
        return currentCoreName()
    }()

    /// OpenBLAS's name for the kernels it currently uses.
    static func currentCoreName() -> String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// AVX-512 subsets that OpenBLAS's SkylakeX kernels require (its own `support_avx512` test).
    static let avx512Flags: Set<String> = ["avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"]

    /// The kernel family for a CPU with `cpuFlags`: `name` as OpenBLAS reports it and the
    /// `coreType` string that forces it; nil to keep OpenBLAS's choice (no AVX2 + FMA).
    static func targetCore(cpuFlags: Set<String>) -> (name: String, coreType: String)? {
        if avx512Flags.isSubset(of: cpuFlags) { return ("SkylakeX", "SKYLAKEX") }
        if cpuFlags.contains("avx2") && cpuFlags.contains("fma") { return ("Haswell", "HASWELL") }
        return nil
    }

    /// The `flags` line of the first processor in `/proc/cpuinfo` (empty if unreadable).
    static func cpuFlags() -> Set<String> {
        #if canImport(Glibc)
        guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0 {
            let text = String(cString: line!)
            if text.hasPrefix("flags") {
                guard let colon = text.firstIndex(of: ":") else { return [] }
                return Set(text[text.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
            }
        }
        #endif
        return []
    }

    #if canImport(Glibc)
    /// Re-runs OpenBLAS's dynamic kernel selection with `OPENBLAS_CORETYPE` set to `core`, then
    /// restores the variable's previous value (OpenBLAS reads it only during initialisation).
    private static func forceCoreType(_ core: String) {
        guard let quitSymbol = dlsym(nil, "gotoblas_dynamic_quit"),
              let initSymbol = dlsym(nil, "gotoblas_dynamic_init") else { return }
        typealias VoidFunction = @convention(c) () -> Void
        let quit = unsafeBitCast(quitSymbol, to: VoidFunction.self)
        let reinit = unsafeBitCast(initSymbol, to: VoidFunction.self)
        let previous = getenv("OPENBLAS_CORETYPE").map { String(cString: $0) }
        setenv("OPENBLAS_CORETYPE", core, 1)
        quit()
        reinit()
        if let previous { setenv("OPENBLAS_CORETYPE", previous, 1) } else { unsetenv("OPENBLAS_CORETYPE") }
    }
    #endif
}
