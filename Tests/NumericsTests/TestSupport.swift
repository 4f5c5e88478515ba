import XCTest
@testable import Numerics

/// Shared helpers: seeded random tensors, tolerance checks and a central finite-difference checker.
enum TestSupport {
    /// Normal(0, 1) tensor from a fixed seed.
    static func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var g = SplitMix64(seed: seed)
        return Tensor.randomNormal(shape: shape, generator: &g)
    }

    /// Values spaced at least 0.05 apart in random order, so ReLU/max-pool kinks are never
    /// within a finite-difference step of an input.
    static func distinct(_ shape: [Int], seed: UInt64) -> Tensor {
        var g = SplitMix64(seed: seed)
        let count = Tensor.elementCount(shape)
        let values = (0..<count).map { Float($0) * 0.05 - Float(count) * 0.025 + 0.0125 }
        return Tensor(shape: shape, storage: values.shuffled(using: &g))
    }
}

/// Asserts |actual - expected| <= atol + rtol * |expected| element-wise.
func assertClose(_ actual: Tensor, _ expected: Tensor, rtol: Float = 1e-4, atol: Float = 1e-5,
                 _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, "shape " + message, file: file, line: line)
    guard actual.shape == expected.shape else { return }
    for i in 0..<actual.count {
        let (a, e) = (actual.storage[i], expected.storage[i])
        if abs(a - e) > atol + rtol * abs(e) {
            XCTFail("\(message) element \(i): \(a) vs expected \(e)", file: file, line: line)
            return
        }
    }
}

/// Central finite-difference check of `analytic` = dL/dx for L = loss(x), evaluated in Double.
/// Tolerance: |analytic - numeric| <= atol + rtol * |numeric| with eps = 1e-2 (float32 forward).
func assertGradient(of loss: (Tensor) -> Double, at x: Tensor, analytic: Tensor, epsilon: Float = 1e-2,
                    rtol: Double = 1e-2, atol: Double = 2e-3, _ message: String = "",
                    file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(analytic.shape, x.shape, "gradient shape " + message, file: file, line: line)
    for i in 0..<x.count {
        var plus = x, minus = x
        plus.storage[i] += epsilon
        minus.storage[i] -= epsilon
        let numeric = (loss(plus) - loss(minus)) / Double(2 * epsilon)
        let a = Double(analytic.storage[i])
        if abs(a - numeric) > atol + rtol * abs(numeric) {
            XCTFail("\(message) d/dx[\(i)]: analytic \(a) vs numeric \(numeric)", file: file, line: line)
            return
        }
    }
}

/// L = sum(y * r): a scalar whose gradient w.r.t. y is the fixed random tensor r.
func weightedSum(_ y: Tensor, _ r: Tensor) -> Double {
    zip(y.storage, r.storage).reduce(0) { $0 + Double($1.0) * Double($1.1) }
}

/// Finite-difference check of `conv2dBackward`'s dx and dw (no bias) for L = sum(conv2d(x, w) * r),
/// with `assertGradient`'s default tolerances; whichever path (`conv2dBackwardStride1`, the direct
/// 3x3 kernels, im2col + GEMM) the shapes select is the one checked.
func assertConv2dGradients(x: Tensor, weight w: Tensor, outputWeights r: Tensor, stride: Int, padding: Int,
                           _ message: String, file: StaticString = #filePath, line: UInt = #line) {
    let got = conv2dBackward(x, weight: w, outputGradient: r, stride: stride, padding: padding, context: .serial)
    assertGradient(of: { weightedSum(conv2dForward($0, weight: w, stride: stride, padding: padding, context: .serial), r) },
                   at: x, analytic: got.input!, message + " dx", file: file, line: line)
    assertGradient(of: { weightedSum(conv2dForward(x, weight: $0, stride: stride, padding: padding, context: .serial), r) },
                   at: w, analytic: got.weight, message + " dw", file: file, line: line)
}
