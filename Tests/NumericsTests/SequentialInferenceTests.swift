import XCTest
@testable import Numerics

/// `sequentialInference` against its reference (layer references applied to
/// the whole batch), on a ReNAS-shaped stack: conv3×3 (pad 1) + ReLU,
/// conv3×3 + ReLU, dense + ReLU, dense.
final class SequentialInferenceTests: XCTestCase {
    /// A small stack on [N, 5, 5, 3] inputs.
    func steps(seed: UInt64) -> [InferenceStep] {
        [
            .convolution(weight: TestSupport.random([3, 3, 3, 4], seed: seed), bias: TestSupport.random([4], seed: seed + 1),
                         padding: 1, relu: true),
            .convolution(weight: TestSupport.random([3, 3, 4, 6], seed: seed + 2), bias: TestSupport.random([6], seed: seed + 3),
                         padding: 1, relu: true),
            .dense(weight: TestSupport.random([7, 5 * 5 * 6], seed: seed + 4), bias: TestSupport.random([7], seed: seed + 5), relu: true),
            .dense(weight: TestSupport.random([2, 7], seed: seed + 6), bias: TestSupport.random([2], seed: seed + 7), relu: false),
        ]
    }

    /// Micro-batches that do not divide N (37 = 4·8 + 5) agree with the reference
    /// (float GEMMs against Double accumulation: rtol 1e-4, atol 1e-4).
    func testMatchesReference() {
        let x = TestSupport.random([37, 5, 5, 3], seed: 11), s = steps(seed: 20)
        let y = sequentialInference(x, steps: s, microBatch: 8, context: ComputeContext(threads: 2))
        XCTAssertEqual(y.shape, [37, 2])
        assertClose(y, sequentialInferenceReference(x, steps: s), rtol: 1e-4, atol: 1e-4)
    }

    /// The micro-batch cut depends on N and `microBatch` only: 1 and 3 threads give the same bits.
    func testThreadCountChangesNoBit() {
        let x = TestSupport.random([50, 5, 5, 3], seed: 3), s = steps(seed: 40)
        let one = sequentialInference(x, steps: s, microBatch: 7, context: .serial)
        let three = sequentialInference(x, steps: s, microBatch: 7, context: ComputeContext(threads: 3))
        XCTAssertEqual(one.storage, three.storage)
    }

    /// A pointwise (1×1, unpadded) convolution reads the input directly (no im2col).
    func testPointwiseConvolution() {
        let x = TestSupport.random([9, 2, 2, 3], seed: 5)
        let s: [InferenceStep] = [
            .convolution(weight: TestSupport.random([1, 1, 3, 4], seed: 6), bias: TestSupport.random([4], seed: 7), padding: 0, relu: false),
            .dense(weight: TestSupport.random([1, 16], seed: 8), bias: TestSupport.random([1], seed: 9), relu: false),
        ]
        assertClose(sequentialInference(x, steps: s, microBatch: 4, context: .serial),
                    sequentialInferenceReference(x, steps: s), rtol: 1e-4, atol: 1e-4)
    }
}

extension SequentialInferenceTests {
    /// Both GEMM orientations agree with the reference.
    func testTransposedOrientationMatchesReference() {
        let x = TestSupport.random([21, 5, 5, 3], seed: 12), s = steps(seed: 30)
        let y = sequentialInference(x, steps: s, microBatch: 8, transposedConvolutionGEMM: true, context: ComputeContext(threads: 2))
        assertClose(y, sequentialInferenceReference(x, steps: s), rtol: 1e-4, atol: 1e-4)
    }
}
