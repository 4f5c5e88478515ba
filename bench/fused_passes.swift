// Single-thread timings of the session-7 memory-pass fusions against the unfused kernel pairs
// they replace, at config (c)'s stage-1 shapes (batch 128, 28x28, C = 16; fused 3x3 group of
// node 0: 3C = 48 channels). Wall time, best of 15 calls after a warm-up; the tensors (6.4 and
// 19 MiB) exceed the caches, as in training. For docs/numerics.md ("Session 7").
// Compiled with the library's sources (the kernels' helpers are internal):
//   swiftc -O -wmo -parse-as-library -Xcc -march=x86-64-v4 -I Sources/CBLAS -module-name FusedPasses \
//     Sources/Numerics/*/*.swift bench/bench_timing.swift bench/fused_passes.swift -lopenblas -o /tmp/fused_passes && /tmp/fused_passes
import Foundation

@main
struct FusedPassesBench {
    static func best(_ repeats: Int = 15, _ body: () -> Void) -> Double { bestMilliseconds(repeats, body) }

    static func row(_ name: String, _ before: Double, _ after: Double) {
        print(String(format: "%-44@ before %6.2f ms  after %6.2f ms  after/before %.2f", name as NSString, before, after, after / before))
    }

    static func main() {
        let ctx = ComputeContext.serial
        var rng = SplitMix64(seed: 1)
        let node = [128, 28, 28, 16]
        func random(_ shape: [Int]) -> Tensor {
            Tensor(shape: shape, storage: (0..<Tensor.elementCount(shape)).map { _ in Float(rng.nextDouble() * 2 - 1) })
        }
        let a = reluForward(random(node), context: ctx), dA = random(node), start = random(node)

        // Backward: node gradient += ReLU'(dA), with and without an earlier gradient.
        row("relu backward + accumulate (sum exists)", best {
            var sum: Tensor? = start
            accumulate(&sum, reluBackward(a, outputGradient: dA, context: ctx), context: ctx)
        }, best {
            var sum: Tensor? = start, g = dA
            accumulateReLUBackward(&sum, activation: a, outputGradient: &g, context: ctx)
        })
        row("relu backward (no sum yet; in place of dA)", best {
            var sum: Tensor?
            accumulate(&sum, reluBackward(a, outputGradient: dA, context: ctx), context: ctx)
        }, {
            var owned = dA
            owned.storage[0] += 0   // a unique buffer, as the cell's dA is: time the mask, not a copy
            return best {
                var sum: Tensor?   // shares `owned` after the call, released before the next one
                accumulateReLUBackward(&sum, activation: a, outputGradient: &owned, context: ctx)
            }
        }())

        // Forward: a plain edge (pool, skip) completing a node, then ReLU(node).
        let pooled = random(node)
        row("plain edge add + relu forward", best {
            var sum: Tensor? = start
            accumulate(&sum, pooled, context: ctx)
            _ = reluForward(sum!, context: ctx)
        }, best {
            var sum: Tensor? = start
            _ = accumulateAndReLU(&sum, pooled, context: ctx)
        })

        // Batch-norm backward of node 0's fused group (48 channels, dy in three 16-channel blocks).
        let x48 = random([128, 28, 28, 48])
        let blocks = (0..<3).map { _ in random(node) }
        let gamma = Tensor(shape: [48], storage: (0..<48).map { 0.5 + Float($0) / 96 })
        let stats = batchNormTrainingStatistics(x48, context: ctx)
        var x = x48
        x.storage[0] += 0   // own copy, overwritten by every in-place call (values stay finite)
        row("batch-norm backward (48 ch, 3 dy blocks)", best {
            _ = batchNormBackward(x48, gamma: gamma, statistics: stats, outputGradientBlocks: blocks, context: ctx)
        }, best {
            _ = batchNormBackwardInPlace(&x, gamma: gamma, statistics: stats, outputGradientBlocks: blocks, context: ctx)
        })
    }
}
