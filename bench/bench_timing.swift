// Timing helper shared by the single-file kernel benchmarks (bench/fused_passes.swift,
// bench/epilogue_fusions.swift): compile it beside them (see their headers).
import Foundation

/// Wall time in milliseconds of the fastest of `repeats` calls of `body`, after one untimed
/// warm-up call. Best-of, not mean: on a shared machine the minimum is the least disturbed run.
func bestMilliseconds(_ repeats: Int, _ body: () -> Void) -> Double {
    body()
    var result = Double.infinity
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        result = Swift.min(result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return result
}
