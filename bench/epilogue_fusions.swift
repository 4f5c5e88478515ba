// Timings of the session-8 fusions of batch-norm passes into the direct 3x3 convolution
// kernels, against the unfused kernel pairs they replace, at config (c)'s stage-1 shapes
// (batch 128, 28x28, C = 16; the three fused 3x3 edges of node 0: 16 -> 48 channels). Wall
// time, best of N calls after a warm-up, at 1 and 2 threads; the tensors (6.4 and 19 MiB)
// exceed the caches, as in training. For docs/numerics.md ("Session 8").
// Compiled with the library's sources (the kernels' helpers are internal):
//   swiftc -O -wmo -parse-as-library -Xcc -march=x86-64-v4 -I Sources/CBLAS -module-name EpilogueFusions \
//     Sources/Numerics/*/*.swift bench/bench_timing.swift bench/epilogue_fusions.swift -lopenblas -o /tmp/epilogue_fusions && /tmp/epilogue_fusions
import Foundation

@main
struct EpilogueFusionsBench {
    static func best(_ repeats: Int, _ body: () -> Void) -> Double { bestMilliseconds(repeats, body) }

    /// `best` with an untimed fresh copy of `tensor` (uniquely owned, so an in-place kernel does
    /// not copy it first) handed to each call.
    static func best(_ repeats: Int, copying tensor: Tensor, _ body: (inout Tensor) -> Void) -> Double {
        var result = Double.infinity
        for _ in 0...repeats {
            var copy = Tensor(shape: tensor.shape, storage: tensor.storage.map { $0 })
            let start = DispatchTime.now().uptimeNanoseconds
            body(&copy)
            result = Swift.min(result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return result
    }

    static func row(_ name: String, _ before: Double, _ after: Double) {
        print(String(format: "%-52@ before %7.2f ms  after %7.2f ms  after/before %.3f", name as NSString, before, after,
                     after / before))
    }

    static func main() {
        let repeats = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 9
        var rng = SplitMix64(seed: 1)
        func random(_ shape: [Int]) -> Tensor {
            Tensor(shape: shape, storage: (0..<Tensor.elementCount(shape)).map { _ in Float(rng.nextDouble() * 2 - 1) })
        }
        let node = random([128, 28, 28, 16])
        let x = reluForward(node, context: .serial)
        let weight = random([3, 3, 16, 48])
        let gamma = random([48])
        let blocks = (0..<3).map { _ in random([128, 28, 28, 16]) }
        let y = conv2dForward(x, weight: weight, padding: 1, context: .serial)
        let stats = batchNormTrainingStatistics(y, context: .serial)
        for threads in [1, 2] {
            let ctx = ComputeContext(threads: threads)
            print("threads \(threads), best of \(repeats)")
            // Order alternates within each measurement pair's repeats only through `best`; run
            // the pair twice (before, after, before, after) to expose drift from other load.
            for _ in 0..<2 {
                row("conv forward + BN statistics", best(repeats) {
                    let y = conv2dForward(x, weight: weight, padding: 1, context: ctx)
                    _ = batchNormTrainingStatistics(y, context: ctx)
                }, best(repeats) {
                    _ = conv2dForwardWithBatchNormStatistics(x, weight: weight, padding: 1, epsilon: 1e-5, context: ctx)
                })
                row("BN backward (in place) + conv backward (dx, dw)", best(repeats, copying: y) { dConv in
                    _ = batchNormBackwardInPlace(&dConv, gamma: gamma, statistics: stats, outputGradientBlocks: blocks,
                                                 context: ctx)
                    _ = conv2dBackward(x, weight: weight, outputGradient: dConv, stride: 1, padding: 1,
                                       method: .inputIm2col, context: ctx)
                }, best(repeats, copying: y) { convOutput in
                    _ = conv2dBackwardThroughBatchNorm(x, weight: weight, padding: 1, convOutput: &convOutput, gamma: gamma,
                                                       statistics: stats, outputGradientBlocks: blocks, method: .inputIm2col,
                                                       context: ctx)
                })
                row("ReLU + conv forward + BN statistics", best(repeats) {
                    let a = reluForward(node, context: ctx)
                    _ = conv2dForwardWithBatchNormStatistics(a, weight: weight, padding: 1, epsilon: 1e-5, context: ctx)
                }, best(repeats) {
                    _ = conv2dForwardWithBatchNormStatistics(node, weight: weight, padding: 1, rectifiesInput: true,
                                                             epsilon: 1e-5, context: ctx)
                })
                row("fused backward, input ReLU(node) vs node on load", best(repeats, copying: y) { convOutput in
                    _ = conv2dBackwardThroughBatchNorm(x, weight: weight, padding: 1, convOutput: &convOutput, gamma: gamma,
                                                       statistics: stats, outputGradientBlocks: blocks, method: .inputIm2col,
                                                       context: ctx)
                }, best(repeats, copying: y) { convOutput in
                    _ = conv2dBackwardThroughBatchNorm(node, weight: weight, padding: 1, rectifiesInput: true,
                                                       convOutput: &convOutput, gamma: gamma, statistics: stats,
                                                       outputGradientBlocks: blocks, method: .inputIm2col, context: ctx)
                })
            }
        }
    }
}
