import XCTest
@testable import Numerics

/// The backward through conv → training batch norm (`conv2dBackwardThroughBatchNorm`) and its
/// fused direct 3x3 kernel (`conv2dDirect3x3BackwardThroughBatchNorm`): against the naive
/// reference (rtol 1e-3, atol 1e-4: the reference works in Double from recomputed statistics, the
/// kernels in Float with fused multiply-adds; gradients are O(1) over <= 3 * 14 * 14 rows), and
/// bit for bit against the unfused pair it replaces (batch-norm dx in place, then
/// `conv2dBackward`), at several thread counts and chunkings.
final class Conv2dBatchNormBackwardTests: XCTestCase {
    /// (input shape, Cout, dy block widths): one or several blocks, one or several dw chunks,
    /// 7- and 8-pixel tiles, block widths not multiples of 8 (scalar tail of the batch-norm rows).
    let cases: [([Int], Int, [Int])] = [
        ([2, 5, 9, 16], 48, [16, 16, 16]), ([3, 14, 14, 16], 32, [16, 16]), ([1, 7, 7, 32], 16, [16]),
        ([4, 3, 8, 16], 32, [12, 20]),
    ]

    private struct Problem {
        let x: Tensor, weight: Tensor, convOutput: Tensor, gamma: Tensor, blocks: [Tensor], statistics: BatchNormStatistics
        var dy: Tensor { concatenateChannels(blocks, context: .serial) }
    }

    private func problem(_ k: Int) -> Problem {
        let (shape, cout, widths) = cases[k]
        let seed = UInt64(100 * k)
        let x = reluForward(TestSupport.random(shape, seed: seed + 1), context: .serial)
        let weight = TestSupport.random([3, 3, shape[3], cout], seed: seed + 2)
        let y = conv2dForward(x, weight: weight, padding: 1, context: .serial)
        let gamma = TestSupport.random([cout], seed: seed + 3)
        let blocks = widths.enumerated().map { i, width in
            TestSupport.random([shape[0], shape[1], shape[2], width], seed: seed + 10 + UInt64(i))
        }
        return Problem(x: x, weight: weight, convOutput: y, gamma: gamma, blocks: blocks,
                       statistics: batchNormTrainingStatistics(y, context: .serial))
    }

    func testSelectionDependsOnShapesOnly() {
        XCTAssertTrue(usesDirect3x3BackwardThroughBatchNorm(input: [128, 28, 28, 16], weight: [3, 3, 16, 48], stride: 1, padding: 1))
        XCTAssertTrue(usesDirect3x3BackwardThroughBatchNorm(input: [1, 7, 7, 64], weight: [3, 3, 64, 64], stride: 1, padding: 1))
        // Cin not a lane multiple (no direct dx), Cout not a lane multiple, 1x1, stride 2, narrow rows.
        XCTAssertFalse(usesDirect3x3BackwardThroughBatchNorm(input: [1, 28, 28, 8], weight: [3, 3, 8, 16], stride: 1, padding: 1))
        XCTAssertFalse(usesDirect3x3BackwardThroughBatchNorm(input: [1, 28, 28, 16], weight: [3, 3, 16, 8], stride: 1, padding: 1))
        XCTAssertFalse(usesDirect3x3BackwardThroughBatchNorm(input: [1, 28, 28, 16], weight: [1, 1, 16, 16], stride: 1, padding: 0))
        XCTAssertFalse(usesDirect3x3BackwardThroughBatchNorm(input: [1, 28, 28, 16], weight: [3, 3, 16, 16], stride: 2, padding: 1))
        XCTAssertFalse(usesDirect3x3BackwardThroughBatchNorm(input: [1, 6, 6, 16], weight: [3, 3, 16, 16], stride: 1, padding: 1))
    }

    func testMatchesReference() {
        for k in cases.indices {
            let p = problem(k)
            XCTAssertTrue(usesDirect3x3BackwardThroughBatchNorm(input: p.x.shape, weight: p.weight.shape, stride: 1, padding: 1))
            let expected = conv2dBackwardThroughBatchNormReference(p.x, weight: p.weight, padding: 1, convOutput: p.convOutput,
                                                                   gamma: p.gamma, outputGradient: p.dy)
            var y = p.convOutput
            let got = conv2dBackwardThroughBatchNorm(p.x, weight: p.weight, padding: 1, convOutput: &y, gamma: p.gamma,
                                                     statistics: p.statistics, outputGradientBlocks: p.blocks,
                                                     method: .automatic, context: ComputeContext(threads: 2))
            assertClose(got.convolution.input!, expected.input, rtol: 1e-3, atol: 1e-4, "dx case \(k)")
            assertClose(got.convolution.weight, expected.weight, rtol: 1e-3, atol: 1e-4, "dw case \(k)")
            assertClose(got.gamma, expected.gamma, rtol: 1e-3, atol: 1e-4, "dgamma case \(k)")
            assertClose(got.beta, expected.beta, rtol: 1e-3, atol: 1e-4, "dbeta case \(k)")
            XCTAssertNil(got.convolution.bias)
        }
    }

