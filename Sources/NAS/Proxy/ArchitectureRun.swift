/// What one training of one architecture contributes to proxy scoring and
/// validation: its final test accuracy and per-example outcomes.
///
/// Per-example arrays are index-aligned with the training / test sets the run
/// used (see `TrainingRecord`). The entropies come from one extra eval-mode
/// pass of the trained network over the training set; they feed the entropy
/// method (Na et al. 2021), which needs the full predictive distribution.
public struct ArchitectureRun: Sendable, Hashable, Codable {
    /// The cell string.
    public var cell: String
    /// Training seed (model initialisation and data order).
    public var seed: UInt64
    /// Final test accuracy in [0, 1].
    public var testAccuracy: Double
    /// [epoch][training example] correctness in the training forward pass.
    public var trainCorrect: [[Bool]]
    /// [epoch][training example] cross-entropy loss in the training forward pass.
    public var trainLosses: [[Float]]
    /// [training example] predictive entropy (nats) of the trained network in
    /// eval mode; empty for runs that were not asked for it (validation runs).
    public var trainEntropy: [Float]
    /// [test example] correctness after training.
    public var testCorrect: [Bool]
    /// [test example] label logit minus best other logit after training.
    public var testMargins: [Float]
    /// Training wall-clock seconds (evaluation excluded); varies between runs.
    public var trainSeconds: Double

    /// Memberwise initialiser.
    public init(cell: String, seed: UInt64, testAccuracy: Double, trainCorrect: [[Bool]], trainLosses: [[Float]],
                trainEntropy: [Float], testCorrect: [Bool], testMargins: [Float], trainSeconds: Double) {
        self.cell = cell
        self.seed = seed
        self.testAccuracy = testAccuracy
        self.trainCorrect = trainCorrect
        self.trainLosses = trainLosses
        self.trainEntropy = trainEntropy
        self.testCorrect = testCorrect
        self.testMargins = testMargins
        self.trainSeconds = trainSeconds
    }

    /// Epochs recorded.
    public var epochs: Int { trainCorrect.count }
    /// Training examples.
    public var trainCount: Int { trainCorrect.first?.count ?? 0 }

    /// Accuracy on the test examples at `indices` (nil when empty).
    public func testAccuracy(on indices: [Int]) -> Double? {
        guard !indices.isEmpty else { return nil }
        return Double(indices.filter { testCorrect[$0] }.count) / Double(indices.count)
    }
}

/// Consistency checks shared by the scorers.
extension Array where Element == ArchitectureRun {
    /// Throws unless the runs are non-empty and agree on epochs and example counts.
    func checkAligned() throws {
        guard let first = self.first else {
            throw NASError.invalidArgument(name: "runs", reason: "no architecture runs")
        }
        for run in self {
            guard run.epochs == first.epochs, run.epochs > 0,
                  run.trainCorrect.allSatisfy({ $0.count == first.trainCount }),
                  run.trainLosses.count == run.epochs, run.trainLosses.allSatisfy({ $0.count == first.trainCount }),
                  run.trainEntropy.count == first.trainEntropy.count,
                  run.trainEntropy.isEmpty || run.trainEntropy.count == first.trainCount,
                  run.testCorrect.count == first.testCorrect.count, run.testMargins.count == first.testCorrect.count
            else {
                throw NASError.invalidArgument(name: "runs", reason: "run of \(run.cell) (seed \(run.seed)) is not aligned with \(first.cell)")
            }
        }
    }
}
