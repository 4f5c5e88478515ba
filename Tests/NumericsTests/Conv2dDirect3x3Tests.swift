import XCTest
@testable import Numerics

/// The direct 3x3 convolution (`conv2dDirect3x3`) and the paths that select it, against the
/// naive references (rtol 1e-4, atol 1e-5: the direct kernel sums taps in a different order
/// than the reference and uses fused multiply-adds) and finite differences.
final class Conv2dDirect3x3Tests: XCTestCase {
    /// (input shape, Cout): 8-pixel tiles (widths 8, 16), 7-pixel tiles (7, 14, 28), 8-pixel
    /// tiles with an overlapping last one (9, 11), Cin not a multiple of 8 (2, 3, 5) and several
    /// lane groups (32, 48).
    let cases: [([Int], Int)] = [
        ([2, 9, 8, 3], 16), ([2, 5, 11, 5], 32), ([1, 4, 28, 16], 48), ([3, 14, 14, 32], 16), ([1, 1, 9, 2], 16),
        ([2, 7, 7, 64], 32), ([1, 3, 16, 8], 16),
    ]

    func testSelectionDependsOnShapesOnly() {
        XCTAssertTrue(usesDirect3x3(Conv2dGeometry(input: [1, 28, 28, 16], weight: [3, 3, 16, 48], stride: 1, padding: 1)))
        XCTAssertTrue(usesDirect3x3(Conv2dGeometry(input: [1, 3, 8, 1], weight: [3, 3, 1, 16], stride: 1, padding: 1)))
        XCTAssertTrue(usesDirect3x3(Conv2dGeometry(input: [1, 7, 7, 64], weight: [3, 3, 64, 64], stride: 1, padding: 1)))
        XCTAssertEqual([32, 28, 16, 14, 11, 8, 7].map { direct3x3TilePixels(width: $0) }, [8, 7, 8, 7, 8, 8, 7])
        // Narrower than a tile and not a multiple of 7, Cout not a lane multiple, stride 2, padding 0, 1x1.
        XCTAssertFalse(usesDirect3x3(Conv2dGeometry(input: [1, 6, 6, 64], weight: [3, 3, 64, 64], stride: 1, padding: 1)))
        XCTAssertFalse(usesDirect3x3(Conv2dGeometry(input: [1, 28, 28, 8], weight: [3, 3, 8, 8], stride: 1, padding: 1)))
        XCTAssertFalse(usesDirect3x3(Conv2dGeometry(input: [1, 28, 28, 16], weight: [3, 3, 16, 32], stride: 2, padding: 1)))
        XCTAssertFalse(usesDirect3x3(Conv2dGeometry(input: [1, 28, 28, 16], weight: [3, 3, 16, 16], stride: 1, padding: 0)))
        XCTAssertFalse(usesDirect3x3(Conv2dGeometry(input: [1, 28, 28, 16], weight: [1, 1, 16, 16], stride: 1, padding: 0)))
    }

    func testForwardMatchesReference() {
        for (k, (shape, cout)) in cases.enumerated() {
            let x = TestSupport.random(shape, seed: UInt64(500 + k))
            let w = TestSupport.random([3, 3, shape[3], cout], seed: UInt64(600 + k))
            let b = TestSupport.random([cout], seed: UInt64(700 + k))
            XCTAssertTrue(usesDirect3x3(Conv2dGeometry(input: shape, weight: w.shape, stride: 1, padding: 1)))
            let expected = conv2dForwardReference(x, weight: w, bias: b, stride: 1, padding: 1)
            for threads in [1, 2, 3] {
                let y = conv2dForward(x, weight: w, bias: b, stride: 1, padding: 1, context: ComputeContext(threads: threads))
                assertClose(y, expected, "case \(k) threads \(threads)")
            }
            assertClose(conv2dDirect3x3(x, weight: w, context: .serial),
                        conv2dForwardReference(x, weight: w, bias: nil, stride: 1, padding: 1), "case \(k) kernel, no bias")
        }
    }

