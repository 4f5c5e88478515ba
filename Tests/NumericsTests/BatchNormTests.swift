import XCTest
@testable import Numerics

/// Batch-norm kernels vs the Double reference (rtol 1e-4, atol 1e-5 forward; rtol 1e-3,
/// atol 1e-4 backward, where the reference cancels large terms) and finite differences.
final class BatchNormTests: XCTestCase {
    let x = TestSupport.random([3, 4, 5, 3], seed: 11)
    let gamma = Tensor(shape: [3], storage: [1.5, -0.5, 0.8])
    let beta = Tensor(shape: [3], storage: [0.1, 0.2, -0.3])

    func testTrainingForwardMatchesReference() {
        let (y, stats) = batchNormForwardTraining(x, gamma: gamma, beta: beta, context: ComputeContext(threads: 2))
        let ref = batchNormForwardTrainingReference(x, gamma: gamma, beta: beta)
        assertClose(y, ref.output)
        assertClose(Tensor(shape: [3], storage: stats.mean), Tensor(shape: [3], storage: ref.mean))
        assertClose(Tensor(shape: [3], storage: stats.variance), Tensor(shape: [3], storage: ref.variance))
        XCTAssertEqual(stats.count, 60)
    }

    func testBackwardMatchesReferenceAndFiniteDifferences() {
        let dy = TestSupport.random(x.shape, seed: 12)
        let (_, stats) = batchNormForwardTraining(x, gamma: gamma, beta: beta, context: .serial)
        let got = batchNormBackward(x, gamma: gamma, statistics: stats, outputGradient: dy, context: ComputeContext(threads: 2))
        let ref = batchNormBackwardReference(x, gamma: gamma, outputGradient: dy)
        assertClose(got.input, ref.input, rtol: 1e-3, atol: 1e-4)
        assertClose(got.gamma, ref.gamma, rtol: 1e-3, atol: 1e-4)
        assertClose(got.beta, ref.beta, rtol: 1e-3, atol: 1e-4)
        let small = TestSupport.random([2, 2, 2, 2], seed: 13), r = TestSupport.random([2, 2, 2, 2], seed: 14)
        let g2 = Tensor(shape: [2], storage: [1.2, 0.7]), b2 = Tensor(shape: [2], storage: [0, 0.5])
        let (_, s2) = batchNormForwardTraining(small, gamma: g2, beta: b2, context: .serial)
        let back = batchNormBackward(small, gamma: g2, statistics: s2, outputGradient: r, context: .serial)
        assertGradient(of: { weightedSum(batchNormForwardTraining($0, gamma: g2, beta: b2, context: .serial).output, r) },
                       at: small, analytic: back.input, epsilon: 1e-3, "bn dx")
        assertGradient(of: { weightedSum(batchNormForwardTraining(small, gamma: $0, beta: b2, context: .serial).output, r) },
                       at: g2, analytic: back.gamma, "bn dgamma")
        assertGradient(of: { weightedSum(batchNormForwardTraining(small, gamma: g2, beta: $0, context: .serial).output, r) },
                       at: b2, analytic: back.beta, "bn dbeta")
    }

    /// Eleven channels exercise the 8-wide SIMD path and its scalar remainder.
    func testWideChannelsMatchReference() {
        let wide = TestSupport.random([2, 3, 3, 11], seed: 17), dy = TestSupport.random([2, 3, 3, 11], seed: 18)
        let g = TestSupport.random([11], seed: 19), b = TestSupport.random([11], seed: 20)
        let (y, stats) = batchNormForwardTraining(wide, gamma: g, beta: b, context: ComputeContext(threads: 2))
        assertClose(y, batchNormForwardTrainingReference(wide, gamma: g, beta: b).output, rtol: 1e-4, atol: 1e-4)
        let got = batchNormBackward(wide, gamma: g, statistics: stats, outputGradient: dy, context: ComputeContext(threads: 2))
        let ref = batchNormBackwardReference(wide, gamma: g, outputGradient: dy)
        assertClose(got.input, ref.input, rtol: 1e-3, atol: 1e-4)
        assertClose(got.gamma, ref.gamma, rtol: 1e-3, atol: 1e-4)
        assertClose(got.beta, ref.beta, rtol: 1e-3, atol: 1e-4)
    }

