import Foundation
import NAS
import Numerics
import Pipeline

/// Rebuilding a fitted predictor from a `predictor.train` output, so
/// `predictor.evaluate` scores cells from the saved model itself rather than
/// from the scores the fit wrote.
///
/// Restorable: `renas`, `renas-mse` (model.json scaling + `weights.bin`),
/// `ridge` (model.json) and `kernel-ridge` (model.json plus the training rows,
/// which are its support vectors and are re-encoded from the table). The
/// `ensemble` variants save no per-member state, so they are not restorable and
/// their evaluation falls back to `scores.csv`.
struct RestoredModel {
    /// The fitted predictor.
    var predictor: any RankPredictor
    /// Settings that encode cells the way the fit did.
    var settings: PredictorSettings

    /// Whether `variant`'s fitted state is fully saved in the model artifact.
    static func isRestorable(_ variant: PredictorVariant) -> Bool { !variant.isEnsemble }

    /// Restores the predictor described by `metadata` in `directory`. `trainRows`
    /// are the table's training rows (used by kernel ridge only, which needs
    /// exactly the rows it was fitted on). Throws a one-line stage failure naming
    /// the file when the artifact is inconsistent.
    init(_ metadata: ModelMetadata, directory: URL, trainRows: [BenchmarkRow], op: String) throws {
        let space = metadata.table.space
        guard let choice = EncodingChoice(rawValue: String(metadata.encoding.prefix { $0 != "-" })),
              metadata.encoding == "\(choice.rawValue)-\(space)", Self.isRestorable(metadata.variant) else {
            throw PipelineError.opFailed(op: op, reason: "model.json: variant \(metadata.variant.rawValue) on encoding "
                + "\(metadata.encoding) cannot be restored from its saved numbers")
        }
        settings = PredictorSettings(variant: metadata.variant, encoding: choice, epochs: metadata.epochs,
                                     batchSize: metadata.batchSize, learningRate: metadata.learningRate)
        predictor = try nasFailure(op: op) { [settings] in
            let standardizer = try Standardizer(means: metadata.means, scales: metadata.scales)
            switch metadata.variant {
            case .ridge:
                return try RidgeRegression(restoring: standardizer, weights: metadata.weights,
                                           intercept: metadata.intercept ?? .nan, alpha: metadata.alpha ?? .nan)
            case .kernelRidge:
                let x = try settings.features(trainRows, op: op).matrix
                return try KernelRidge(restoring: standardizer, trainingFeatures: x, coefficients: metadata.weights,
                                       intercept: metadata.intercept ?? .nan, alpha: metadata.alpha ?? .nan,
                                       gamma: metadata.gamma ?? .nan)
            case .renas, .renasMSE:
                let blank = settings.makePredictor(space: space) as! ReNASPredictor  // CNN variants make a ReNASPredictor
                let tensors = try Self.readTensors(directory.appendingPathComponent("weights.bin"),
                                                   shapes: metadata.tensorShapes, op: op)
                let statistics = ReNASPredictor.tensorShapes(channels: blank.channels, side: blank.side).runningStatistics.count
                let weights = ReNASWeights(parameters: Array(tensors.dropLast(statistics)),
                                           runningStatistics: Array(tensors.suffix(statistics)))
                return try ReNASPredictor(channels: blank.channels, side: blank.side, loss: blank.loss, options: blank.options,
                                          restoring: ReNASPredictor.Model(standardizer: standardizer, weights: weights))
            case .ensemble, .ensembleWide, .ensembleStats:
                preconditionFailure("checked by isRestorable above")
            }
        }
    }

    /// Reads `weights.bin`: float32 little-endian tensors of `shapes`, back to back.
    static func readTensors(_ url: URL, shapes: [[Int]], op: String) throws -> [Tensor] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PipelineError.opFailed(op: op, reason: "model has no readable weights.bin at \(url.path)")
        }
        let counts = shapes.map { $0.reduce(1, *) }
        let expected = counts.reduce(0, +) * 4
        guard shapes.allSatisfy({ $0.allSatisfy { $0 > 0 } }), data.count == expected else {
            throw PipelineError.opFailed(op: op, reason: "weights.bin: \(data.count) bytes, tensor_shapes of model.json need \(expected)")
        }
        var tensors: [Tensor] = []
        var offset = 0
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            for (shape, count) in zip(shapes, counts) {
                var values = [Float](repeating: 0, count: count)
                for i in 0..<count {
                    let bits = raw.loadUnaligned(fromByteOffset: offset + 4 * i, as: UInt32.self)
                    values[i] = Float(bitPattern: UInt32(littleEndian: bits))
                }
                tensors.append(Tensor(shape: shape, storage: values))
                offset += 4 * count
            }
        }
        return tensors
    }
}

extension PredictorSettings {
    /// Settings from their parts (a restored model's, read from model.json).
    init(variant: PredictorVariant, encoding: EncodingChoice, epochs: Int, batchSize: Int, learningRate: Double) {
        self.variant = variant
        self.encoding = encoding
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
    }
}
