import XCTest
@testable import Numerics

final class CrossEntropyTests: XCTestCase {
    /// Pinned per-example losses: log(e^1 + e^2 + e^3) - 3 = 0.40760596 and
    /// log(3) = 1.0986123 for uniform logits.
    func testPerExampleLossesPinned() {
        let logits = Tensor(shape: [2, 3], storage: [1, 2, 3, 5, 5, 5])
        let (losses, grad) = softmaxCrossEntropy(logits: logits, labels: [2, 0])
        XCTAssertEqual(losses[0], 0.40760596, accuracy: 1e-6)
        XCTAssertEqual(losses[1], 1.0986123, accuracy: 1e-6)
        // Gradient of the mean: (softmax - onehot) / N.
        XCTAssertEqual(grad.storage[3], (1.0 / 3 - 1) / 2, accuracy: 1e-6)
        XCTAssertEqual(grad.storage[4], (1.0 / 3) / 2, accuracy: 1e-6)
    }

    func testStableForLargeLogits() {
        let (losses, _) = softmaxCrossEntropy(logits: Tensor(shape: [1, 2], storage: [1000, 0]), labels: [1])
        XCTAssertEqual(losses[0], 1000, accuracy: 1e-3)
    }

    func testGradientMatchesFiniteDifferences() {
        let logits = TestSupport.random([3, 4], seed: 41), labels = [0, 3, 1]
        let (_, grad) = softmaxCrossEntropy(logits: logits, labels: labels)
        assertGradient(of: { z in
            softmaxCrossEntropy(logits: z, labels: labels).losses.reduce(0) { $0 + Double($1) } / 3
        }, at: logits, analytic: grad, epsilon: 1e-2, rtol: 1e-2, atol: 1e-3, "cross-entropy")
    }

    func testCorrectnessAndMargin() {
        let logits = Tensor(shape: [3, 3], storage: [3, 1, 0, 0, 2, 2.5, 1, 1, 0])
        let outcome = classificationOutcome(logits: logits, labels: [0, 1, 1])
        XCTAssertEqual(outcome.correct, [true, false, false], "a tie goes to the first index")
        XCTAssertEqual(outcome.margin, [2, -0.5, 0])
    }
}
