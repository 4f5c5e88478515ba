// Single-thread timings of a direct 1x1 (pointwise) convolution (copies of the register tiles
// of Sources/Numerics/Kernels/Conv2dDirect1x1.swift, which are internal) against the GEMM path
// (OpenBLAS SGEMM on the NHWC matrix, per chunk of images as Conv2dGeometry.imagesPerChunk cuts
// it) for the NB201 cell's lone 1x1 conv on config (c): batch 128, C = 16 at 28x28, 32 at
// 14x14, 64 at 7x7. Whole batch (not cache-resident: these passes stream), thread CPU time,
// best of 7. Forward, dx (same tile, transposed weight) and dw (8 Cin x 16 Cout tiles summed
// over a chunk's pixels, chunk slots summed in order). For docs/numerics.md.
// Run: swiftc -O -Xcc -march=x86-64-v4 -I Sources/CBLAS bench/pointwise_conv.swift -o /tmp/pointwise_conv && OPENBLAS_CORETYPE=SkylakeX /tmp/pointwise_conv
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

/// 8 pixels x 16 outputs: out[p, co0..] = sum_ci x[p, ci] w[ci, co0..]
@inline(__always)
func tile(_ x: UnsafePointer<Float>, cin: Int, w: UnsafePointer<Float>, cout: Int, out: UnsafeMutablePointer<Float>) {
    var (a0, a1, a2, a3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    var (a4, a5, a6, a7) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    let (s1, s2, s3, s4, s5, s6, s7) = (cin, 2 &* cin, 3 &* cin, 4 &* cin, 5 &* cin, 6 &* cin, 7 &* cin)
    var p = x, wt = w
    let end = x + cin
    while p < end {
        let wv = load16(wt)
        a0 = a0.addingProduct(SIMD16(repeating: p[0]), wv); a1 = a1.addingProduct(SIMD16(repeating: p[s1]), wv)
        a2 = a2.addingProduct(SIMD16(repeating: p[s2]), wv); a3 = a3.addingProduct(SIMD16(repeating: p[s3]), wv)
        a4 = a4.addingProduct(SIMD16(repeating: p[s4]), wv); a5 = a5.addingProduct(SIMD16(repeating: p[s5]), wv)
        a6 = a6.addingProduct(SIMD16(repeating: p[s6]), wv); a7 = a7.addingProduct(SIMD16(repeating: p[s7]), wv)
        p += 1; wt += cout
    }
    store16(a0, out); store16(a1, out + cout); store16(a2, out + 2 &* cout); store16(a3, out + 3 &* cout)
    store16(a4, out + 4 &* cout); store16(a5, out + 5 &* cout); store16(a6, out + 6 &* cout); store16(a7, out + 7 &* cout)
}
func direct(_ x: UnsafePointer<Float>, rows: Int, cin: Int, w: UnsafePointer<Float>, cout: Int, y: UnsafeMutablePointer<Float>) {
    var r0 = 0
    while r0 < rows {
        let s = min(r0, rows - 8)
        var co = 0
        while co < cout { tile(x + s * cin, cin: cin, w: w + co, cout: cout, out: y + s * cout + co); co += 16 }
        r0 += 8
    }
}
/// dw[ci0..+8, co0..+16] = sum_p x[p, ci] dy[p, co]
func directDW(_ x: UnsafePointer<Float>, rows: Int, cin: Int, dy: UnsafePointer<Float>, cout: Int, dw: UnsafeMutablePointer<Float>) {
    var ci = 0
    while ci < cin {
        var co = 0
        while co < cout {
            var (a0, a1, a2, a3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
            var (a4, a5, a6, a7) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
            var px = x + ci, pd = dy + co
            for _ in 0..<rows {
                let d = load16(pd)
                a0 = a0.addingProduct(SIMD16(repeating: px[0]), d); a1 = a1.addingProduct(SIMD16(repeating: px[1]), d)
                a2 = a2.addingProduct(SIMD16(repeating: px[2]), d); a3 = a3.addingProduct(SIMD16(repeating: px[3]), d)
                a4 = a4.addingProduct(SIMD16(repeating: px[4]), d); a5 = a5.addingProduct(SIMD16(repeating: px[5]), d)
                a6 = a6.addingProduct(SIMD16(repeating: px[6]), d); a7 = a7.addingProduct(SIMD16(repeating: px[7]), d)
                px += cin; pd += cout
            }
            let o = dw + ci * cout + co
            store16(a0, o); store16(a1, o + cout); store16(a2, o + 2 &* cout); store16(a3, o + 3 &* cout)
            store16(a4, o + 4 &* cout); store16(a5, o + 5 &* cout); store16(a6, o + 6 &* cout); store16(a7, o + 7 &* cout)
            co += 16
        }
        ci += 8
    }
}
/// dw from all 16 Cout x the Cin tiles in one pass over the pixels (x row read once per 8 Cin).
func best(_ f: () -> Void) -> Double { var b = Double.infinity; for _ in 0..<7 { let t = now(); f(); b = min(b, now() - t) }; return b }

for (hw, c) in [(784, 16), (196, 32), (49, 64)] {
    let batch = 128, rows = batch * hw
    let chunk = max(1, min(batch, (1 << 17) / (hw * c)))
    let chunks = (batch + chunk - 1) / chunk
    let x = buffer(rows * c), w = buffer(c * c), y = buffer(rows * c), dy = buffer(rows * c), slots = buffer(chunks * c * c)
    let gflop = 2.0 * Double(rows * c * c) / 1e9
    let gF = best { var i = 0; while i < batch { let n = min(chunk, batch - i); cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n * hw), Int32(c), Int32(c), 1, x + i * hw * c, Int32(c), w, Int32(c), 0, y + i * hw * c, Int32(c)); i += chunk } }
    let dF = best { var i = 0; while i < batch { let n = min(chunk, batch - i); direct(x + i * hw * c, rows: n * hw, cin: c, w: w, cout: c, y: y + i * hw * c); i += chunk } }
    let gW = best { var i = 0, s = 0; while i < batch { let n = min(chunk, batch - i); cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(c), Int32(c), Int32(n * hw), 1, dy + i * hw * c, Int32(c), x + i * hw * c, Int32(c), 0, slots + s * c * c, Int32(c)); i += chunk; s += 1 } }
    let dW = best { var i = 0, s = 0; while i < batch { let n = min(chunk, batch - i); directDW(x + i * hw * c, rows: n * hw, cin: c, dy: dy + i * hw * c, cout: c, dw: slots + s * c * c); i += chunk; s += 1 } }
    print(String(format: "%3dx%-3d C=%2d chunk=%2d | fwd/dx GEMM %6.2f ms (%5.1f GF/s)  direct %6.2f ms (%5.1f GF/s)  x%.2f | dw GEMM %6.2f ms (%5.1f)  direct %6.2f ms (%5.1f)  x%.2f",
                 Int(Double(hw).squareRoot()), Int(Double(hw).squareRoot()), c, chunk, gF * 1e3, gflop / gF, dF * 1e3, gflop / dF, gF / dF, gW * 1e3, gflop / gW, dW * 1e3, gflop / dW, gW / dW))
}
