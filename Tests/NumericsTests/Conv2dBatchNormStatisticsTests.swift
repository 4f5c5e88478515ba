import XCTest
@testable import Numerics

/// `conv2dForwardWithBatchNormStatistics` (statistics taken while the direct 3x3 convolution's
/// output blocks are in cache): bit for bit against `conv2dForward` then
/// `batchNormTrainingStatistics` at several thread counts, including statistics blocks that
/// straddle images and workers, and against the naive reference (rtol 1e-3, atol 1e-4: the
/// reference sums in Double; values are O(1) over <= 2,000 rows).
final class Conv2dBatchNormStatisticsTests: XCTestCase {
    /// (input shape, Cout): one block; 196-row images, so 512-row blocks straddle images and,
    /// at 2 and 3 threads, workers; 8-pixel tiles with 48 channels; Cout = 8 (not direct: fallback).
    let cases: [([Int], Int)] = [([2, 5, 9, 16], 16), ([10, 14, 14, 16], 32), ([7, 8, 16, 8], 48), ([3, 6, 10, 4], 8)]

    func testBitIdenticalToUnfusedPairAtAnyThreadCount() {
        let bits = { (v: [Float]) in v.map(\.bitPattern) }
        for (k, (shape, cout)) in cases.enumerated() {
            let x = reluForward(TestSupport.random(shape, seed: UInt64(300 + k)), context: .serial)
            let weight = TestSupport.random([3, 3, shape[3], cout], seed: UInt64(400 + k))
            let y = conv2dForward(x, weight: weight, padding: 1, context: .serial)
            let expected = batchNormTrainingStatistics(y, context: .serial)
            for threads in [1, 2, 3, 4] {
                let got = conv2dForwardWithBatchNormStatistics(x, weight: weight, padding: 1, epsilon: 1e-5,
                                                               context: ComputeContext(threads: threads))
                XCTAssertEqual(bits(got.output.storage), bits(y.storage), "output case \(k) threads \(threads)")
                XCTAssertEqual(bits(got.statistics.mean), bits(expected.mean), "mean case \(k) threads \(threads)")
                XCTAssertEqual(bits(got.statistics.variance), bits(expected.variance), "variance case \(k) threads \(threads)")
                XCTAssertEqual(bits(got.statistics.inverseStandardDeviation), bits(expected.inverseStandardDeviation),
                               "invStd case \(k) threads \(threads)")
                XCTAssertEqual(got.statistics.count, expected.count)
            }
        }
    }

    /// ReLU applied on load (direct kernel) or by `reluForward` first (fallback): the bits of
    /// passing ReLU(x), including -0 and NaN inputs (both become +0, as `reluForward` makes them).
    func testRectifyingInputMatchesReLUTensor() {
        let bits = { (v: [Float]) in v.map(\.bitPattern) }
        for (k, (shape, cout)) in cases.enumerated() {
            var x = TestSupport.random(shape, seed: UInt64(700 + k))
            x.storage[0] = -0.0
            x.storage[x.count / 2] = .nan
            let weight = TestSupport.random([3, 3, shape[3], cout], seed: UInt64(800 + k))
            for threads in [1, 3] {
                let ctx = ComputeContext(threads: threads)
                let got = conv2dForwardWithBatchNormStatistics(x, weight: weight, padding: 1, rectifiesInput: true,
                                                               epsilon: 1e-5, context: ctx)
                let expected = conv2dForwardWithBatchNormStatistics(reluForward(x, context: ctx), weight: weight, padding: 1,
                                                                    epsilon: 1e-5, context: ctx)
                XCTAssertEqual(bits(got.output.storage), bits(expected.output.storage), "output case \(k) threads \(threads)")
                XCTAssertEqual(bits(got.statistics.mean), bits(expected.statistics.mean), "mean case \(k)")
                XCTAssertEqual(bits(got.statistics.variance), bits(expected.statistics.variance), "variance case \(k)")
                if cout % 16 == 0 {
                    XCTAssertEqual(bits(conv2dDirect3x3(x, weight: weight, rectifiesInput: true, context: ctx).storage),
                                   bits(expected.output.storage), "plain direct kernel case \(k)")
                }
            }
        }
    }

    func testMatchesReference() {
        for (k, (shape, cout)) in cases.enumerated() {
            let x = TestSupport.random(shape, seed: UInt64(500 + k))
            let weight = TestSupport.random([3, 3, shape[3], cout], seed: UInt64(600 + k))
            let expected = conv2dForwardWithBatchNormStatisticsReference(x, weight: weight, padding: 1)
            let got = conv2dForwardWithBatchNormStatistics(x, weight: weight, padding: 1, epsilon: 1e-5,
                                                           context: ComputeContext(threads: 2))
            assertClose(got.output, expected.output, rtol: 1e-3, atol: 1e-4, "output case \(k)")
            assertClose(Tensor(shape: [cout], storage: got.statistics.mean), Tensor(shape: [cout], storage: expected.mean),
                        rtol: 1e-3, atol: 1e-4, "mean case \(k)")
            assertClose(Tensor(shape: [cout], storage: got.statistics.variance),
                        Tensor(shape: [cout], storage: expected.variance), rtol: 1e-3, atol: 1e-4, "variance case \(k)")
        }
    }
}
