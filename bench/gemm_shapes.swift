// Single-thread SGEMM timings of the NB201 convolution GEMMs, unfused (n = C) against fused edge
// groups (n = k*C), for docs/numerics.md ("Fused convolution edges"). Thread CPU time, best of
// 7 x 5 calls, operands cache-resident (per-chunk shapes: 784 rows = one 28x28 image).
// Run: swiftc -O -I Sources/CBLAS bench/gemm_shapes.swift -o /tmp/gemm_shapes && OPENBLAS_CORETYPE=SkylakeX /tmp/gemm_shapes
// (the variable pins the AVX-512 kernels that Numerics selects on this CPU, see BLASKernelSelection).
import CBLAS
import Foundation
import Glibc

func now() -> Double { var t = timespec(); clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9 }
func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
    for i in 0..<n { p[i] = Float(i % 7) * 0.1 }
    return p
}
func gemm(_ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ a: UnsafeMutablePointer<Float>, _ lda: Int,
          _ b: UnsafeMutablePointer<Float>, _ ldb: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k),
                1, a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
}
openblas_set_num_threads(1)
let (a, b, c) = (buffer(4_000_000), buffer(4_000_000), buffer(4_000_000))
func bench(_ name: String, _ flops: Double, _ body: () -> Void) {
    body()
    var best = 1e9
    for _ in 0..<7 { let t0 = now(); for _ in 0..<5 { body() }; best = min(best, (now() - t0) / 5) }
    print(name, String(format: "%.3f ms  %.0f GFLOP/s", best * 1e3, flops / best / 1e9))
}
for (rows, cin) in [(784, 16), (392, 32), (196, 64)] {   // (c)'s three stages, one chunk each
    let p = 9 * cin
    print("rows \(rows), Cin \(cin), patch \(p)")
    for k in [1, 2, 3] {
        let n = k * cin
        bench("  forward     cols*w        n=\(n)", 2.0 * Double(rows * p * n)) { gemm(false, false, rows, n, p, a, p, b, n, c, n) }
        // stride-1 backward (transposed convolution): dx = colsDy [rows, 9n] * wf; g = colsDy^T * x
        bench("  stride-1    dx            k=\(k)", 2.0 * Double(rows * 9 * n * cin)) { gemm(false, false, rows, cin, 9 * n, a, 9 * n, b, cin, c, cin) }
        bench("  stride-1    dw            k=\(k)", 2.0 * Double(rows * 9 * n * cin)) { gemm(true, false, 9 * n, cin, rows, a, 9 * n, b, cin, c, cin) }
        // input-im2col backward: dw = cols^T * dy; dcols = dy * w^T
        bench("  input-im2col dw           k=\(k)", 2.0 * Double(rows * p * n)) { gemm(true, false, p, n, rows, a, p, b, n, c, n) }
        bench("  input-im2col dcols        k=\(k)", 2.0 * Double(rows * p * n)) { gemm(false, true, rows, p, n, a, n, b, n, c, p) }
    }
}
