import XCTest
@testable import Numerics

/// The direct 1x1 convolution (`conv2dDirect1x1`, `conv2dDirect1x1WeightGradient`) and the paths
/// that select it, against the naive references (rtol 1e-4, atol 1e-5: other summation order,
/// fused multiply-adds) and finite differences.
final class Conv2dDirect1x1Tests: XCTestCase {
    /// (input shape, Cout): pixel counts that 8 divides (8x8) and that it does not (7x7, 3x3,
    /// 1x9: an overlapping last tile), Cin not a multiple of 8 (3), several lane groups (32, 48),
    /// C -> 2C as in the reduction shortcut.
    let cases: [([Int], Int)] = [
        ([2, 8, 8, 16], 16), ([3, 7, 7, 32], 32), ([2, 3, 3, 3], 16), ([1, 1, 9, 16], 48), ([4, 7, 7, 16], 32),
        ([2, 14, 14, 64], 64),
    ]

    func testSelectionDependsOnShapesOnly() {
        XCTAssertTrue(usesDirect1x1(Conv2dGeometry(input: [1, 28, 28, 16], weight: [1, 1, 16, 16], stride: 1, padding: 0)))
        XCTAssertTrue(usesDirect1x1(Conv2dGeometry(input: [1, 7, 7, 64], weight: [1, 1, 64, 64], stride: 1, padding: 0)))
        XCTAssertTrue(usesDirect1x1WeightGradient(Conv2dGeometry(input: [1, 14, 14, 16], weight: [1, 1, 16, 32], stride: 1, padding: 0)))
        // Cout not a lane multiple, stride 2, padding 1, fewer than 8 pixels, 3x3; Cin % 8 != 0 for dw.
        XCTAssertFalse(usesDirect1x1(Conv2dGeometry(input: [1, 28, 28, 16], weight: [1, 1, 16, 8], stride: 1, padding: 0)))
        XCTAssertFalse(usesDirect1x1(Conv2dGeometry(input: [1, 28, 28, 16], weight: [1, 1, 16, 16], stride: 2, padding: 0)))
        XCTAssertFalse(usesDirect1x1(Conv2dGeometry(input: [1, 28, 28, 16], weight: [1, 1, 16, 16], stride: 1, padding: 1)))
        XCTAssertFalse(usesDirect1x1(Conv2dGeometry(input: [4, 2, 3, 16], weight: [1, 1, 16, 16], stride: 1, padding: 0)))
        XCTAssertFalse(usesDirect1x1(Conv2dGeometry(input: [1, 28, 28, 16], weight: [3, 3, 16, 16], stride: 1, padding: 1)))
        XCTAssertFalse(usesDirect1x1WeightGradient(Conv2dGeometry(input: [1, 8, 8, 4], weight: [1, 1, 4, 16], stride: 1, padding: 0)))
    }

    func testForwardMatchesReference() {
        for (k, (shape, cout)) in cases.enumerated() {
            let x = TestSupport.random(shape, seed: UInt64(2500 + k))
            let w = TestSupport.random([1, 1, shape[3], cout], seed: UInt64(2600 + k))
            let b = TestSupport.random([cout], seed: UInt64(2700 + k))
            let expected = conv2dForwardReference(x, weight: w, bias: b, stride: 1, padding: 0)
            for threads in [1, 2, 3] {
                let y = conv2dForward(x, weight: w, bias: b, stride: 1, padding: 0, context: ComputeContext(threads: threads))
                assertClose(y, expected, "case \(k) threads \(threads)")
            }
            let plain = conv2dForwardReference(x, weight: w, bias: nil, stride: 1, padding: 0)
            for budget in [1, 1 << 20] {   // one image per chunk, all in one
                assertClose(conv2dDirect1x1(x, weight: w, workspaceFloats: budget, context: ComputeContext(threads: 2)),
                            plain, "case \(k) kernel budget \(budget)")
            }
        }
    }

