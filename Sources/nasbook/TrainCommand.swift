import ArgumentParser
import Foundation
import NAS
import Numerics

/// `nasbook train`: trains one NAS-Bench-201 (or -101) architecture on an image dataset and
/// prints its test accuracy, throughput and time.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one architecture on an image dataset (CPU) and report accuracy and images/s.",
        discussion: """
        Datasets: fashion-mnist / mnist (IDX files, plain or .gz, in --data-dir), cifar10 (binary \
        batches in --data-dir), synthetic (random images for throughput: --subset train images of \
        --image-size/--image-channels). The NB101 cell is 'ADJACENCY-DIGITS OPS' as in the tables.
        """
    )

    @Option(help: "Search space: nb201 or nb101.") var space = "nb201"
    @Option(help: "Cell string (NB201 '|op~0|+|op~0|op~1|+|op~0|op~1|op~2|').") var cell: String
    @Option(help: "fashion-mnist, mnist, cifar10 or synthetic.") var dataset = "fashion-mnist"
    @Option(help: "Directory of the dataset files.") var dataDir: String?
    @Option(help: "Class-balanced training subset size (synthetic: training set size, default 2048).") var subset: Int?
    @Option(help: "Class-balanced test subset size.") var testSubset: Int?
    @Option(help: "Area-downsample images to R x R (R must divide the side).") var resolution: Int?
    @Option(help: "Channels of the first stage (NB101: stem channels).") var channels = 16
    @Option(help: "Cells per stage (NB101: per stack).") var cellsPerStage = 5
    @Option(help: "Training epochs.") var epochs = 5
    @Option(help: "Minibatch size.") var batch = 256
    @Option(help: "Peak learning rate (cosine decay to 0).") var lr: Float = 0.1
    @Option(help: "Random-crop padding for augmentation (0 = off).") var cropPadding = 0
    @Flag(help: "Random horizontal flips (not advisable for Fashion-MNIST).") var flip = false
    @Option(help: "Seed of initialisation, subsets and shuffling.") var seed: UInt64 = 0
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Option(help: "Synthetic images: side.") var imageSize = 32
    @Option(help: "Synthetic images: channels.") var imageChannels = 3
    @Flag(help: "Print the full training record (JSON) instead of the summary.") var json = false

    func run() throws {
        try reportingErrors {
            let data = try loadData()
            let shape = data.train.images.shape
            let model = try makeModel(side: shape[1], inputChannels: shape[3], classes: data.train.classes)
            let recipe = TrainingRecipe(epochs: epochs, batchSize: batch, learningRate: lr,
                                        augmentation: Augmentation(cropPadding: cropPadding, horizontalFlip: flip))
            let context = ComputeContext(threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
            let bar = ProgressReporter(enabled: !json)
            let record = try train(model: model, data: data, recipe: recipe, seed: seed, context: context) { bar.update($0) }
            bar.finish()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(record), as: UTF8.self))
                return
            }
            for (e, epoch) in record.epochs.enumerated() {
                let test = epoch.testAccuracy.map { String(format: "%.2f %%", 100 * $0) } ?? "-"
                print(String(format: "epoch %d: train loss %.4f, train acc %.2f %%, test acc %@, %.1f s, %.0f img/s",
                             e + 1, epoch.trainLoss, 100 * epoch.trainAccuracy, test, epoch.trainSeconds,
                             Double(data.train.count) / max(epoch.trainSeconds, 1e-9)))
            }
            let perEpoch = record.epochs.dropFirst(record.epochs.count > 1 ? 1 : 0)
                .map { Double(data.train.count) / max($0.trainSeconds, 1e-9) }.sorted()
            let median = perEpoch[perEpoch.count / 2]
            print(String(format: "test accuracy %.2f %% | %.0f img/s (median after first epoch: %.0f) | %.1f s training, %d threads, %d parameters",
                         100 * record.testAccuracy, record.imagesPerSecond, median, record.trainSeconds,
                         context.threads, record.parameterCount))
            if let macs = forwardMACs(side: shape[1], inputChannels: shape[3], classes: data.train.classes) {
                // A training step costs ~3 forward passes (forward, input and weight gradients), 2 FLOPs per MAC.
                print(String(format: "%.1f M forward MACs/image, ~%.1f GFLOP/s achieved (6 x MACs x median img/s)",
                             Double(macs) / 1e6, 6 * Double(macs) * median / 1e9))
            }
        }
    }

    /// The train/test pair after subsets, downsampling and normalisation.
    func loadData() throws -> (train: Dataset, test: Dataset) {
        let raw: (train: Dataset, test: Dataset)
        var trainSubset = subset
        switch dataset {
        case "fashion-mnist", "mnist":
            raw = try IDXLoader.loadMNISTStyle(directory: dataDir ?? IDXLoader.defaultFashionMNISTDirectory)
        case "cifar10":
            guard let dataDir else { throw NASError.invalidArgument(name: "data-dir", reason: "--dataset cifar10 needs --data-dir") }
            raw = try CIFAR10Loader.load(directory: dataDir)
        case "synthetic":
            raw = try syntheticPair(train: subset ?? 2048, test: testSubset ?? 256)
            trainSubset = nil
        default:
            throw NASError.invalidArgument(name: "dataset", reason: "unknown dataset '\(dataset)' (fashion-mnist, mnist, cifar10, synthetic)")
        }
        let preparation = DatasetPreparation(trainSubset: trainSubset, testSubset: dataset == "synthetic" ? nil : testSubset,
                                             resolution: resolution, seed: seed)
        return try preparation.apply(train: raw.train, test: raw.test)
    }

    /// Uniform random images with random labels (10 classes), for throughput measurements only.
    func syntheticPair(train: Int, test: Int) throws -> (train: Dataset, test: Dataset) {
        var rng = SplitMix64(seed: seed)
        func make(_ n: Int) throws -> Dataset {
            let images = Tensor.randomUniform(shape: [n, imageSize, imageSize, imageChannels], generator: &rng)
            return try Dataset(images: images, labels: (0..<n).map { _ in Int(rng.next() % 10) }, classes: 10)
        }
        return (try make(train), try make(test))
    }

    /// Convolution and linear multiply-accumulates of one forward pass (search-space cost model).
    func forwardMACs(side: Int, inputChannels: Int, classes: Int) -> Int? {
        guard space == "nb201", let parsed = try? NB201Cell(string: cell) else { return nil }
        return NB201Network(channels: channels, cellsPerStage: cellsPerStage, classes: classes, inputSize: side,
                            inputChannels: inputChannels).flops(parsed)
    }

    func makeModel(side: Int, inputChannels: Int, classes: Int) throws -> any Layer {
        switch space {
        case "nb201":
            let options = NB201ModelOptions(channels: channels, cellsPerStage: cellsPerStage, inputChannels: inputChannels,
                                            inputSize: side, classes: classes)
            return try NB201Model(cell: NB201Cell(string: cell), options: options, seed: seed)
        case "nb101":
            let parts = cell.split(separator: " ")
            guard parts.count == 2 else { throw NASError.invalidArgument(name: "cell", reason: "an NB101 cell is 'ADJACENCY-DIGITS OPS'") }
            let options = NB101ModelOptions(stemChannels: channels, stacks: 3, cellsPerStack: cellsPerStage,
                                            inputChannels: inputChannels, inputSize: side, classes: classes)
            return try NB101Model(cell: NB101Cell(adjacencyDigits: String(parts[0]), opsField: String(parts[1])),
                                  options: options, seed: seed)
        default:
            throw NASError.invalidArgument(name: "space", reason: "unknown space '\(space)' (nb201, nb101)")
        }
    }
}

/// A one-line progress bar on a terminal (stderr), or one plain line per epoch otherwise.
final class ProgressReporter {
    private let enabled: Bool
    private let terminal = isatty(STDERR_FILENO) == 1
    private var lastDrawn = Date.distantPast

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ p: TrainingProgress) {
        guard enabled else { return }
        if terminal {
            guard Date().timeIntervalSince(lastDrawn) > 0.1 || p.fraction >= 1 else { return }
            lastDrawn = Date()
            let width = 30, filled = Int(p.fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data(String(format: "\r[%@] %5.1f %% epoch %d batch %d/%d loss %.4f",
                                                       bar, 100 * p.fraction, p.epoch + 1, p.batch + 1, p.batchesPerEpoch,
                                                       p.batchLoss).utf8))
        } else if p.batch + 1 == p.batchesPerEpoch {
            FileHandle.standardError.write(Data(String(format: "epoch %d done (%.0f %%), last batch loss %.4f\n",
                                                       p.epoch + 1, 100 * p.fraction, p.batchLoss).utf8))
        }
    }

    func finish() {
        if enabled && terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
