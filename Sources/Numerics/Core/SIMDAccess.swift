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

/// Rows per tile of the element-wise channel loops (see `forEachRowTile`).
let channelLoopTileRows = 64

/// Calls `body` on consecutive tiles of `channelLoopTileRows` rows of `range`.
///
/// Why: the per-channel kernels keep 8 channels' coefficients in registers and walk the rows,
/// once per group of 8 channels. Over a whole worker's range (up to ~10 MB at k*C = 48
/// channels) every group re-streams the tensor from memory: 6 passes at 48 channels. Tiles of
/// 64 rows (12 KiB per tensor at 48 channels) stay in L1 across the groups, so each tensor is
/// read once. Element-wise work only: tiling never changes a result.
@inline(__always)
func forEachRowTile(_ range: Range<Int>, _ body: (Range<Int>) -> Void) {
    var start = range.lowerBound
    while start < range.upperBound {
        let end = Swift.min(range.upperBound, start + channelLoopTileRows)
        body(start..<end)
        start = end
    }
}

/// Unaligned 16-wide load: one AVX-512 register (two AVX2 or four SSE registers otherwise).
@inline(__always)
func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

/// Stores 16 floats at `p` (no alignment requirement).
@inline(__always)
func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}