    /// Every backward (bias or not, both methods, dx or not) where the direct kernels apply.
    func testBackwardMatchesReference() {
        for (k, (shape, cout)) in cases.enumerated() {
            let x = TestSupport.random(shape, seed: UInt64(2800 + k))
            let w = TestSupport.random([1, 1, shape[3], cout], seed: UInt64(2900 + k))
            let dy = TestSupport.random([shape[0], shape[1], shape[2], cout], seed: UInt64(3000 + k))
            let expected = conv2dBackwardReference(x, weight: w, outputGradient: dy, stride: 1, padding: 0)
            for method in [Conv2dBackwardMethod.automatic, .inputIm2col] { for hasBias in [true, false] {
                for dxWanted in [true, false] {
                    let got = conv2dBackward(x, weight: w, outputGradient: dy, stride: 1, padding: 0, hasBias: hasBias,
                                             computeInputGradient: dxWanted, method: method, context: ComputeContext(threads: 2))
                    let tag = "case \(k) \(method) bias \(hasBias) dx \(dxWanted)"
                    if dxWanted { assertClose(got.input!, expected.input, "dx " + tag) } else { XCTAssertNil(got.input) }
                    assertClose(got.weight, expected.weight, "dw " + tag)
                    if hasBias { assertClose(got.bias!, expected.bias, "db " + tag) } else { XCTAssertNil(got.bias) }
                }
            }}
        }
    }

    /// The direct weight gradient alone, one image per chunk and several, against the reference.
    func testWeightGradientMatchesReference() {
        for (k, (shape, cout)) in [([3, 5, 9, 8], 16), ([2, 14, 14, 32], 32), ([5, 3, 3, 16], 48)].enumerated() {
            let x = TestSupport.random(shape, seed: UInt64(3100 + k))
            let dy = TestSupport.random([shape[0], shape[1], shape[2], cout], seed: UInt64(3200 + k))
            let w = Tensor(zeros: [1, 1, shape[3], cout])
            let expected = conv2dBackwardReference(x, weight: w, outputGradient: dy, stride: 1, padding: 0).weight
            for (budget, threads) in [(1, 2), (1 << 20, 1), (Conv2dGeometry.workspaceFloats, 3)] {
                let got = conv2dDirect1x1WeightGradient(x, outputGradient: dy, outChannels: cout, workspaceFloats: budget,
                                                        context: ComputeContext(threads: threads))
                assertClose(got, expected, "case \(k) budget \(budget)")
            }
        }
    }

    func testBackwardMatchesFiniteDifferences() {
        let x = TestSupport.random([2, 3, 5, 16], seed: 51)
        let w = TestSupport.random([1, 1, 16, 16], seed: 52)
        let r = TestSupport.random([2, 3, 5, 16], seed: 53)
        assertConv2dGradients(x: x, weight: w, outputWeights: r, stride: 1, padding: 0, "direct 1x1 conv")
    }

    /// Pixels are independent in the forward and dx, and dw's chunks depend on shapes only: any
    /// thread count gives the same bits.
    func testThreadCountDoesNotChangeBits() {
        let x = TestSupport.random([5, 6, 7, 16], seed: 61)
        let w = TestSupport.random([1, 1, 16, 32], seed: 62)
        let dy = TestSupport.random([5, 6, 7, 32], seed: 63)
        let y1 = conv2dForward(x, weight: w, context: .serial)
        let y3 = conv2dForward(x, weight: w, context: ComputeContext(threads: 3))
        XCTAssertEqual(y1.storage.map(\.bitPattern), y3.storage.map(\.bitPattern))
        let g1 = conv2dBackward(x, weight: w, outputGradient: dy, context: .serial)
        let g3 = conv2dBackward(x, weight: w, outputGradient: dy, context: ComputeContext(threads: 3))
        XCTAssertEqual(g1.input!.storage.map(\.bitPattern), g3.input!.storage.map(\.bitPattern))
        XCTAssertEqual(g1.weight.storage.map(\.bitPattern), g3.weight.storage.map(\.bitPattern))
    }
}
