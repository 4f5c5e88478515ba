import CBLAS
import Foundation
import XCTest
@testable import Numerics

/// Timing-only measurements for docs/numerics.md, run by bench/kernels.sh in release mode.
/// Skipped unless NASBOOK_BENCH=1: the variable only decides whether timings are taken; it never
/// changes a computed result, and nothing here asserts a time.
final class NumericsBenchmarks: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["NASBOOK_BENCH"] == "1", "timing only; set NASBOOK_BENCH=1")
    }

    /// Best wall time of `repeats` runs after one warm-up, in seconds.
    private func best(_ repeats: Int = 5, _ body: () -> Void) -> Double {
        body()
        var result = Double.infinity
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            result = Swift.min(result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return result
    }

    private func report(_ line: String) { print("BENCH " + line) }

    func testSGEMMPeak() {
        for n in [512, 1024, 2048] {
            let a = TestSupport.random([n, n], seed: 1), b = TestSupport.random([n, n], seed: 2)
            for threads in [1, 2] {
                let t = best(3) { _ = matmul(a, b, blasThreads: threads) }
                report(String(format: "sgemm n=%d openblas_threads=%d %.1f GFLOP/s", n, threads, 2 * pow(Double(n), 3) / t / 1e9))
            }
        }
    }

    /// conv3x3, C = 16 -> 16, 28x28, batch 128, stride 1, pad 1: forward + backward (dx, dw).
    func testConv3x3LayoutComparison() {
        let (n, h, c) = (128, 28, 16)
        let flops = 3 * 2 * Double(n * h * h * c * 9 * c)
        let xNHWC = TestSupport.random([n, h, h, c], seed: 3), w = TestSupport.random([3, 3, c, c], seed: 4)
        let dy = TestSupport.random([n, h, h, c], seed: 5)
        for threads in [1, 2] {
            let ctx = ComputeContext(threads: threads)
            let f = best { _ = conv2dForward(xNHWC, weight: w, stride: 1, padding: 1, context: ctx) }
            let fb = best {
                _ = conv2dForward(xNHWC, weight: w, stride: 1, padding: 1, context: ctx)
                _ = conv2dBackward(xNHWC, weight: w, outputGradient: dy, stride: 1, padding: 1, context: ctx)
            }
            report(String(format: "conv3x3 NHWC threads=%d fwd %.2f ms fwd+bwd %.2f ms (%.1f GFLOP/s)", threads, f * 1e3, fb * 1e3, flops / fb / 1e9))
            let wNCHW = Tensor(shape: [c, c * 9], storage: w.storage)   // layout irrelevant for timing
            let fN = best { _ = nchwConvForward(xNHWC, w: wNCHW, n: n, c: c, h: h, context: ctx) }
            let fbN = best {
                _ = nchwConvForward(xNHWC, w: wNCHW, n: n, c: c, h: h, context: ctx)
                _ = nchwConvBackward(xNHWC, w: wNCHW, dy: dy, n: n, c: c, h: h, context: ctx)
            }
            report(String(format: "conv3x3 NCHW threads=%d fwd %.2f ms fwd+bwd %.2f ms (%.1f GFLOP/s)", threads, fN * 1e3, fbN * 1e3, flops / fbN / 1e9))
        }
    }

    /// The other NAS-Bench-201 edge costs at CIFAR scale (C = 16, 32x32, batch 256), 2 threads.
    func testCellOperationCosts() {
        var g = SplitMix64(seed: 7)
        let ctx = ComputeContext(threads: 2)
        let x = Tensor.randomNormal(shape: [256, 32, 32, 16], generator: &g)
        let dy = Tensor.randomNormal(shape: [256, 32, 32, 16], generator: &g)
        let ops: [(String, any Layer)] = [
            ("relu-conv3x3-bn", Sequential([ReLU(), Conv2d(inChannels: 16, outChannels: 16, kernelSize: 3, padding: 1, generator: &g), BatchNorm2d(channels: 16)])),
            ("relu-conv1x1-bn", Sequential([ReLU(), Conv2d(inChannels: 16, outChannels: 16, kernelSize: 1, generator: &g), BatchNorm2d(channels: 16)])),
            ("avgpool3x3", AvgPool2d()),
            ("batchnorm", BatchNorm2d(channels: 16)),
            ("relu", ReLU()),
        ]
        for (name, layer) in ops {
            let t = best(3) {
                _ = layer.forward(x, training: true, context: ctx)
                _ = layer.backward(dy, context: ctx)
            }
            report(String(format: "op %@ N=256 C=16 32x32 threads=2 fwd+bwd %.2f ms", name, t * 1e3))
        }
        let t = best(3) { var s = x; addInPlace(&s, dy, context: ctx) }
        report(String(format: "op add N=256 C=16 32x32 threads=2 %.2f ms", t * 1e3))
    }

    // MARK: NCHW competitor (bench only): per-image im2col [C*9, H*W] and GEMM W [C, C*9] x cols.

    private func nchwIm2col(_ x: UnsafePointer<Float>, c: Int, h: Int, cols: UnsafeMutablePointer<Float>) {
        for ci in 0..<c { for kh in 0..<3 { for kw in 0..<3 {
            let row = cols + ((ci * 3 + kh) * 3 + kw) * h * h
            for oh in 0..<h {
                let ih = oh - 1 + kh
                let dst = row + oh * h
                if ih < 0 || ih >= h { dst.update(repeating: 0, count: h); continue }
                let src = x + (ci * h + ih) * h
                for ow in 0..<h { let iw = ow - 1 + kw; dst[ow] = (iw >= 0 && iw < h) ? src[iw] : 0 }
            }
        }}}
    }

    private func nchwCol2im(_ cols: UnsafePointer<Float>, c: Int, h: Int, dx: UnsafeMutablePointer<Float>) {
        for ci in 0..<c { for kh in 0..<3 { for kw in 0..<3 {
            let row = cols + ((ci * 3 + kh) * 3 + kw) * h * h
            for oh in 0..<h {
                let ih = oh - 1 + kh
                if ih < 0 || ih >= h { continue }
                let dst = dx + (ci * h + ih) * h
                for ow in 0..<h { let iw = ow - 1 + kw; if iw >= 0 && iw < h { dst[iw] += row[oh * h + ow] } }
            }
        }}}
    }

    private func nchwConvForward(_ x: Tensor, w: Tensor, n: Int, c: Int, h: Int, context: ComputeContext) -> Tensor {
        let (hw, k) = (h * h, c * 9)
        return Tensor(uninitializedShape: [n, c, h, h]) { y in
            x.withUnsafePointer { px in w.withUnsafePointer { pw in
                context.forEachWorker(pieces: n) { worker in
                    let cols = UnsafeMutablePointer<Float>.allocate(capacity: k * hw)
                    defer { cols.deallocate() }
                    var img = worker
                    while img < n {
                        nchwIm2col(px + img * c * hw, c: c, h: h, cols: cols)
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(c), Int32(hw), Int32(k), 1, pw, Int32(k),
                                    cols, Int32(hw), 0, y + img * c * hw, Int32(hw))
                        img += Swift.min(context.threads, n)
                    }
                }
            }}
        }
    }

    private func nchwConvBackward(_ x: Tensor, w: Tensor, dy: Tensor, n: Int, c: Int, h: Int, context: ComputeContext) -> (Tensor, Tensor) {
        let (hw, k) = (h * h, c * 9)
        let workers = Swift.min(context.threads, n)
        var dx = Tensor(zeros: [n, c, h, h])
        var partial = [Float](repeating: 0, count: workers * c * k)
        x.withUnsafePointer { px in w.withUnsafePointer { pw in dy.withUnsafePointer { pdy in
        dx.withUnsafeMutablePointer { pdx in partial.withUnsafeMutableBufferPointer { pp in
            let pPartial = pp.baseAddress!
            context.forEachWorker(pieces: n) { worker in
                let cols = UnsafeMutablePointer<Float>.allocate(capacity: k * hw)
                let dcols = UnsafeMutablePointer<Float>.allocate(capacity: k * hw)
                defer { cols.deallocate(); dcols.deallocate() }
                var img = worker
                while img < n {
                    nchwIm2col(px + img * c * hw, c: c, h: h, cols: cols)
                    let g = pdy + img * c * hw
                    // dW [C, k] += dY [C, HW] x cols^T [HW, k]
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(c), Int32(k), Int32(hw), 1, g, Int32(hw),
                                cols, Int32(hw), 1, pPartial + worker * c * k, Int32(k))
                    // dcols [k, HW] = W^T [k, C] x dY [C, HW]
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(k), Int32(hw), Int32(c), 1, pw, Int32(k),
                                g, Int32(hw), 0, dcols, Int32(hw))
                    nchwCol2im(dcols, c: c, h: h, dx: pdx + img * c * hw)
                    img += workers
                }
            }
        }}}}}
        return (dx, sumSlots(partial, slots: workers, shape: [c, k]))
    }
}
