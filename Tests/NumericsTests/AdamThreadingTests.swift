import XCTest
@testable import Numerics

/// `Adam.step(learningRate:context:)` splits the element-wise update over workers:
/// the result must not depend on the split.
final class AdamThreadingTests: XCTestCase {
    /// 3 steps on a 100,003-element parameter (more than one worker range) with
    /// 1 and 3 threads, plain and decoupled decay: identical bits, and equal to the serial step.
    func testThreadCountChangesNoBit() {
        for decoupled in [false, true] {
            var results: [[Float]] = []
            for threads in [0, 1, 3] {  // 0: the serial `step(learningRate:)`
                let p = Parameter(name: "p", value: TestSupport.random([100_003], seed: 1))
                let adam = Adam(parameters: [p], options: .init(weightDecay: 0.01, decoupled: decoupled))
                for s in 0..<3 {
                    p.zeroGradient()
                    p.accumulateGradient(TestSupport.random([100_003], seed: 10 + UInt64(s)))
                    if threads == 0 { adam.step(learningRate: 1e-2) } else {
                        adam.step(learningRate: 1e-2, context: ComputeContext(threads: threads))
                    }
                }
                results.append(p.value.storage)
            }
            XCTAssertEqual(results[0], results[1], "decoupled \(decoupled)")
            XCTAssertEqual(results[0], results[2], "decoupled \(decoupled)")
            XCTAssertNotEqual(results[0], TestSupport.random([100_003], seed: 1).storage)
        }
    }
}
