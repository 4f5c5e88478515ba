/// Unaligned 8-wide loads and stores for the channel loops of the memory-bound kernels.
///
/// Auto-vectorisation fails on loops that read and accumulate through several raw pointers
/// (the compiler must assume they alias), which made batch-norm backward 4x and average
/// pooling 3x slower than their memory traffic allows; explicit SIMD8 with register
/// accumulators removes that dependence. Callers handle `count % 8` leftovers with scalar code.
@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

/// Stores 8 floats at `p` (no alignment requirement).
@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}
