import Foundation
import NAS
import Pipeline

/// `predictor.train`: fits a rank predictor on the training rows of a
/// `benchmark.load` artifact and writes the model artifact (`ModelMetadata`):
/// `model.json`, `scores.csv` and, for the CNN, `weights.bin`.
public struct PredictorTrainOp: Op {
    /// The op's registry name.
    public static let name = "predictor.train"
    /// Rows encoded and scored at a time, so a 20k-row NB101 test set never
    /// needs its whole 931-column feature matrix in memory.
    static let scoringBatch = 4096
    /// Share of the progress bar given to fitting; scoring fills the rest.
    static let fitShare = 0.8

    /// A `predictor.train` op.
    public init() {}

    /// Schema.
    public var descriptor: OpDescriptor {
        OpDescriptor(
            name: Self.name, version: 2,  // v2: direct 3x3 convolution (session 5) changed the bits of every training and CNN score
            summary: "fit a rank predictor (ReNAS CNN, ridge, kernel ridge) on a benchmark.load table",
            params: [PredictorVariant.param]
                + PredictorSettings.params
                + [ParamSpec("seed", .int, default: 0, range: 0...Double(Int32.max), doc: "seed of the fit")],
            inputs: [InputSpec("table", doc: "a benchmark.load output (table.json, train.csv, test.csv)")])
    }

    /// Fits, scores every table row, writes the model artifact.
    public func run(_ context: OpContext) async throws -> OpResult {
        let op = Self.name
        let variant = try PredictorVariant.parse(try context.string("variant", op: op), op: op)
        let settings = try PredictorSettings(context, variant: variant, op: op)
        let seed = try context.seed("seed", op: op)
        let table = try BenchmarkArtifact.read(from: try context.input("table", op: op), inputName: "table", op: op)

        context.progress(OpProgress(fraction: 0, message: "fitting \(variant.rawValue) on \(table.train.count) cells"))
        let (trainX, encodingName) = try settings.features(table.train, op: op)
        // CNN fits report every epoch, so the CLI shows a moving bar and an ETA.
        let reportProgress = context.progress
        var predictor = settings.makePredictor(space: table.metadata.space) { done, total in
            reportProgress(OpProgress(fraction: Double(done) / Double(total) * Self.fitShare,
                                      message: "epoch \(done)/\(total)"))
        }
        try nasFailure(op: op) { try predictor.fit(features: trainX, labels: table.train.accuracies, seed: seed) }
        try context.checkCancellation()
        context.progress(OpProgress(fraction: Self.fitShare, message: "scoring \(table.test.count) test cells"))
        let trainScores = try nasFailure(op: op) { try predictor.predict(features: trainX) }
        let testScores = try Self.score(table.test, with: predictor, settings: settings, context: context, op: op)

        var metadata = ModelMetadata(
            layoutVersion: 1, variant: variant, predictor: predictor.name, encoding: encodingName,
            features: trainX.columns, seed: seed, epochs: settings.epochs, batchSize: settings.batchSize,
            learningRate: settings.learningRate, table: table.metadata, means: [], scales: [], weights: [],
            intercept: nil, alpha: nil, gamma: nil, tensorShapes: [])
        if let weights = Self.fill(&metadata, from: predictor) {
            try Data(weights).write(to: context.outputDirectory.appendingPathComponent("weights.bin"))
        }
        try metadata.encoded().write(to: context.outputDirectory.appendingPathComponent("model.json"))
        let scores = ModelScores.csv(train: table.train, trainScores: trainScores, test: table.test, testScores: testScores)
        try Data(scores.utf8).write(to: context.outputDirectory.appendingPathComponent("scores.csv"))

        let trainTau = try nasFailure(op: op) { try kendallTau(trainScores, table.train.accuracies) }
        var metrics: [String: Double] = ["n_train": Double(table.train.count), "n_test": Double(table.test.count),
                                         "features": Double(trainX.columns)]
        if let trainTau { metrics["train_kendall_tau"] = trainTau }
        let report = ReportTable(
            title: "predictor fit", columns: ["variant", "encoding", "features", "n_train", "train τ"],
            rows: [[variant.rawValue, encodingName, String(trainX.columns), String(table.train.count),
                    trainTau.map { String(format: "%.4f", $0) } ?? "undefined"]])
        return OpResult(outputDirectory: context.outputDirectory, metrics: metrics, tables: [report])
    }

    /// Scores `rows` in batches of `scoringBatch`, checking cancellation between batches.
    static func score(_ rows: [BenchmarkRow], with predictor: any RankPredictor, settings: PredictorSettings,
                      context: OpContext, op: String) throws -> [Double] {
        var scores: [Double] = []
        scores.reserveCapacity(rows.count)
        var start = 0
        while start < rows.count {
            try context.checkCancellation()
            let end = min(rows.count, start + scoringBatch)
            let features = try settings.features(Array(rows[start..<end]), op: op).matrix
            scores += try nasFailure(op: op) { try predictor.predict(features: features) }
            start = end
            context.progress(OpProgress(fraction: fitShare + (1 - fitShare) * Double(end) / Double(rows.count),
                                        message: "scored \(end)/\(rows.count) test cells"))
        }
        return scores
    }

    /// Copies the fitted numbers of `predictor` into `metadata`; returns the
    /// `weights.bin` bytes for the CNN.
    static func fill(_ metadata: inout ModelMetadata, from predictor: any RankPredictor) -> [UInt8]? {
        switch predictor {
        case let ridge as RidgeRegression:
            guard let model = ridge.model else { return nil }
            metadata.setClosedForm(model.standardizer, weights: model.weights,
                                   intercept: model.intercept, alpha: model.alpha)
            return nil
        case let kernel as KernelRidge:
            guard let model = kernel.model else { return nil }
            metadata.setClosedForm(model.standardizer, weights: model.coefficients,
                                   intercept: model.intercept, alpha: model.alpha, gamma: model.gamma)
            return nil
        case let cnn as ReNASPredictor:
            guard let model = cnn.model else { return nil }
            metadata.means = model.standardizer.means
            metadata.scales = model.standardizer.scales
            let tensors = model.weights.parameters + model.weights.runningStatistics
            metadata.tensorShapes = tensors.map(\.shape)
            var bytes: [UInt8] = []
            for tensor in tensors {
                for value in tensor.storage {
                    withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
                }
            }
            return bytes
        default:
            return nil
        }
    }
}

extension ModelMetadata {
    /// Records a closed-form model (ridge: primal weights; kernel ridge: dual coefficients and γ),
    /// the one shape both ridge variants share, so the two cases of `fill` cannot drift apart.
    mutating func setClosedForm(_ standardizer: Standardizer, weights: [Double], intercept: Double,
                                alpha: Double, gamma: Double? = nil) {
        means = standardizer.means
        scales = standardizer.scales
        self.weights = weights
        self.intercept = intercept
        self.alpha = alpha
        self.gamma = gamma
    }
}
