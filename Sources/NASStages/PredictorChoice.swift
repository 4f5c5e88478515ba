import Foundation
import NAS
import Pipeline

/// The predictors the ops can train, by the name a stage writes in `variant`.
public enum PredictorVariant: String, CaseIterable, Codable, Sendable {
    /// ReNAS CNN with the pairwise logistic ranking loss (the paper's predictor).
    case renas
    /// ReNAS CNN regressing min-max-scaled accuracy with MSE (the paper's baseline).
    case renasMSE = "renas-mse"
    /// Closed-form ridge regression, α by 5-fold CV on the training rows.
    case ridge
    /// RBF kernel ridge regression, (α, bandwidth) by CV on the training rows.
    case kernelRidge = "kernel-ridge"
    /// Equal-weight `RankEnsemble` of the pairwise ReNAS CNN on the tensor and
    /// kernel ridge on the flat encoding (the library's best NB101 combination);
    /// its features are the two encodings concatenated.
    case ensemble
    /// `RankEnsemble.wide`: three pairwise ReNAS CNNs (seeds seed, seed+1, seed+2) on the
    /// tensor, kernel ridge on flat and ridge on flat+path; features are the three
    /// encodings concatenated. The best NB101 combination measured (docs/benchmarks.md).
    case ensembleWide = "ensemble-wide"
    /// `RankEnsemble.statistics` (NB101 only): one pairwise ReNAS CNN on the tensor, kernel
    /// ridge on flat + cell statistics and ridge on flat + statistics + path, both fitted on
    /// label ranks; features renas+flat+stats+path concatenated (docs/benchmarks.md).
    case ensembleStats = "ensemble-stats"

    /// Whether the variant contains the ReNAS CNN, which needs the ReNAS tensor encoding.
    var isCNN: Bool { self == .renas || self == .renasMSE || isEnsemble }

    /// Whether the variant is a `RankEnsemble` (member state not saved).
    var isEnsemble: Bool { self == .ensemble || self == .ensembleWide || self == .ensembleStats }
}

/// The cell encodings a predictor can be trained on.
public enum EncodingChoice: String, CaseIterable, Codable, Sendable {
    /// The ReNAS channel tensor (19×7×7 for NB101, 11×4×4 for NB201).
    case renas
    /// One-hot ops plus adjacency.
    case flat
    /// Path encoding (one feature per input→output op path).
    case path
}

/// Training knobs shared by `predictor.train` and `predictor.sweep`.
struct PredictorSettings: Hashable, Sendable, Codable {
    var variant: PredictorVariant
    var encoding: EncodingChoice
    var epochs: Int
    var batchSize: Int
    var learningRate: Double

    enum CodingKeys: String, CodingKey {
        case variant, encoding, epochs, batchSize = "batch_size", learningRate = "learning_rate"
    }

    /// The parameter schemas these settings come from.
    static var params: [ParamSpec] {
        [
            ParamSpec("encoding", .string, default: "renas", allowed: EncodingChoice.allCases.map { .string($0.rawValue) },
                      doc: "cell encoding: renas (tensor), flat or path; the CNN variants need renas"),
            ParamSpec("epochs", .int, default: 200, range: 1...100_000, doc: "ReNAS CNN training epochs (ignored by ridge variants)"),
            ParamSpec("batch_size", .int, default: 64, range: 2...100_000, doc: "ReNAS CNN mini-batch size"),
            ParamSpec("learning_rate", .double, default: 0.001, range: 1e-8...10, doc: "ReNAS CNN Adam learning rate"),
        ]
    }

    /// Reads the settings of `context` for `variant`; rejects a CNN variant on a non-tensor encoding.
    init(_ context: OpContext, variant: PredictorVariant, op: String) throws {
        let encodingName = try context.string("encoding", op: op)
        guard let encoding = EncodingChoice(rawValue: encodingName) else {
            throw PipelineError.opFailed(op: op, reason: "unknown encoding '\(encodingName)'")
        }
        guard !variant.isCNN || encoding == .renas else {
            throw PipelineError.opFailed(op: op, reason: "variant \(variant.rawValue) needs encoding renas, not \(encodingName)")
        }
        self.variant = variant
        self.encoding = encoding
        epochs = try context.int("epochs", op: op)
        batchSize = try context.int("batch_size", op: op)
        learningRate = try context.double("learning_rate", op: op)
    }

