import XCTest
@testable import Numerics

/// Optimiser updates against values computed by hand from the PyTorch update rules.
final class OptimizerTests: XCTestCase {
    private func parameter(_ value: Float, gradient: Float) -> Parameter {
        let p = Parameter(name: "p", value: Tensor(shape: [1], storage: [value]))
        p.gradient = Tensor(shape: [1], storage: [gradient])
        return p
    }

    /// p = 1, g = 0.5, wd = 0.1, mu = 0.9, lr = 0.1. Step 1: g' = 0.6, v = 0.6, p = 0.94.
    /// Step 2 (same raw gradient): g' = 0.5 + 0.094 = 0.594, v = 0.54 + 0.594 = 1.134, p = 0.8266.
    func testSGDMomentumWithWeightDecay() {
        let p = parameter(1, gradient: 0.5)
        let sgd = SGD(parameters: [p], options: SGD.Options(momentum: 0.9, weightDecay: 0.1))
        sgd.step(learningRate: 0.1)
        XCTAssertEqual(p.value.storage[0], 0.94, accuracy: 1e-6)
        sgd.step(learningRate: 0.1)
        XCTAssertEqual(p.value.storage[0], 0.8266, accuracy: 1e-6)
    }

    /// Nesterov, p = 1, g = 0.5, mu = 0.9, lr = 0.1: v = 0.5, update g + mu v = 0.95, p = 0.905;
    /// step 2: v = 0.95, update 0.5 + 0.855 = 1.355, p = 0.7695.
    func testSGDNesterov() {
        let p = parameter(1, gradient: 0.5)
        let sgd = SGD(parameters: [p], options: SGD.Options(momentum: 0.9, nesterov: true))
        sgd.step(learningRate: 0.1)
        XCTAssertEqual(p.value.storage[0], 0.905, accuracy: 1e-6)
        sgd.step(learningRate: 0.1)
        XCTAssertEqual(p.value.storage[0], 0.7695, accuracy: 1e-6)
    }

    func testPlainSGD() {
        let p = parameter(2, gradient: -1)
        SGD(parameters: [p], options: SGD.Options(momentum: 0)).step(learningRate: 0.5)
        XCTAssertEqual(p.value.storage[0], 2.5)
    }

    /// Adam, p = 1, lr = 0.01. Step 1 with g = 0.5: mhat = 0.5, vhat = 0.25, p = 1 - 0.01 * 0.5 / (0.5 + 1e-8) ~ 0.99.
    /// Step 2 with g = -1: m = 0.045 - 0.1 = -0.055, v = 0.00024975 + 0.001 = 0.00124975,
    /// mhat = -0.055 / 0.19 = -0.289474, vhat = 0.00124975 / 0.001999 = 0.625188, p = 0.99 + 0.01 * 0.289474 / 0.790688.
    func testAdamTwoSteps() {
        let p = parameter(1, gradient: 0.5)
        let adam = Adam(parameters: [p])
        adam.step(learningRate: 0.01)
        XCTAssertEqual(p.value.storage[0], 0.99, accuracy: 1e-6)
        p.gradient = Tensor(shape: [1], storage: [-1])
        adam.step(learningRate: 0.01)
        XCTAssertEqual(p.value.storage[0], 0.99 + 0.01 * 0.289474 / 0.790688, accuracy: 1e-5)
        XCTAssertEqual(adam.stepCount, 2)
    }

    /// AdamW shrinks the weight by lr * wd before the Adam step: 1 - 0.01 * 0.1 - 0.01 = 0.989.
    func testAdamDecoupledWeightDecay() {
        let p = parameter(1, gradient: 0.5)
        Adam(parameters: [p], options: Adam.Options(weightDecay: 0.1, decoupled: true)).step(learningRate: 0.01)
        XCTAssertEqual(p.value.storage[0], 0.989, accuracy: 1e-6)
    }

    func testCosineScheduleWithWarmup() {
        let s = CosineSchedule(base: 0.1, minimum: 0.001, warmupSteps: 10, totalSteps: 110)
        XCTAssertEqual(s.learningRate(at: 0), 0.01, accuracy: 1e-7)
        XCTAssertEqual(s.learningRate(at: 9), 0.1, accuracy: 1e-7, "warm-up ends at base")
        XCTAssertEqual(s.learningRate(at: 10), 0.1, accuracy: 1e-7)
        XCTAssertEqual(s.learningRate(at: 60), 0.0505, accuracy: 1e-6, "half-way is the mean of base and minimum")
        XCTAssertEqual(s.learningRate(at: 110), 0.001, accuracy: 1e-7)
        XCTAssertEqual(s.learningRate(at: 500), 0.001, accuracy: 1e-7)
        let plain = CosineSchedule(base: 1, totalSteps: 4)
        XCTAssertEqual(plain.learningRate(at: 1), Float((1 + cos(Double.pi / 4)) / 2), accuracy: 1e-6)
    }
}

final class GradientClippingTests: XCTestCase {
    /// Gradients (3, 4) have norm 5; clipping to 1 scales them to (0.6, 0.8); clipping to 10 is a no-op.
    func testClipGradientNorm() {
        let a = Parameter(name: "a", value: Tensor(zeros: [1])), b = Parameter(name: "b", value: Tensor(zeros: [1]))
        a.gradient = Tensor(shape: [1], storage: [3]); b.gradient = Tensor(shape: [1], storage: [4])
        XCTAssertEqual(clipGradientNorm([a, b], maxNorm: 10), 5, accuracy: 1e-6)
        XCTAssertEqual(a.gradient.storage[0], 3)
        XCTAssertEqual(clipGradientNorm([a, b], maxNorm: 1), 5, accuracy: 1e-6)
        XCTAssertEqual(a.gradient.storage[0], 0.6, accuracy: 1e-6)
        XCTAssertEqual(b.gradient.storage[0], 0.8, accuracy: 1e-6)
    }
}
