import Foundation
import Numerics

/// Trains `model` (any Numerics layer mapping images [N, H, W, C] to logits [N, classes]) on
/// `data.train` and evaluates it on `data.test`.
///
/// Each epoch visits the training set in a fresh permutation drawn from `seed`; each minibatch is
/// gathered (and augmented, per the recipe), run forward in training mode, scored with softmax
/// cross-entropy (mean over the batch), back-propagated, clipped and applied with SGD. The
/// learning rate follows a per-step cosine schedule with optional warm-up. Evaluation runs in eval
/// mode (BN running statistics). Given the same model seed, data, recipe and `seed`, every value in
/// the record except wall times is identical for any `context.threads`.
public func train(model: any Layer, data: (train: Dataset, test: Dataset), recipe: TrainingRecipe, seed: UInt64,
                  context: ComputeContext, progress: ((TrainingProgress) -> Void)? = nil) throws -> TrainingRecord {
    try recipe.validate()
    let (trainSet, testSet) = data
    guard trainSet.count > 0, testSet.count > 0 else {
        throw NASError.invalidArgument(name: "data", reason: "empty training or test set")
    }
    guard Array(trainSet.images.shape.dropFirst()) == Array(testSet.images.shape.dropFirst()), trainSet.classes == testSet.classes else {
        throw NASError.invalidArgument(name: "data", reason: "train images \(trainSet.images.shape) and test images \(testSet.images.shape) differ in shape or classes")
    }
    let parameters = model.parameters
    let optimizer = SGD(parameters: parameters,
                        options: SGD.Options(momentum: recipe.momentum, nesterov: recipe.nesterov, weightDecay: recipe.weightDecay))
    let batches = (trainSet.count + recipe.batchSize - 1) / recipe.batchSize
    let totalSteps = batches * recipe.epochs
    let schedule = CosineSchedule(base: recipe.learningRate, minimum: recipe.minimumLearningRate,
                                  warmupSteps: recipe.warmupEpochs * batches, totalSteps: totalSteps)
    var rng = SplitMix64(seed: seed)
    var epochs: [EpochRecord] = []
    var exampleLosses: [[Float]] = [], exampleCorrect: [[Bool]] = []
    var finalOutcome: (correct: [Bool], margin: [Float]) = ([], [])
    var step = 0
    for epoch in 0..<recipe.epochs {
        let start = Date()
        var order = Array(0..<trainSet.count)
        order.shuffle(using: &rng)
        var losses = [Float](repeating: 0, count: trainSet.count)
        var correct = [Bool](repeating: false, count: trainSet.count)
        var lr: Float = 0
        for b in 0..<batches {
            let indices = Array(order[b * recipe.batchSize ..< min(trainSet.count, (b + 1) * recipe.batchSize)])
            var batch = trainSet.selecting(indices)
            recipe.augmentation.apply(to: &batch.images, generator: &rng)
            parameters.zeroGradients()
            let logits = model.forward(batch.images, training: true, context: context)
            let (batchLosses, dLogits) = softmaxCrossEntropy(logits: logits, labels: batch.labels)
            let outcome = classificationOutcome(logits: logits, labels: batch.labels)
            for (k, index) in indices.enumerated() {
                losses[index] = batchLosses[k]
                correct[index] = outcome.correct[k]
            }
            _ = model.backward(dLogits, context: context)
            if let maxNorm = recipe.gradientClipNorm { clipGradientNorm(parameters, maxNorm: maxNorm) }
            lr = schedule.learningRate(at: step)
            optimizer.step(learningRate: lr)
            step += 1
            if let progress {
                let meanLoss = batchLosses.reduce(0, +) / Float(batchLosses.count)
                progress(TrainingProgress(epoch: epoch, batch: b, batchesPerEpoch: batches, batchLoss: meanLoss,
                                          fraction: Double(step) / Double(totalSteps)))
            }
        }
        let trainSeconds = Date().timeIntervalSince(start)
        var testAccuracy: Double?
        var evaluationSeconds = 0.0
        if recipe.evaluateEveryEpoch || epoch == recipe.epochs - 1 {
            let evalStart = Date()
            finalOutcome = evaluate(model: model, on: testSet, batchSize: recipe.evaluationBatchSize, context: context)
            testAccuracy = Double(finalOutcome.correct.filter { $0 }.count) / Double(testSet.count)
            evaluationSeconds = Date().timeIntervalSince(evalStart)
        }
        let meanLoss = losses.reduce(0.0) { $0 + Double($1) } / Double(trainSet.count)
        epochs.append(EpochRecord(trainLoss: meanLoss, trainAccuracy: Double(correct.filter { $0 }.count) / Double(trainSet.count),
                                  testAccuracy: testAccuracy, trainSeconds: trainSeconds,
                                  evaluationSeconds: evaluationSeconds, learningRate: lr))
        exampleLosses.append(losses)
        exampleCorrect.append(correct)
    }
    let seconds = epochs.reduce(0) { $0 + $1.trainSeconds }
    return TrainingRecord(epochs: epochs, exampleLosses: exampleLosses, exampleCorrect: exampleCorrect,
                          testCorrect: finalOutcome.correct, testMargins: finalOutcome.margin,
                          parameterCount: parameters.scalarCount,
                          imagesPerSecond: Double(trainSet.count * recipe.epochs) / max(seconds, 1e-9))
}

/// Per-example correctness and margin of `model` on `data` in eval mode (BN running statistics),
/// in dataset order, `batchSize` images per forward pass.
public func evaluate(model: any Layer, on data: Dataset, batchSize: Int,
                     context: ComputeContext) -> (correct: [Bool], margin: [Float]) {
    var correct: [Bool] = [], margin: [Float] = []
    var start = 0
    while start < data.count {
        let indices = Array(start..<min(data.count, start + max(1, batchSize)))
        let batch = data.selecting(indices)
        let logits = model.forward(batch.images, training: false, context: context)
        let outcome = classificationOutcome(logits: logits, labels: batch.labels)
        correct += outcome.correct
        margin += outcome.margin
        start += indices.count
    }
    return (correct, margin)
}