    /// The fused kernel gives exactly the bits of the unfused pair, for any threads and chunking.
    func testFusedKernelIsBitIdenticalToUnfusedPair() {
        let bits = { (t: Tensor) in t.storage.map(\.bitPattern) }
        for k in cases.indices {
            let p = problem(k)
            var dConv = p.convOutput
            let bn = batchNormBackwardInPlace(&dConv, gamma: p.gamma, statistics: p.statistics,
                                              outputGradientBlocks: p.blocks, context: .serial)
            for (budget, threads) in [(1, 2), (1 << 20, 1), (Conv2dGeometry.workspaceFloats, 3)] {
                let unfused = conv2dBackward(p.x, weight: p.weight, outputGradient: dConv, stride: 1, padding: 1,
                                             hasBias: false, computeInputGradient: true, workspaceFloats: budget,
                                             context: ComputeContext(threads: threads))
                let map = batchNormBackwardCoefficients(p.convOutput, gamma: p.gamma, statistics: p.statistics,
                                                        outputGradientBlocks: p.blocks, context: ComputeContext(threads: threads))
                let fused = conv2dDirect3x3BackwardThroughBatchNorm(p.x, weight: p.weight, convOutput: p.convOutput,
                                                                    outputGradientBlocks: p.blocks, map: map,
                                                                    workspaceFloats: budget,
                                                                    context: ComputeContext(threads: threads))
                XCTAssertEqual(bits(fused.input!), bits(unfused.input!), "dx case \(k) budget \(budget) threads \(threads)")
                XCTAssertEqual(bits(fused.weight), bits(unfused.weight), "dw case \(k) budget \(budget) threads \(threads)")
                XCTAssertEqual(bits(map.gamma), bits(bn.gamma), "dgamma case \(k)")
                XCTAssertEqual(bits(map.beta), bits(bn.beta), "dbeta case \(k)")
            }
        }
    }

    /// `rectifiesInput` (ReLU applied to x as it is copied for dw, or by `reluForward` first on
    /// the unfused path) gives the bits of passing `reluForward(x)`.
    func testRectifyingInputMatchesReLUTensor() {
        let bits = { (t: Tensor) in t.storage.map(\.bitPattern) }
        for (k, (shape, cout)) in [([2, 5, 9, 16], 48), ([2, 6, 10, 8], 16)].enumerated() {
            var node = TestSupport.random(shape, seed: UInt64(900 + k))
            node.storage[1] = -0.0
            let x = reluForward(node, context: .serial)
            let weight = TestSupport.random([3, 3, shape[3], cout], seed: UInt64(910 + k))
            let y = conv2dForward(x, weight: weight, padding: 1, context: .serial)
            let gamma = TestSupport.random([cout], seed: UInt64(920 + k))
            let dy = TestSupport.random(y.shape, seed: UInt64(930 + k))
            let stats = batchNormTrainingStatistics(y, context: .serial)
            for threads in [1, 2] {
                let ctx = ComputeContext(threads: threads)
                var (y1, y2) = (y, y)
                let got = conv2dBackwardThroughBatchNorm(node, weight: weight, padding: 1, rectifiesInput: true,
                                                         convOutput: &y1, gamma: gamma, statistics: stats,
                                                         outputGradientBlocks: [dy], method: .automatic, context: ctx)
                let expected = conv2dBackwardThroughBatchNorm(x, weight: weight, padding: 1, convOutput: &y2, gamma: gamma,
                                                              statistics: stats, outputGradientBlocks: [dy],
                                                              method: .automatic, context: ctx)
                XCTAssertEqual(bits(got.convolution.input!), bits(expected.convolution.input!), "dx case \(k) threads \(threads)")
                XCTAssertEqual(bits(got.convolution.weight), bits(expected.convolution.weight), "dw case \(k) threads \(threads)")
                XCTAssertEqual(bits(got.gamma), bits(expected.gamma), "dgamma case \(k)")
            }
        }
    }

    /// Shapes the fused kernel does not take (Cin = 8: no direct dx) go through the in-place
    /// batch norm and `conv2dBackward`, and still match the reference.
    func testUnfusedShapesMatchReference() {
        let x = reluForward(TestSupport.random([2, 6, 10, 8], seed: 71), context: .serial)
        let weight = TestSupport.random([3, 3, 8, 16], seed: 72)
        let y = conv2dForward(x, weight: weight, padding: 1, context: .serial)
        let gamma = TestSupport.random([16], seed: 73)
        let dy = TestSupport.random(y.shape, seed: 74)
        XCTAssertFalse(usesDirect3x3BackwardThroughBatchNorm(input: x.shape, weight: weight.shape, stride: 1, padding: 1))
        let expected = conv2dBackwardThroughBatchNormReference(x, weight: weight, padding: 1, convOutput: y, gamma: gamma,
                                                               outputGradient: dy)
        var consumed = y
        let got = conv2dBackwardThroughBatchNorm(x, weight: weight, padding: 1, convOutput: &consumed, gamma: gamma,
                                                 statistics: batchNormTrainingStatistics(y, context: .serial),
                                                 outputGradientBlocks: [dy], method: .automatic, context: .serial)
        assertClose(got.convolution.input!, expected.input, rtol: 1e-3, atol: 1e-4, "dx")
        assertClose(got.convolution.weight, expected.weight, rtol: 1e-3, atol: 1e-4, "dw")
        assertClose(got.gamma, expected.gamma, rtol: 1e-3, atol: 1e-4, "dgamma")
    }
}
