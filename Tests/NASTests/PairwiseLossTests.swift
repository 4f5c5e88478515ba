import XCTest
@testable import NAS

final class PairwiseLossTests: XCTestCase {
    let outputs = [0.3, -1.2, 2.5, 0.3, 0.0, -0.7]
    let labels = [0.91, 0.88, 0.93, 0.91, 0.80, 0.91]  // three tied labels

    func testKernelMatchesNaiveReference() {
        let fast = pairwiseLogisticLoss(outputs: outputs, labels: labels)
        XCTAssertEqual(fast.loss, pairwiseLogisticLossReference(outputs: outputs, labels: labels), accuracy: 1e-12)
        // 6·5 ordered pairs minus 3·2 tied ones.
        var manual = 0.0
        for i in 0..<6 { for j in 0..<6 where i != j && labels[i] != labels[j] {
            manual += log(1 + exp(-(outputs[i] - outputs[j]) * (labels[i] > labels[j] ? 1 : -1)))
        } }
        XCTAssertEqual(fast.loss, manual / 24, accuracy: 1e-12)
    }

    /// Central differences of the reference, h = 1e-5, tolerance 1e-8
    /// (truncation error O(h²)·L‴ is ~1e-10 here).
    func testGradientMatchesFiniteDifferences() {
        let gradient = pairwiseLogisticLoss(outputs: outputs, labels: labels).gradient
        let h = 1e-5
        for i in outputs.indices {
            var plus = outputs, minus = outputs
            plus[i] += h
            minus[i] -= h
            let numeric = (pairwiseLogisticLossReference(outputs: plus, labels: labels)
                - pairwiseLogisticLossReference(outputs: minus, labels: labels)) / (2 * h)
            XCTAssertEqual(gradient[i], numeric, accuracy: 1e-8, "output \(i)")
        }
        XCTAssertEqual(gradient.reduce(0, +), 0, accuracy: 1e-12)  // shift invariance
    }

    func testTiedLabelsContributeNothing() {
        let tied = pairwiseLogisticLoss(outputs: [1, 2, 3], labels: [0.5, 0.5, 0.5])
        XCTAssertEqual(tied.loss, 0)
        XCTAssertEqual(tied.gradient, [0, 0, 0])
        // Correctly ordered with a huge margin: loss → 0 without overflow.
        let easy = pairwiseLogisticLoss(outputs: [1000, -1000], labels: [1, 0])
        XCTAssertEqual(easy.loss, 0, accuracy: 1e-300)
        let hard = pairwiseLogisticLoss(outputs: [-1000, 1000], labels: [1, 0])
        XCTAssertEqual(hard.loss, 2000, accuracy: 1e-9)
        XCTAssertEqual(hard.gradient, [-1, 1])
    }

    func testMeanSquaredErrorGradient() {
        let targets = [0.2, 0.4, 0.1, 0.9, 0.5, 0.3]
        let (loss, gradient) = meanSquaredError(outputs: outputs, targets: targets)
        XCTAssertEqual(loss, zip(outputs, targets).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / 6, accuracy: 1e-12)
        let h = 1e-6
        for i in outputs.indices {
            var plus = outputs, minus = outputs
            plus[i] += h
            minus[i] -= h
            let numeric = (meanSquaredError(outputs: plus, targets: targets).loss
                - meanSquaredError(outputs: minus, targets: targets).loss) / (2 * h)
            XCTAssertEqual(gradient[i], numeric, accuracy: 1e-7)
        }
    }
}
