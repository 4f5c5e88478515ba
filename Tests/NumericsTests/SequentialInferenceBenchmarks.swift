import Foundation
import XCTest
@testable import Numerics

/// Timing of `sequentialInference` on the ReNAS NB101 network shape (19×7×7 inputs), for
/// docs/benchmarks.md. Skipped unless NASBOOK_BENCH=1 (which only un-skips); asserts no time.
final class SequentialInferenceBenchmarks: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["NASBOOK_BENCH"] == "1", "timing only; set NASBOOK_BENCH=1")
    }

    /// Cells per second against the micro-batch size, interleaved (A, B, C, … repeated).
    func testReNASMicroBatch() {
        let steps: [InferenceStep] = [
            .convolution(weight: TestSupport.random([3, 3, 19, 38], seed: 1), bias: TestSupport.random([38], seed: 2), padding: 1, relu: true),
            .convolution(weight: TestSupport.random([3, 3, 38, 128], seed: 3), bias: TestSupport.random([128], seed: 4), padding: 1, relu: true),
            .dense(weight: TestSupport.random([120, 6272], seed: 5), bias: TestSupport.random([120], seed: 6), relu: true),
            .dense(weight: TestSupport.random([84, 120], seed: 7), bias: TestSupport.random([84], seed: 8), relu: true),
            .dense(weight: TestSupport.random([1, 84], seed: 9), bias: TestSupport.random([1], seed: 10), relu: false),
        ]
        let x = TestSupport.random([8192, 7, 7, 19], seed: 11)
        let context = ComputeContext(threads: 2)
        var best: [Int: Double] = [:]
        for _ in 0..<3 {
            for micro in [16, 32, 64, -16, -32, -64] {
                let start = Date()
                _ = sequentialInference(x, steps: steps, microBatch: abs(micro), transposedConvolutionGEMM: micro < 0,
                                        context: context)
                best[micro] = min(best[micro] ?? .infinity, Date().timeIntervalSince(start))
            }
        }
        let load = ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").prefix(14)
        for (micro, seconds) in best.sorted(by: { $0.key < $1.key }) {
            print(String(format: "| micro-batch %d (negative: transposed GEMM) | %.0f cells/s | 423,624 cells ≈ %.1f s | load %@ |",
                         micro, 8192 / seconds, 423_624 * seconds / 8192, String(load)))
        }
    }
}
