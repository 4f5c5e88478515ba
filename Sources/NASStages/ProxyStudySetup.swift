import Foundation
import NAS
import Numerics
import Pipeline

/// Data preparation, network shape and training recipe shared by every
/// training of a data-proxy study. `population.train` takes them as params and
/// writes them to `setup.json`; `proxy.validate` reads them back from its
/// `heldout` input, so proxies train exactly like the full-data runs.
///
/// The dataset directory is a path parameter (the 30 MB of files are too
/// large for the repository); their content enters cache keys through the
/// optional `data` input, a `DataManifest` of the files' SHA-256 digests,
/// which `loadData` checks the files against.
public struct ProxyStudySetup: Codable, Sendable, Hashable {
    /// Directory with the four IDX files.
    public var dataDirectory: String
    /// Training examples (class-balanced subset; 0 = all 60,000).
    public var trainSize: Int
    /// Test examples (class-balanced subset; 0 = all 10,000).
    public var testSize: Int
    /// Image side after area downsampling (28, 14 or 7).
    public var resolution: Int
    /// Network width C and cells per stage N.
    public var channels: Int, cellsPerStage: Int
    /// Epochs, batch size and peak learning rate of the recipe (the rest is NAS-Bench-201's).
    public var epochs: Int, batchSize: Int, learningRate: Double
    /// Epochs of linear learning-rate warm-up before the cosine decay (0 = none, NAS-Bench-201's
    /// recipe). A param because deeper cells (N = 5) train unstably in 4 epochs from a cold start.
    public var warmupEpochs: Int
    /// Seed of the subset draws.
    public var dataSeed: Int
    /// Expected SHA-256 of the data files (file name → `sha256:…`), from the
    /// `data` input; empty when none was given (then nothing is checked).
    public var dataDigests: [String: String]

    /// The parameters `population.train` declares for the setup.
    static let params: [ParamSpec] = [
        ParamSpec("data_dir", .string, default: .string(IDXLoader.defaultFashionMNISTDirectory),
                  doc: "directory with the Fashion-MNIST IDX files"),
        ParamSpec("train_size", .int, default: 10_000, range: 0...60_000, doc: "training examples, class-balanced (0 = all)"),
        ParamSpec("test_size", .int, default: 2_000, range: 0...10_000, doc: "test examples, class-balanced (0 = all)"),
        ParamSpec("resolution", .int, default: 14, range: 7...28, doc: "image side (28, 14 or 7)"),
        ParamSpec("channels", .int, default: 8, range: 1...256, doc: "network width C"),
        ParamSpec("cells", .int, default: 1, range: 1...10, doc: "cells per stage N"),
        ParamSpec("epochs", .int, default: 4, range: 1...500, doc: "training epochs"),
        ParamSpec("batch", .int, default: 128, range: 1...4096, doc: "minibatch size"),
        ParamSpec("learning_rate", .double, default: 0.1, doc: "peak learning rate (cosine decay)"),
        ParamSpec("warmup_epochs", .int, default: 0, range: 0...499, doc: "epochs of linear warm-up (must be < epochs)"),
        ParamSpec("data_seed", .int, default: 0, range: 0...1_000_000, doc: "seed of the subset draws"),
    ]

    /// Reads the setup params of `op` from `context`.
    init(_ context: OpContext, op: String) throws {
        dataDirectory = try context.string("data_dir", op: op)
        trainSize = try context.int("train_size", op: op)
        testSize = try context.int("test_size", op: op)
        resolution = try context.int("resolution", op: op)
        channels = try context.int("channels", op: op)
        cellsPerStage = try context.int("cells", op: op)
        epochs = try context.int("epochs", op: op)
        batchSize = try context.int("batch", op: op)
        learningRate = try context.double("learning_rate", op: op)
        warmupEpochs = try context.int("warmup_epochs", op: op)
        guard warmupEpochs < epochs else {
            throw PipelineError.opFailed(op: op, reason: "warmup_epochs \(warmupEpochs) must be less than epochs \(epochs)")
        }
        dataSeed = try context.int("data_seed", op: op)
        dataDigests = try context.inputs["data"].map { try DataManifest(contentsOf: $0, op: op).digests } ?? [:]
    }

    /// The canonical one-line form that enters item-cache keys. The warm-up appears only when
    /// set: runs without one train exactly as before it existed (session 6), so their cached
    /// items stay valid.
    var canonical: String {
        "data=\(dataDirectory) train=\(trainSize) test=\(testSize) res=\(resolution) C=\(channels) N=\(cellsPerStage) "
            + "epochs=\(epochs) batch=\(batchSize) lr=\(learningRate)" + (warmupEpochs > 0 ? " warmup=\(warmupEpochs)" : "")
            + " data_seed=\(dataSeed)"
            + dataDigests.keys.sorted().map { " \($0)=\(dataDigests[$0]!)" }.joined()
    }

    /// The training recipe: NAS-Bench-201's, with this epochs, batch and rate;
    /// test accuracy only after the last epoch (nothing here reads the others).
    var recipe: TrainingRecipe {
        TrainingRecipe(epochs: epochs, batchSize: batchSize, learningRate: Float(learningRate), warmupEpochs: warmupEpochs,
                       evaluateEveryEpoch: false)
    }

    /// The network shape.
    var modelOptions: NB201ModelOptions {
        NB201ModelOptions(channels: channels, cellsPerStage: cellsPerStage, inputChannels: 1, inputSize: resolution, classes: 10)
    }

    /// Loads and prepares the data (subsets, downsampling, normalisation).
    /// The files are first checked against `dataDigests` (one SHA-256 pass
    /// over ~30 MB), so a result can never come from other data than the key says.
    func loadData(op: String) throws -> (train: Dataset, test: Dataset) {
        if !dataDigests.isEmpty { try DataManifest(digests: dataDigests).verify(directory: dataDirectory, op: op) }
        return try nasFailure(op: op) {
            let raw = try IDXLoader.loadMNISTStyle(directory: dataDirectory)
            let preparation = DatasetPreparation(trainSubset: trainSize == 0 ? nil : trainSize,
                                                 testSubset: testSize == 0 ? nil : testSize,
                                                 resolution: resolution == raw.train.height ? nil : resolution,
                                                 normalize: true, seed: UInt64(dataSeed))
            return try preparation.apply(train: raw.train, test: raw.test)
        }
    }
}

/// Labels of the prepared data, written beside the runs so scoring and
/// selection need not reload the images.
struct ProxyLabels: Codable, Sendable {
    /// Training labels, in training-index order.
    var train: [Int]
    /// Test labels, in test-index order.
    var test: [Int]
    /// Number of classes.
    var classes: Int
}

/// JSON helpers for the proxy artifacts (sorted keys so outputs are byte-stable).
enum ProxyJSON {
    static func write<T: Encodable>(_ value: T, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(value).write(to: url)
    }

    static func read<T: Decodable>(_ type: T.Type, from url: URL, op: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(contentsOf: url))
        } catch {
            throw PipelineError.opFailed(op: op, reason: "cannot read \(url.lastPathComponent): \(error)")
        }
    }
}
