import XCTest
@testable import Numerics

/// `FusedConvBatchNormBranches` against the same branches run one by one as
/// `Sequential([Conv2d, BatchNorm2d])` (the unfused computation), and `accumulateChannelSlice`
/// against its reference.
///
/// Tolerances: outputs and gradients agree to rtol 1e-4 + atol 1e-4. The fused version sums the
/// same products in another order (one GEMM with k*C columns, dx summed inside one GEMM instead
/// of added per branch, the input-im2col backward instead of the transposed convolution), so
/// only float rounding differs; values are O(1), BN-normalised, over <= 600 rows.
final class FusedConvBatchNormTests: XCTestCase {
    /// Three branches with unequal widths (2, 3, 1 outputs) of `kernel` from 3 input channels.
    private func branches(kernel: Int, seed: UInt64) -> [(convolution: Conv2d, batchNorm: BatchNorm2d)] {
        var g = SplitMix64(seed: seed)
        return [2, 3, 1].enumerated().map { i, cout in
            let conv = Conv2d(inChannels: 3, outChannels: cout, kernelSize: kernel, padding: kernel / 2,
                              name: "b\(i).conv", generator: &g)
            let bn = BatchNorm2d(channels: cout, name: "b\(i).bn")
            // Non-trivial affine coefficients, so a swapped gamma/beta slice shows.
            bn.gamma!.value = TestSupport.random([cout], seed: seed + 10 + UInt64(i))
            bn.beta!.value = TestSupport.random([cout], seed: seed + 20 + UInt64(i))
            return (conv, bn)
        }
    }

    /// Copies of the branches with the same values (separate Parameter objects and statistics).
    private func clones(_ b: [(convolution: Conv2d, batchNorm: BatchNorm2d)], kernel: Int) -> [(convolution: Conv2d, batchNorm: BatchNorm2d)] {
        b.map { conv, bn in
            var g = SplitMix64(seed: 0)
            let c2 = Conv2d(inChannels: 3, outChannels: conv.weight.value.shape[3], kernelSize: kernel, padding: kernel / 2,
                            name: conv.weight.name, generator: &g)
            c2.weight.value = conv.weight.value
            let bn2 = BatchNorm2d(channels: bn.runningMean.count)
            bn2.gamma!.value = bn.gamma!.value
            bn2.beta!.value = bn.beta!.value
            return (c2, bn2)
        }
    }

    func testMatchesUnfusedBranchesInTrainingAndEvaluation() {
        for kernel in [3, 1] {
            let x = TestSupport.random([3, 5, 4, 3], seed: 7)
            let fusedBranches = branches(kernel: kernel, seed: 40)
            let plain = clones(fusedBranches, kernel: kernel)
            let fused = FusedConvBatchNormBranches(branches: fusedBranches)
            XCTAssertEqual(fused.channelOffsets, [0, 2, 5])
            XCTAssertEqual(fused.parameters.map(\.name), fusedBranches.flatMap { [$0.convolution.weight.name] + $0.batchNorm.parameters.map(\.name) })
            let sequences = plain.map { Sequential([$0.convolution, $0.batchNorm]) }
            for training in [true, false] {
                for ctx in [ComputeContext.serial, ComputeContext(threads: 2)] {
                    fused.parameters.zeroGradients()
                    sequences.flatMap(\.parameters).zeroGradients()
                    let label = "kernel \(kernel) training \(training) threads \(ctx.threads)"
                    let y = fused.forward(x, training: training, context: ctx)
                    let parts = sequences.map { $0.forward(x, training: training, context: ctx) }
                    assertClose(y, concatenateChannelsReference(parts), rtol: 1e-4, atol: 1e-4, "y " + label)
                    let dy = TestSupport.random(y.shape, seed: 99)
                    let dx = fused.backward(dy, context: ctx)
                    let dyParts = splitChannels(dy, sizes: fused.channelCounts, context: .serial)
                    var expected: Tensor?
                    for (s, d) in zip(sequences, dyParts) { accumulate(&expected, s.backward(d, context: ctx), context: .serial) }
                    assertClose(dx, expected!, rtol: 1e-4, atol: 1e-4, "dx " + label)
                    for (p, q) in zip(fused.parameters, sequences.flatMap(\.parameters)) {
                        assertClose(p.gradient, q.gradient, rtol: 1e-4, atol: 1e-4, "d\(p.name) " + label)
                    }
                    for ((_, a), (_, b)) in zip(fusedBranches, plain) {   // running statistics, slice by slice
                        assertClose(a.runningMean, b.runningMean, rtol: 1e-5, atol: 1e-6, "running mean " + label)
                        assertClose(a.runningVariance, b.runningVariance, rtol: 1e-5, atol: 1e-6, "running variance " + label)
                    }
                }
            }
        }
    }

    /// A changed branch weight (as an optimiser or a finite-difference probe makes) is used by
    /// the next forward: weights are gathered on every call, not copied once.
    func testForwardReadsCurrentBranchWeights() {
        let b = branches(kernel: 3, seed: 3)
        let fused = FusedConvBatchNormBranches(branches: b)
        let x = TestSupport.random([2, 4, 4, 3], seed: 8)
        let before = fused.forward(x, training: false, context: .serial)
        b[1].convolution.weight.value.storage[5] += 0.5
        let after = fused.forward(x, training: false, context: .serial)
        let (p0, p1) = (splitChannels(before, sizes: [2, 3, 1], context: .serial), splitChannels(after, sizes: [2, 3, 1], context: .serial))
        XCTAssertEqual(p0[0], p1[0])
        XCTAssertEqual(p0[2], p1[2])
        XCTAssertGreaterThan(p0[1].maxAbsoluteDifference(p1[1]), 1e-3)
    }