    /// An unfitted predictor for cells of `space`; `onEpoch` observes the CNN's
    /// training epochs (done, total) for progress reports.
    func makePredictor(space: String, onEpoch: (@Sendable (Int, Int) -> Void)? = nil) -> any RankPredictor {
        let options = ReNASPredictor.Options(epochs: epochs, batchSize: batchSize, learningRate: Float(learningRate))
        func cnn(_ loss: ReNASPredictor.Loss) -> ReNASPredictor {
            var cnn = space == "nb101" ? ReNASPredictor.nb101(loss: loss, options: options)
                : ReNASPredictor.nb201(loss: loss, options: options)
            cnn.onEpoch = onEpoch
            return cnn
        }
        switch variant {
        case .renas: return cnn(.pairwise)
        case .renasMSE: return cnn(.mse)
        case .ridge: return RidgeRegression()
        case .kernelRidge: return KernelRidge()
        case .ensemble:
            let cnn = cnn(.pairwise)
            let tensor = space == "nb101" ? NB101ReNASEncoding().featureCount : NB201ReNASEncoding().featureCount
            let flat = space == "nb101" ? NB101FlatEncoding().featureCount : NB201FlatEncoding().featureCount
            return RankEnsemble([.init(cnn, columns: 0..<tensor), .init(KernelRidge(), columns: tensor..<(tensor + flat))])
        case .ensembleWide:
            let cnn = space == "nb101" ? ReNASPredictor.nb101(loss: .pairwise, options: options)
                : ReNASPredictor.nb201(loss: .pairwise, options: options)
            let widths = space == "nb101"
                ? (NB101ReNASEncoding().featureCount, NB101FlatEncoding().featureCount, NB101PathEncoding().featureCount)
                : (NB201ReNASEncoding().featureCount, NB201FlatEncoding().featureCount, NB201PathEncoding().featureCount)
            return RankEnsemble.wide(cnn: cnn, tensorWidth: widths.0, flatWidth: widths.1, pathWidth: widths.2)
        case .ensembleStats:
            // NB101 only: `features` rejects other tables before a predictor is fitted.
            return RankEnsemble.statistics(
                cnn: ReNASPredictor.nb101(loss: .pairwise, options: options), tensorWidth: NB101ReNASEncoding().featureCount,
                flatWidth: NB101FlatEncoding().featureCount, statisticsWidth: NB101CellStatistics().featureCount,
                pathWidth: NB101PathEncoding().featureCount)
        }
    }

    /// Features of `rows` under the chosen encoding, and the encoding's name.
    func features(_ rows: [BenchmarkRow], op: String) throws -> (matrix: FeatureMatrix, name: String) {
        if variant == .ensembleStats {
            guard let cells = rows.nb101Cells else {
                throw PipelineError.opFailed(op: op, reason: "variant ensemble-stats needs an NB101 table (cell statistics exist for NB101 only)")
            }
            let parts = [encode(cells, NB101ReNASEncoding()), encode(cells, NB101FlatEncoding()),
                         encode(cells, NB101CellStatistics()), encode(cells, NB101PathEncoding())]
            var joined = parts[0]
            for next in parts.dropFirst() {
                joined = (try nasFailure(op: op) { try joined.matrix.concatenating(columnsOf: next.matrix) },
                          joined.name + "+" + next.name)
            }
            return joined
        }
        if variant == .ensemble || variant == .ensembleWide {
            let parts: [EncodingChoice] = variant == .ensemble ? [.renas, .flat] : [.renas, .flat, .path]
            var joined = try PredictorSettings(copying: self, encoding: parts[0]).features(rows, op: op)
            for part in parts.dropFirst() {
                let next = try PredictorSettings(copying: self, encoding: part).features(rows, op: op)
                joined = (try nasFailure(op: op) { try joined.matrix.concatenating(columnsOf: next.matrix) },
                          joined.name + "+" + next.name)
            }
            return joined
        }
        if let cells = rows.nb101Cells {
            switch encoding {
            case .renas: return encode(cells, NB101ReNASEncoding())
            case .flat: return encode(cells, NB101FlatEncoding())
            case .path: return encode(cells, NB101PathEncoding())
            }
        }
        if let cells = rows.nb201Cells {
            switch encoding {
            case .renas: return encode(cells, NB201ReNASEncoding())
            case .flat: return encode(cells, NB201FlatEncoding())
            case .path: return encode(cells, NB201PathEncoding())
            }
        }
        throw PipelineError.opFailed(op: op, reason: "table mixes NB101 and NB201 cells")
    }

