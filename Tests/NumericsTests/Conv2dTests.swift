import XCTest
@testable import Numerics

/// Convolution kernels vs the naive reference (rtol 1e-4, atol 1e-5) and finite differences.
final class Conv2dTests: XCTestCase {
    /// (input shape, kernel, Cout, stride, padding) configurations covering the 1x1 fast path,
    /// padded 3x3, strided 3x3, a strided 1x1 (im2col path), a 5x5 with Cin = 1 on a non-square
    /// image, an even 2x2 stride-2 kernel and an unpadded stride-1 3x3 (its dx runs the
    /// transposed convolution with padding 2).
    let cases: [([Int], Int, Int, Int, Int)] = [
        ([2, 5, 5, 3], 3, 4, 1, 1), ([2, 6, 6, 3], 3, 5, 2, 1), ([3, 4, 4, 3], 1, 2, 1, 0),
        ([2, 5, 5, 2], 1, 3, 2, 0), ([1, 7, 6, 1], 5, 2, 1, 2), ([2, 5, 4, 2], 2, 3, 2, 0),
        ([2, 5, 6, 2], 3, 3, 1, 0),
    ]

    func testForwardMatchesReference() {
        for (k, (shape, kernel, cout, s, p)) in cases.enumerated() {
            let x = TestSupport.random(shape, seed: UInt64(k))
            let w = TestSupport.random([kernel, kernel, shape[3], cout], seed: UInt64(100 + k))
            let b = TestSupport.random([cout], seed: UInt64(200 + k))
            let expected = conv2dForwardReference(x, weight: w, bias: b, stride: s, padding: p)
            for threads in [1, 2] {
                let y = conv2dForward(x, weight: w, bias: b, stride: s, padding: p, context: ComputeContext(threads: threads))
                assertClose(y, expected, "case \(k) threads \(threads)")
            }
            // A tiny workspace budget forces one image per chunk.
            let chunked = conv2dForward(x, weight: w, bias: b, stride: s, padding: p, workspaceFloats: 1, context: ComputeContext(threads: 2))
            assertClose(chunked, expected, "case \(k) chunked")
        }
    }

    func testBackwardMatchesReference() {
        for (k, (shape, kernel, cout, s, p)) in cases.enumerated() {
            let x = TestSupport.random(shape, seed: UInt64(k))
            let w = TestSupport.random([kernel, kernel, shape[3], cout], seed: UInt64(100 + k))
            let g = Conv2dGeometry(input: shape, weight: w.shape, stride: s, padding: p)
            let dy = TestSupport.random(g.outputShape, seed: UInt64(300 + k))
            let expected = conv2dBackwardReference(x, weight: w, outputGradient: dy, stride: s, padding: p)
            for budget in [Conv2dGeometry.workspaceFloats, 1] {
                for method in [Conv2dBackwardMethod.automatic, .inputIm2col] {
                    let got = conv2dBackward(x, weight: w, outputGradient: dy, stride: s, padding: p, hasBias: true,
                                             computeInputGradient: true, method: method, workspaceFloats: budget,
                                             context: ComputeContext(threads: 2))
                    let label = "case \(k) budget \(budget) \(method)"
                    assertClose(got.input!, expected.input, "dx " + label)
                    assertClose(got.weight, expected.weight, "dw " + label)
                    assertClose(got.bias!, expected.bias, "db " + label)
                }
            }
            let noDx = conv2dBackward(x, weight: w, outputGradient: dy, stride: s, padding: p, computeInputGradient: false,
                                      context: .serial)
            XCTAssertNil(noDx.input)
            XCTAssertNil(noDx.bias)
        }
    }

    func testBackwardMatchesFiniteDifferences() {
        let x = TestSupport.random([2, 4, 4, 2], seed: 1)
        let w = TestSupport.random([3, 3, 2, 3], seed: 2)
        let r = TestSupport.random([2, 2, 2, 3], seed: 3)
        assertConv2dGradients(x: x, weight: w, outputWeights: r, stride: 2, padding: 1, "conv")
    }

    /// The stride-1 path (`conv2dBackwardStride1`: dx and dw from one im2col of dy) against
    /// finite differences (assertGradient's default tolerances), padded and unpadded.
    func testStride1BackwardMatchesFiniteDifferences() {
        for (p, seed) in [(1, UInt64(11)), (0, 21)] {
            let x = TestSupport.random([2, 4, 4, 2], seed: seed)
            let w = TestSupport.random([3, 3, 2, 3], seed: seed + 1)
            let g = Conv2dGeometry(input: x.shape, weight: w.shape, stride: 1, padding: p)
            let r = TestSupport.random(g.outputShape, seed: seed + 2)
            assertConv2dGradients(x: x, weight: w, outputWeights: r, stride: 1, padding: p, "conv p=\(p)")
        }
    }

    /// The inline-copy im2col is pure data movement: bit-identical to its reference for the
    /// test cases plus the benchmark shapes' channel counts (1, 8, 16: tails of 0 and 1..7
    /// floats after the 8-wide copies), whole batches and sub-ranges of images.
    func testIm2colMatchesReferenceExactly() {
        let extra: [([Int], Int, Int, Int, Int)] = [([2, 6, 5, 8], 3, 4, 1, 1), ([2, 5, 5, 16], 3, 4, 2, 1),
                                                    ([1, 7, 7, 5], 3, 2, 1, 1), ([3, 4, 4, 1], 3, 2, 1, 1)]
        for (k, (shape, kernel, cout, s, p)) in (cases + extra).enumerated() {
            let x = TestSupport.random(shape, seed: UInt64(400 + k))
            let g = Conv2dGeometry(input: shape, weight: [kernel, kernel, shape[3], cout], stride: s, padding: p)
            for images in [0 ..< g.batch, 1 ..< g.batch] {
                let expected = im2colNHWCReference(x, g, images: images)
                var got = [Float](repeating: .nan, count: expected.count)
                x.withUnsafePointer { px in got.withUnsafeMutableBufferPointer { im2colNHWC(px, g, images: images, cols: $0.baseAddress!) } }
                XCTAssertEqual(got.map(\.bitPattern), expected.map(\.bitPattern), "case \(k) images \(images)")
            }
        }
    }

    /// Chunk boundaries depend on shapes only, so 1 and 2 threads give identical bits.
    func testThreadCountDoesNotChangeBits() {
        let x = TestSupport.random([4, 6, 6, 3], seed: 5)
        let w = TestSupport.random([3, 3, 3, 4], seed: 6)
        let dy = TestSupport.random([4, 6, 6, 4], seed: 7)
        let one = conv2dBackward(x, weight: w, outputGradient: dy, stride: 1, padding: 1, hasBias: false,
                                 computeInputGradient: true, workspaceFloats: 400, context: .serial)
        let two = conv2dBackward(x, weight: w, outputGradient: dy, stride: 1, padding: 1, hasBias: false,
                                 computeInputGradient: true, workspaceFloats: 400, context: ComputeContext(threads: 2))
        XCTAssertEqual(one.weight.storage.map(\.bitPattern), two.weight.storage.map(\.bitPattern))
        XCTAssertEqual(one.input!.storage.map(\.bitPattern), two.input!.storage.map(\.bitPattern))
    }
}
