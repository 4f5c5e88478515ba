import Foundation
import Numerics

/// Predictive entropy H = −Σ p log p (nats) of `model`'s softmax on every
/// example of `data`, in eval mode, `batchSize` images per pass. Computed in
/// Double from max-shifted logits so large logits cannot overflow.
public func predictiveEntropy(model: any Layer, on data: Dataset, batchSize: Int, context: ComputeContext) -> [Float] {
    var entropy: [Float] = []
    entropy.reserveCapacity(data.count)
    var start = 0
    while start < data.count {
        let indices = Array(start..<min(data.count, start + max(1, batchSize)))
        let logits = model.forward(data.selecting(indices).images, training: false, context: context)
        let classes = logits.shape[1]
        for row in 0..<indices.count {
            let z = (0..<classes).map { Double(logits.storage[row * classes + $0]) }
            let top = z.max()!
            let e = z.map { exp($0 - top) }
            let sum = e.reduce(0, +)
            entropy.append(Float(-e.reduce(0) { acc, v in let p = v / sum; return p > 0 ? acc + p * log(p) : acc }))
        }
        start += indices.count
    }
    return entropy
}

/// One architecture trained for proxy work: builds the `NB201Model` of `cell`
/// (initialised from `seed`), trains it with `recipe` (data order from a seed
/// split off `seed`), and records its outcomes plus the trained network's
/// predictive entropy on the training set (`withEntropy`; empty otherwise, for
/// validation runs that do not need it).
public func trainArchitecture(cell: NB201Cell, options: NB201ModelOptions, data: (train: Dataset, test: Dataset),
                              recipe: TrainingRecipe, seed: UInt64, withEntropy: Bool, context: ComputeContext,
                              progress: ((TrainingProgress) -> Void)? = nil) throws -> ArchitectureRun {
    var seeds = SplitMix64(seed: seed)
    let model = try NB201Model(cell: cell, options: options, seed: seeds.next())
    let record = try train(model: model, data: data, recipe: recipe, seed: seeds.next(), context: context, progress: progress)
    let entropy = withEntropy
        ? predictiveEntropy(model: model, on: data.train, batchSize: recipe.evaluationBatchSize, context: context) : []
    return ArchitectureRun(cell: cell.cellString, seed: seed, testAccuracy: record.testAccuracy,
                           trainCorrect: record.exampleCorrect, trainLosses: record.exampleLosses, trainEntropy: entropy,
                           testCorrect: record.testCorrect, testMargins: record.testMargins, trainSeconds: record.trainSeconds)
}