    /// dx through the direct kernel (Cin % 16 == 0) with dw from the input-im2col GEMMs, for both
    /// backward methods, against the reference.
    func testBackwardWithDirectInputGradientMatchesReference() {
        for (k, (shape, cout)) in [([2, 6, 10, 16], 16), ([2, 5, 9, 16], 48), ([1, 14, 14, 32], 8)].enumerated() {
            let x = TestSupport.random(shape, seed: UInt64(800 + k))
            let w = TestSupport.random([3, 3, shape[3], cout], seed: UInt64(900 + k))
            let dy = TestSupport.random([shape[0], shape[1], shape[2], cout], seed: UInt64(1000 + k))
            let transposed = Conv2dGeometry(input: dy.shape, weight: [3, 3, cout, shape[3]], stride: 1, padding: 1)
            XCTAssertTrue(usesDirect3x3(transposed))
            let expected = conv2dBackwardReference(x, weight: w, outputGradient: dy, stride: 1, padding: 1)
            // With a bias dw comes from the GEMMs; without one from the direct weight gradient
            // where Cout % 16 == 0.
            for method in [Conv2dBackwardMethod.automatic, .inputIm2col] { for hasBias in [true, false] {
                let got = conv2dBackward(x, weight: w, outputGradient: dy, stride: 1, padding: 1, hasBias: hasBias,
                                         method: method, context: ComputeContext(threads: 2))
                assertClose(got.input!, expected.input, "dx case \(k) \(method) bias \(hasBias)")
                assertClose(got.weight, expected.weight, "dw case \(k) \(method) bias \(hasBias)")
                if hasBias { assertClose(got.bias!, expected.bias, "db case \(k) \(method)") } else { XCTAssertNil(got.bias) }
            }}
        }
    }

    /// The direct weight gradient alone, one image per chunk and several, against the reference.
    func testWeightGradientMatchesReference() {
        for (k, (shape, cout)) in [([3, 5, 9, 8], 16), ([2, 14, 14, 32], 32), ([4, 3, 2, 16], 48)].enumerated() {
            let x = TestSupport.random(shape, seed: UInt64(1100 + k))
            let dy = TestSupport.random([shape[0], shape[1], shape[2], cout], seed: UInt64(1200 + k))
            let w = Tensor(zeros: [3, 3, shape[3], cout])
            XCTAssertTrue(usesDirect3x3WeightGradient(Conv2dGeometry(input: shape, weight: w.shape, stride: 1, padding: 1)))
            let expected = conv2dBackwardReference(x, weight: w, outputGradient: dy, stride: 1, padding: 1).weight
            for (budget, threads) in [(1, 2), (1 << 20, 1), (Conv2dGeometry.workspaceFloats, 3)] {
                let got = conv2dDirect3x3WeightGradient(x, outputGradient: dy, outChannels: cout, workspaceFloats: budget,
                                                        context: ComputeContext(threads: threads))
                assertClose(got, expected, "case \(k) budget \(budget)")
            }
        }
    }

    func testBackwardMatchesFiniteDifferences() {
        let x = TestSupport.random([1, 3, 8, 16], seed: 31)
        let w = TestSupport.random([3, 3, 16, 16], seed: 32)
        let r = TestSupport.random([1, 3, 8, 16], seed: 33)
        assertConv2dGradients(x: x, weight: w, outputWeights: r, stride: 1, padding: 1, "direct conv")
    }

    /// Images are independent and each output is one fixed-order chain: any thread count gives
    /// the same bits, forward and backward.
    func testThreadCountDoesNotChangeBits() {
        let x = TestSupport.random([5, 6, 12, 16], seed: 41)
        let w = TestSupport.random([3, 3, 16, 32], seed: 42)
        let dy = TestSupport.random([5, 6, 12, 32], seed: 43)
        let y1 = conv2dForward(x, weight: w, padding: 1, context: .serial)
        let y3 = conv2dForward(x, weight: w, padding: 1, context: ComputeContext(threads: 3))
        XCTAssertEqual(y1.storage.map(\.bitPattern), y3.storage.map(\.bitPattern))
        let g1 = conv2dBackward(x, weight: w, outputGradient: dy, padding: 1, context: .serial)
        let g3 = conv2dBackward(x, weight: w, outputGradient: dy, padding: 1, context: ComputeContext(threads: 3))
        XCTAssertEqual(g1.input!.storage.map(\.bitPattern), g3.input!.storage.map(\.bitPattern))
        XCTAssertEqual(g1.weight.storage.map(\.bitPattern), g3.weight.storage.map(\.bitPattern))
    }
}
