import Foundation
import NAS
import Pipeline

/// `model.json` of a `predictor.train` output.
///
/// The NAS predictors keep their fitted state in read-only `model` properties
/// and have no serialisation of their own, so this is NASStages' format:
/// every fitted number the library exposes, written for inspection and
/// provenance. Ridge is complete (scaling, weights, intercept, α); kernel ridge
/// omits its support rows, which are the standardised training rows and are
/// rebuilt from the table; the ReNAS CNN's tensors go to `weights.bin`
/// (float32 little-endian, concatenated in `tensor_shapes` order, parameters
/// then batch-norm running statistics). `RestoredModel` rebuilds a fitted
/// predictor from these numbers (kernel ridge re-encodes its support rows from
/// the table), which is how `predictor.evaluate` scores; the fit also writes
/// `scores.csv`, the model's score for every row of the table it was trained
/// on, which the `ensemble` variant (no per-member state saved) is evaluated
/// from.
public struct ModelMetadata: Hashable, Sendable, Codable {
    /// Layout version of the model artifact.
    public var layoutVersion: Int
    /// Variant trained.
    public var variant: PredictorVariant
    /// Library name of the predictor (`renas-pairwise`, `ridge`…).
    public var predictor: String
    /// Library name of the encoding (`renas-nb101`…).
    public var encoding: String
    /// Encoded features per cell.
    public var features: Int
    /// Seed of the fit.
    public var seed: UInt64
    /// ReNAS training knobs (recorded for every variant; ridge variants ignore them).
    public var epochs: Int, batchSize: Int, learningRate: Double
    /// The table trained on: its `table.json`.
    public var table: BenchmarkMetadata
    /// Standardisation fitted on the training rows.
    public var means: [Double], scales: [Double]
    /// Linear weights (ridge) or dual coefficients (kernel ridge); empty for the CNN.
    public var weights: [Double]
    /// Intercept (ridge variants).
    public var intercept: Double?
    /// Chosen α (ridge variants) and γ (kernel ridge).
    public var alpha: Double?, gamma: Double?
    /// Shapes of the CNN tensors stored in `weights.bin`, in order.
    public var tensorShapes: [[Int]]

    enum CodingKeys: String, CodingKey {
        case layoutVersion = "layout_version", variant, predictor, encoding, features, seed, epochs
        case batchSize = "batch_size", learningRate = "learning_rate", table, means, scales, weights
        case intercept, alpha, gamma, tensorShapes = "tensor_shapes"
    }
}

/// Scores written by `predictor.train`, read back by `predictor.evaluate`.
struct ModelScores {
    /// Row id → score, for training and test rows.
    var train: [String: Double]
    var test: [String: Double]

    /// `scores.csv` text: `id,split,score`, training rows then test rows, table order.
    static func csv(train: [BenchmarkRow], trainScores: [Double], test: [BenchmarkRow], testScores: [Double]) -> String {
        var text = "id,split,score\n"
        for (row, score) in zip(train, trainScores) { text += "\(row.id),train,\(score)\n" }
        for (row, score) in zip(test, testScores) { text += "\(row.id),test,\(score)\n" }
        return text
    }

    /// Parses `scores.csv`; `name` labels errors.
    static func read(_ url: URL, name: String, op: String) throws -> ModelScores {
        try CSVInput.read(url, displayName: name, op: op) { csv in
            try csv.requireHeader(["id", "split", "score"])
            var scores = ModelScores(train: [:], test: [:])
            for (line, fields) in csv.records {
                guard fields.count == 3, let score = Double(fields[2]), score.isFinite,
                      fields[1] == "train" || fields[1] == "test" else {
                    throw NASError.badRow(file: csv.file, line: line, reason: "expected id,train|test,finite score")
                }
                if fields[1] == "train" { scores.train[String(fields[0])] = score } else { scores.test[String(fields[0])] = score }
            }
            return scores
        }
    }
}

extension ModelMetadata {
    /// Reads `model.json` from a `predictor.train` output.
    static func read(from directory: URL, inputName: String, op: String) throws -> ModelMetadata {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("model.json").path) else {
            throw PipelineError.opFailed(op: op, reason: "input '\(inputName)' has no model.json; bind it to a predictor.train output")
        }
        do {
            return try JSONDecoder().decode(ModelMetadata.self, from: data)
        } catch {
            throw PipelineError.opFailed(op: op, reason: "\(inputName)/model.json: not predictor.train metadata (\(error))")
        }
    }

    /// Canonical JSON bytes (sorted keys) for the artifact.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}