    /// Sixteen channels (two 8-wide register groups, as in the C = 16 networks) over 1,200 rows
    /// (three 512-row reduction blocks) against the reference, same tolerances as above.
    func testTwoChannelGroupsOverSeveralBlocksMatchReference() {
        let x16 = TestSupport.random([3, 20, 20, 16], seed: 21), dy = TestSupport.random([3, 20, 20, 16], seed: 22)
        let g = TestSupport.random([16], seed: 23), b = TestSupport.random([16], seed: 24)
        let (y, stats) = batchNormForwardTraining(x16, gamma: g, beta: b, context: ComputeContext(threads: 2))
        let ref = batchNormForwardTrainingReference(x16, gamma: g, beta: b)
        assertClose(y, ref.output, rtol: 1e-4, atol: 1e-4)
        assertClose(Tensor(shape: [16], storage: stats.mean), Tensor(shape: [16], storage: ref.mean))
        assertClose(Tensor(shape: [16], storage: stats.variance), Tensor(shape: [16], storage: ref.variance))
        let got = batchNormBackward(x16, gamma: g, statistics: stats, outputGradient: dy, context: ComputeContext(threads: 2))
        let back = batchNormBackwardReference(x16, gamma: g, outputGradient: dy)
        assertClose(got.input, back.input, rtol: 1e-3, atol: 1e-4)
        assertClose(got.gamma, back.gamma, rtol: 1e-3, atol: 1e-4)
        assertClose(got.beta, back.beta, rtol: 1e-3, atol: 1e-4)
    }

    /// Running statistics follow PyTorch (unbiased variance, momentum 0.1), and eval mode uses them.
    func testRunningStatisticsAndEvalMode() {
        // One channel, values 1, 2, 3, 6: mean 3, biased variance 3.5, unbiased 14/3.
        let v = Tensor(shape: [1, 2, 2, 1], storage: [1, 2, 3, 6])
        let bn = BatchNorm2d(channels: 1)
        _ = bn.forward(v, training: true, context: .serial)
        XCTAssertEqual(bn.runningMean.storage[0], 0.9 * 0 + 0.1 * 3, accuracy: 1e-6)
        XCTAssertEqual(bn.runningVariance.storage[0], 0.9 * 1 + 0.1 * 14 / 3, accuracy: 1e-6)
        let y = bn.forward(v, training: false, context: .serial)
        let (m, s) = (bn.runningMean.storage[0], (bn.runningVariance.storage[0] + 1e-5).squareRoot())
        assertClose(y, Tensor(shape: v.shape, storage: v.storage.map { ($0 - m) / s }))
        // Eval backward treats the statistics as constants: dx = dy / s.
        let dx = bn.backward(Tensor(repeating: 1, shape: v.shape), context: .serial)
        assertClose(dx, Tensor(repeating: 1 / s, shape: v.shape))
        XCTAssertEqual(bn.gamma!.gradient.storage, [0], "eval backward leaves gamma's gradient alone")
    }

    /// Training mode normalises to zero mean and unit (biased) variance before the affine map.
    func testTrainingOutputIsNormalised() {
        let bn = BatchNorm2d(channels: 3, affine: false)
        XCTAssertTrue(bn.parameters.isEmpty)
        let y = bn.forward(x, training: true, context: .serial)
        let ref = batchNormForwardTrainingReference(y, gamma: Tensor(repeating: 1, shape: [3]), beta: Tensor(zeros: [3]))
        for c in 0..<3 {
            XCTAssertEqual(ref.mean[c], 0, accuracy: 1e-5)
            XCTAssertEqual(ref.variance[c], 1, accuracy: 1e-3)
        }
    }

    /// Reduction blocks are fixed by the row count, so thread count never changes the bits;
    /// 1200 rows span three blocks.
    func testThreadCountDoesNotChangeBits() {
        let big = TestSupport.random([3, 20, 20, 2], seed: 15), dy = TestSupport.random([3, 20, 20, 2], seed: 16)
        let g = Tensor(shape: [2], storage: [1, 2]), b = Tensor(zeros: [2])
        let results = [1, 2].map { t -> [UInt32] in
            let ctx = ComputeContext(threads: t)
            let (y, s) = batchNormForwardTraining(big, gamma: g, beta: b, context: ctx)
            let d = batchNormBackward(big, gamma: g, statistics: s, outputGradient: dy, context: ctx)
            return (y.storage + d.input.storage + d.gamma.storage).map(\.bitPattern)
        }
        XCTAssertEqual(results[0], results[1])
    }