    /// `settings` with a single (non-ensemble) encoding, to build the ensemble's parts.
    private init(copying settings: PredictorSettings, encoding: EncodingChoice) {
        self = settings
        self.variant = .ridge
        self.encoding = encoding
    }

    private func encode<E: CellEncoding>(_ cells: [E.Cell], _ encoding: E) -> (matrix: FeatureMatrix, name: String) {
        (encoding.encode(cells), encoding.name)
    }
}

extension PredictorVariant {
    /// The `variant` parameter schema.
    static var param: ParamSpec {
        ParamSpec("variant", .string, default: "renas", allowed: allCases.map { .string($0.rawValue) },
                  doc: "renas (pairwise CNN), renas-mse (MSE CNN), ridge, kernel-ridge, ensemble (renas + kernel ridge on flat), "
                      + "ensemble-wide (3 renas seeds + kernel ridge on flat + ridge on flat+path), "
                      + "ensemble-stats (NB101: renas + rank-label kernel ridge on flat+stats + rank-label ridge on flat+stats+path)")
    }

    /// Parses `name`, failing the stage with the accepted names.
    static func parse(_ name: String, op: String) throws -> PredictorVariant {
        guard let variant = PredictorVariant(rawValue: name) else {
            throw PipelineError.opFailed(op: op, reason: "unknown variant '\(name)' (one of "
                + allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        return variant
    }
}

/// Runs `body`, turning NAS errors into a one-line stage failure.
func nasFailure<T>(op: String, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as NASError {
        throw PipelineError.opFailed(op: op, reason: error.description)
    }
}

extension PredictorSettings {
    /// Which feature matrix the settings need: the encoding, or both for the ensemble.
    var featureKey: String {
        switch variant {
        case .ensemble: return "renas+flat"
        case .ensembleWide: return "renas+flat+path"
        case .ensembleStats: return "renas+flat+stats+path"
        default: return encoding.rawValue
        }
    }
}

extension PredictorSettings {
    /// Variants a search loop can refit every iteration (the ensembles are left out: slow, and
    /// their members' state is not saved).
    static let searchVariants: [PredictorVariant] = [.ridge, .kernelRidge, .renas, .renasMSE]

    /// The predictor parameters of the search ops (`search.predictor`, `search.trained`): the
    /// variant, its training labels, and `params` with the cheap `flat` encoding as default.
    static var searchParams: [ParamSpec] {
        [
            ParamSpec("predictor", .string, default: "kernel-ridge", allowed: searchVariants.map { .string($0.rawValue) },
                      doc: "predictor refitted every iteration: ridge, kernel-ridge, renas, renas-mse"),
            ParamSpec("labels", .string, default: "rank", allowed: LabelTransform.allCases.map { .string($0.rawValue) },
                      doc: "predictor training labels: identity (validation accuracy) or rank (scaled ranks)"),
            ParamSpec("encoding", .string, default: "flat", allowed: EncodingChoice.allCases.map { .string($0.rawValue) },
                      doc: "cell encoding the predictor reads: path, flat or renas (the CNN predictors need renas)"),
        ] + params.filter { $0.name != "encoding" }
    }
}
