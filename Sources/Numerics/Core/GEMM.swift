import CBLAS

/// Row-major single-precision GEMM: `C[m, n] = alpha * op(A) * op(B) + beta * C`.
///
/// `op(A)` is `[m, k]` (A stored `[k, m]` when `transposeA`), `op(B)` is `[k, n]` (B stored
/// `[n, k]` when `transposeB`). Leading dimensions are the stored row lengths. Runs on the
/// calling thread's OpenBLAS context (single-threaded inside kernels, see `ComputeContext`).
@inline(__always)
func sgemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
           beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    if m == 0 || n == 0 { return }
    if k == 0 {
        // BLAS leaves C untouched with alpha*0; make the beta = 0 case well defined.
        if beta == 0 { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
        return
    }
    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// Public GEMM on tensors, `[m, k] x [k, n] -> [m, n]`, using `blasThreads` OpenBLAS threads;
/// exists for benchmarks (SGEMM peak) and for callers outside the kernels.
public func matmul(_ a: Tensor, _ b: Tensor, blasThreads: Int = 1) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[0], "matmul shapes \(a.shape) x \(b.shape)")
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    _ = BLASKernelSelection.coreName   // same kernels as the kernels use, even before any ComputeContext
    BLASThreads.set(blasThreads)
    defer { BLASThreads.useSingleThread() }
    return Tensor(uninitializedShape: [m, n]) { c in
        a.withUnsafePointer { pa in
            b.withUnsafePointer { pb in
                sgemm(transposeA: false, transposeB: false, m: m, n: n, k: k,
                      a: pa, lda: k, b: pb, ldb: n, beta: 0, c: c, ldc: n)
            }
        }
    }
}