    /// dy given as channel blocks (widths 8, 3, 9, 1: SIMD groups and scalar tails inside each
    /// block) gives exactly the bits of the concatenated dy, over several reduction blocks.
    func testBackwardFromChannelBlocksEqualsConcatenated() {
        let wide = TestSupport.random([3, 15, 15, 21], seed: 17)
        let g = TestSupport.random([21], seed: 18)
        let blocks = [8, 3, 9, 1].enumerated().map { TestSupport.random([3, 15, 15, $1], seed: 20 + UInt64($0)) }
        let ctx = ComputeContext(threads: 2)
        let (_, s) = batchNormForwardTraining(wide, gamma: g, beta: Tensor(zeros: [21]), context: ctx)
        let whole = batchNormBackward(wide, gamma: g, statistics: s, outputGradient: concatenateChannelsReference(blocks), context: ctx)
        let split = batchNormBackward(wide, gamma: g, statistics: s, outputGradientBlocks: blocks, context: ctx)
        XCTAssertEqual(split.input, whole.input)
        XCTAssertEqual(split.gamma, whole.gamma)
        XCTAssertEqual(split.beta, whole.beta)
    }
    /// `batchNormBackwardInPlace` leaves in x exactly the dx of `batchNormBackward` (and the
    /// same dgamma, dbeta), over several reduction blocks with SIMD groups and scalar tails, for
    /// one and two threads; a shared x is copied, not overwritten under its other owner.
    func testBackwardInPlaceEqualsOutOfPlace() {
        let wide = TestSupport.random([3, 15, 15, 21], seed: 27)
        let g = TestSupport.random([21], seed: 28)
        let blocks = [8, 3, 9, 1].enumerated().map { TestSupport.random([3, 15, 15, $1], seed: 30 + UInt64($0)) }
        for threads in [1, 2] {
            let ctx = ComputeContext(threads: threads)
            let (_, s) = batchNormForwardTraining(wide, gamma: g, beta: Tensor(zeros: [21]), context: ctx)
            let expected = batchNormBackward(wide, gamma: g, statistics: s, outputGradientBlocks: blocks, context: ctx)
            var x = wide   // shares wide's storage until written
            let got = batchNormBackwardInPlace(&x, gamma: g, statistics: s, outputGradientBlocks: blocks, context: ctx)
            XCTAssertEqual(x.storage.map(\.bitPattern), expected.input.storage.map(\.bitPattern), "threads \(threads)")
            XCTAssertEqual(got.gamma, expected.gamma)
            XCTAssertEqual(got.beta, expected.beta)
            XCTAssertEqual(wide, TestSupport.random([3, 15, 15, 21], seed: 27), "the shared input must stay unchanged")
        }
    }

    /// The one-pass statistics (per-block mean and centred squares, blocks combined in Double)
    /// against the Double reference on data far from zero (mean ~100, std ~2: a sum-of-squares
    /// formula would lose about 4 digits here), over 1,350 rows (two full 512-row blocks and a
    /// partial one) and 11 channels (SIMD group and scalar tail). Mean rtol 1e-6, variance
    /// rtol 1e-4; thread count leaves the bits unchanged.
    func testStatisticsOffCentreOverSeveralBlocksMatchReference() {
        let base = TestSupport.random([3, 15, 30, 11], seed: 25)
        let shifted = Tensor(shape: base.shape, storage: base.storage.enumerated().map {
            100 + Float($0.offset % 11) + 0.005 * Float($0.offset / 11) + $0.element   // block means differ
        })
        let ref = batchNormForwardTrainingReference(shifted, gamma: Tensor(repeating: 1, shape: [11]), beta: Tensor(zeros: [11]))
        let one = batchNormTrainingStatistics(shifted, context: .serial)
        let two = batchNormTrainingStatistics(shifted, context: ComputeContext(threads: 2))
        XCTAssertEqual(one, two)
        XCTAssertEqual(one.count, 1350)
        for c in 0..<11 {
            XCTAssertEqual(one.mean[c], ref.mean[c], accuracy: 1e-6 * abs(ref.mean[c]), "mean \(c)")
            XCTAssertEqual(one.variance[c], ref.variance[c], accuracy: 1e-4 * ref.variance[c], "variance \(c)")
        }
    }
}