    /// `rectifyingInput` gives exactly the bits of passing `reluForward(x)` (outputs, dL/dReLU(x),
    /// parameter gradients), in training and evaluation, where the kernels apply the ReLU on load
    /// (Cin = 16, Cout = 48: direct 3x3) and where they cannot (3 input channels).
    func testRectifyingInputMatchesReLUTensorBitForBit() {
        let bits = { (t: Tensor) in t.storage.map(\.bitPattern) }
        for (cin, counts, onLoad) in [(16, [16, 16, 16], true), (3, [16, 16], false)] {
            var g = SplitMix64(seed: 12)
            let make = { (g: inout SplitMix64) -> FusedConvBatchNormBranches in
                FusedConvBatchNormBranches(branches: counts.enumerated().map { i, cout in
                    (Conv2d(inChannels: cin, outChannels: cout, kernelSize: 3, padding: 1, name: "b\(i)", generator: &g),
                     BatchNorm2d(channels: cout, name: "bn\(i)"))
                })
            }
            var g2 = g
            let (onLoadLayer, tensorLayer) = (make(&g), make(&g2))
            let x = TestSupport.random([3, 5, 9, cin], seed: 13)
            XCTAssertEqual(onLoadLayer.rectifiesOnLoad(inputShape: x.shape), onLoad)
            for training in [true, false] {
                let ctx = ComputeContext(threads: 2)
                let a = onLoadLayer.forwardBeforeNormalisation(x, rectifyingInput: true, training: training, context: ctx)
                let b = tensorLayer.forwardBeforeNormalisation(reluForward(x, context: ctx), training: training, context: ctx)
                XCTAssertEqual(bits(a.convolution), bits(b.convolution), "y cin \(cin) training \(training)")
                XCTAssertEqual(a.affine, b.affine, "affine cin \(cin) training \(training)")
                let dy = TestSupport.random(a.convolution.shape, seed: 14)
                XCTAssertEqual(bits(onLoadLayer.backward(dy, context: ctx)), bits(tensorLayer.backward(dy, context: ctx)),
                               "dx cin \(cin) training \(training)")
                for (p, q) in zip(onLoadLayer.parameters, tensorLayer.parameters) {
                    XCTAssertEqual(bits(p.gradient), bits(q.gradient), "d\(p.name) cin \(cin) training \(training)")
                }
            }
        }
    }

    func testThreadCountDoesNotChangeBits() {
        let x = TestSupport.random([4, 6, 6, 3], seed: 9)
        var outputs: [[UInt32]] = []
        for threads in [1, 2] {
            let fused = FusedConvBatchNormBranches(branches: branches(kernel: 3, seed: 5))
            let y = fused.forward(x, training: true, context: ComputeContext(threads: threads))
            let dx = fused.backward(TestSupport.random(y.shape, seed: 4), context: ComputeContext(threads: threads))
            outputs.append((y.storage + dx.storage + fused.parameters.flatMap(\.gradient.storage)).map(\.bitPattern))
        }
        XCTAssertEqual(outputs[0], outputs[1])
    }

    /// Exact equality: pure data movement plus one multiply and one add per element, rounded as
    /// in the reference (and as `affinePerChannel`, which the batch-norm kernels use).
    func testAccumulateChannelSliceMatchesReference() {
        let source = TestSupport.random([300, 2, 2, 13], seed: 1)   // 1,200 rows: two workers
        let affine = ChannelAffine(scale: TestSupport.random([13], seed: 3).storage, shift: TestSupport.random([13], seed: 4).storage)
        for (offset, width) in [(0, 13), (2, 9), (12, 1), (4, 8)] {
            for map in [nil, affine] {
                let label = "\(offset)..<\(offset + width) affine \(map != nil)"
                var fresh: Tensor?
                accumulateChannelSlice(&fresh, from: source, offset: offset, width: width, affine: map, context: ComputeContext(threads: 2))
                XCTAssertEqual(fresh, accumulateChannelSliceReference(nil, from: source, offset: offset, width: width, affine: map), label)
                let start = TestSupport.random([300, 2, 2, width], seed: 2)
                var sum: Tensor? = start
                accumulateChannelSlice(&sum, from: source, offset: offset, width: width, affine: map, context: ComputeContext(threads: 2))
                XCTAssertEqual(sum, accumulateChannelSliceReference(start, from: source, offset: offset, width: width, affine: map), label)
            }
        }
    }

    /// The fused layer's own `forward` (affine applied by `accumulateChannelSlice`) equals the
    /// batch-norm kernel's output on the convolution output, bit for bit.
    func testForwardEqualsBatchNormKernelOutput() {
        let b = branches(kernel: 3, seed: 12)
        let fused = FusedConvBatchNormBranches(branches: b)
        let x = TestSupport.random([2, 5, 5, 3], seed: 13)
        let (y, _) = FusedConvBatchNormBranches(branches: b).forwardBeforeNormalisation(x, training: true, context: .serial)
        let gamma = concatenateChannels(b.map { $0.batchNorm.gamma!.value }, context: .serial)
        let beta = concatenateChannels(b.map { $0.batchNorm.beta!.value }, context: .serial)
        XCTAssertEqual(fused.forward(x, training: true, context: .serial),
                       batchNormForwardTraining(y, gamma: gamma, beta: beta, context: .serial).output)
    }
}
