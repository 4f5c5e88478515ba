// Single-thread timings of the direct 3x3 convolution (copies of the register tiles of
// Sources/Numerics/Kernels/Conv2dDirect3x3*.swift, which are internal) against im2col + OpenBLAS
// SGEMM, per image, for the NB201 shapes of config (c) (28x28, 14x14, 7x7; fused Cout = k*C).
// Thread CPU time, best of 7 x 20 calls, operands cache-resident. For docs/numerics.md
// ("Direct 3x3 convolution").
// Run: swiftc -O -Xcc -march=x86-64-v4 -I Sources/CBLAS bench/direct_conv.swift -o /tmp/direct_conv && OPENBLAS_CORETYPE=SkylakeX /tmp/direct_conv
import CBLAS
import Foundation
import Glibc

func now() -> Double { var t = timespec(); clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9 }
func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
    for i in 0..<n { p[i] = Float((i * 7919) % 13) * 0.1 - 0.6 }
    return p
}
@inline(__always) func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
@inline(__always) func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self) }

@inline(__always)
func tile(_ src: UnsafePointer<Float>, rowStride: Int, cin: Int, w: UnsafePointer<Float>, cout: Int,
          out: UnsafeMutablePointer<Float>, eight: Bool) {
    var (a0, a1, a2, a3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    var (a4, a5, a6, a7) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    let (s1, s2, s3, s4, s5, s6, s7) = (cin, 2 &* cin, 3 &* cin, 4 &* cin, 5 &* cin, 6 &* cin, 7 &* cin)
    for kh in 0..<3 { for kw in 0..<3 {
        var p = src + (kh &* rowStride &+ kw &* cin)
        var wt = w + ((kh &* 3 &+ kw) &* cin &* cout)
        let end = p + cin
        while p < end {
            let wv = load16(wt)
            a0 = a0.addingProduct(SIMD16(repeating: p[0]), wv); a1 = a1.addingProduct(SIMD16(repeating: p[s1]), wv)
            a2 = a2.addingProduct(SIMD16(repeating: p[s2]), wv); a3 = a3.addingProduct(SIMD16(repeating: p[s3]), wv)
            a4 = a4.addingProduct(SIMD16(repeating: p[s4]), wv); a5 = a5.addingProduct(SIMD16(repeating: p[s5]), wv)
            a6 = a6.addingProduct(SIMD16(repeating: p[s6]), wv)
            if eight { a7 = a7.addingProduct(SIMD16(repeating: p[s7]), wv) }
            p += 1; wt += cout
        }
    }}
    store16(a0, out); store16(a1, out + cout); store16(a2, out + 2 &* cout); store16(a3, out + 3 &* cout)
    store16(a4, out + 4 &* cout); store16(a5, out + 5 &* cout); store16(a6, out + 6 &* cout)
    if eight { store16(a7, out + 7 &* cout) }
}

func pad(_ x: UnsafePointer<Float>, hw: Int, cin: Int, into p: UnsafeMutablePointer<Float>) {
    let rs = (hw + 2) * cin
    for r in 0..<hw { (p + (r + 1) * rs + cin).update(from: x + r * hw * cin, count: hw * cin) }
}

func directForward(_ x: UnsafePointer<Float>, hw: Int, cin: Int, w: UnsafePointer<Float>, cout: Int,
                   y: UnsafeMutablePointer<Float>, padded: UnsafeMutablePointer<Float>) {
    pad(x, hw: hw, cin: cin, into: padded)
    let rs = (hw + 2) * cin, t = hw % 8 == 0 ? 8 : 7
    for oh in 0..<hw { var ow = 0; while ow < hw { var co = 0; while co < cout {
        let (s, o) = (UnsafePointer(padded + oh * rs + ow * cin), y + (oh * hw + ow) * cout + co)
        if t == 8 { tile(s, rowStride: rs, cin: cin, w: w + co, cout: cout, out: o, eight: true) }
        else { tile(s, rowStride: rs, cin: cin, w: w + co, cout: cout, out: o, eight: false) }
        co += 16 }; ow += t } }
}

func directWeight(_ x: UnsafePointer<Float>, dy: UnsafePointer<Float>, hw: Int, cin: Int, cout: Int,
                  dw: UnsafeMutablePointer<Float>, padded: UnsafeMutablePointer<Float>) {
    pad(x, hw: hw, cin: cin, into: padded)
    let rs = (hw + 2) * cin
    for k in 0..<9 { var ci0 = 0; while ci0 < cin { var co0 = 0; while co0 < cout {
        let src = UnsafePointer(padded + (k / 3) * rs + (k % 3) * cin + ci0), out = dw + (k * cin + ci0) * cout + co0
        var (a0, a1, a2, a3) = (load16(out), load16(out + cout), load16(out + 2 * cout), load16(out + 3 * cout))
        var (a4, a5, a6, a7) = (load16(out + 4 * cout), load16(out + 5 * cout), load16(out + 6 * cout), load16(out + 7 * cout))
        var d = dy + co0
        for oh in 0..<hw {
            var p = src + oh &* rs
            let end = p + hw &* cin
            while p < end {
                let v = load16(d)
                a0 = a0.addingProduct(SIMD16(repeating: p[0]), v); a1 = a1.addingProduct(SIMD16(repeating: p[1]), v)
                a2 = a2.addingProduct(SIMD16(repeating: p[2]), v); a3 = a3.addingProduct(SIMD16(repeating: p[3]), v)
                a4 = a4.addingProduct(SIMD16(repeating: p[4]), v); a5 = a5.addingProduct(SIMD16(repeating: p[5]), v)
                a6 = a6.addingProduct(SIMD16(repeating: p[6]), v); a7 = a7.addingProduct(SIMD16(repeating: p[7]), v)
                p += cin; d += cout
            }
        }
        store16(a0, out); store16(a1, out + cout); store16(a2, out + 2 * cout); store16(a3, out + 3 * cout)
        store16(a4, out + 4 * cout); store16(a5, out + 5 * cout); store16(a6, out + 6 * cout); store16(a7, out + 7 * cout)
        co0 += 16 }; ci0 += 8 } }
}

/// The GEMM path's im2col (row-wise copies of `cin` floats; the library's is a little faster).
func im2col(_ x: UnsafePointer<Float>, hw: Int, cin: Int, cols: UnsafeMutablePointer<Float>) {
    for oh in 0..<hw { for ow in 0..<hw { for k in 0..<9 {
        let (ih, iw) = (oh + k / 3 - 1, ow + k % 3 - 1)
        let dst = cols + ((oh * hw + ow) * 9 + k) * cin
        if ih < 0 || ih >= hw || iw < 0 || iw >= hw { dst.update(repeating: 0, count: cin) }
        else { dst.update(from: x + (ih * hw + iw) * cin, count: cin) }
    }}}
}
func sgemm(_ ta: Bool, _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>,
           _ c: UnsafeMutablePointer<Float>) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(lda),
                b, Int32(n), 0, c, Int32(n))
}
openblas_set_num_threads(1)
func bench(_ body: () -> Void) -> Double {
    body()
    var best = 1e9
    for _ in 0..<7 { let t0 = now(); for _ in 0..<20 { body() }; best = min(best, (now() - t0) / 20) }
    return best
}
/// The core's FMA ceiling: 16 independent SIMD16 accumulators, register operands only (no loads),
/// so the tiles' GFLOP/s below can be read as a fraction of it (session 6: both at ~115).
@inline(never) func fmaPeak(_ n: Int, _ s: Float) -> Float {
    var a = [SIMD16<Float>](repeating: SIMD16(repeating: 1), count: 16)
    let (m, c) = (SIMD16<Float>(repeating: s), SIMD16<Float>(repeating: 0.5))
    a.withUnsafeMutableBufferPointer { acc in
        var (a0, a1, a2, a3, a4, a5, a6, a7) = (acc[0], acc[1], acc[2], acc[3], acc[4], acc[5], acc[6], acc[7])
        var (b0, b1, b2, b3, b4, b5, b6, b7) = (acc[8], acc[9], acc[10], acc[11], acc[12], acc[13], acc[14], acc[15])
        for _ in 0..<n {
            a0 = a0.addingProduct(m, c); a1 = a1.addingProduct(m, c); a2 = a2.addingProduct(m, c); a3 = a3.addingProduct(m, c)
            a4 = a4.addingProduct(m, c); a5 = a5.addingProduct(m, c); a6 = a6.addingProduct(m, c); a7 = a7.addingProduct(m, c)
            b0 = b0.addingProduct(m, c); b1 = b1.addingProduct(m, c); b2 = b2.addingProduct(m, c); b3 = b3.addingProduct(m, c)
            b4 = b4.addingProduct(m, c); b5 = b5.addingProduct(m, c); b6 = b6.addingProduct(m, c); b7 = b7.addingProduct(m, c)
        }
        (acc[0], acc[1], acc[2], acc[3], acc[4], acc[5], acc[6], acc[7]) = (a0, a1, a2, a3, a4, a5, a6, a7)
        (acc[8], acc[9], acc[10], acc[11], acc[12], acc[13], acc[14], acc[15]) = (b0, b1, b2, b3, b4, b5, b6, b7)
    }
    return a.reduce(SIMD16<Float>(), +).sum()   // keeps the loop alive
}
let peakIterations = 2_000_000
let peak = bench { _ = fmaPeak(peakIterations, 0.999) }
print(String(format: "FMA peak (registers only): %.0f GFLOP/s", Double(peakIterations) * 16 * 32 / peak / 1e9))
print("per image, ms (GFLOP/s); gemm = im2col + SGEMM; 'only' = the SGEMM alone")
for (hw, cin, cout) in [(28, 16, 48), (28, 16, 32), (28, 16, 16), (28, 48, 16), (14, 32, 96), (14, 32, 32), (14, 96, 32),
                        (7, 64, 192), (7, 64, 64), (7, 192, 64)] {
    let x = buffer(hw * hw * cin), w = buffer(9 * cin * cout), y = buffer(hw * hw * cout), dy = buffer(hw * hw * cout)
    let cols = buffer(hw * hw * 9 * cin), padded = buffer((hw + 2) * (hw + 2) * cin), dw = buffer(9 * cin * cout)
    padded.update(repeating: 0, count: (hw + 2) * (hw + 2) * cin)
    let flops = 2.0 * Double(hw * hw * 9 * cin * cout)
    let f = "%.3f (%3.0f)"
    func show(_ t: Double) -> String { String(format: f, t * 1e3, flops / t / 1e9) }
    let fg = bench { im2col(x, hw: hw, cin: cin, cols: cols); sgemm(false, hw * hw, cout, 9 * cin, cols, 9 * cin, w, y) }
    let fo = bench { sgemm(false, hw * hw, cout, 9 * cin, cols, 9 * cin, w, y) }
    let fd = bench { directForward(x, hw: hw, cin: cin, w: w, cout: cout, y: y, padded: padded) }
    let wg = bench { im2col(x, hw: hw, cin: cin, cols: cols); sgemm(true, 9 * cin, cout, hw * hw, cols, 9 * cin, dy, dw) }
    let wo = bench { sgemm(true, 9 * cin, cout, hw * hw, cols, 9 * cin, dy, dw) }
    var wd = 1e9
    if cin % 8 == 0 { wd = bench { directWeight(x, dy: dy, hw: hw, cin: cin, cout: cout, dw: dw, padded: padded) } }
    print("\(hw)x\(hw) \(cin)->\(cout): fwd gemm \(show(fg)) only \(show(fo)) direct \(show(fd)) = \(String(format: "%.2f", fd / fg))x"
          + " | dw gemm \(show(wg)) only \(show(wo)) direct \(show(wd)) = \(String(format: "%.2f", wd / wg))x")
}
