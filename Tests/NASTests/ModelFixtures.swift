import Foundation
@testable import NAS
import Numerics

/// Small cells, synthetic data and temp directories shared by the model, dataset and trainer tests.
enum ModelFixtures {
    static let allConv = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|"
    static let mixed = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|skip_connect~2|"
    static let poolSkip = "|avg_pool_3x3~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|skip_connect~1|none~2|"
    /// Uses all five ops, including a `none` edge.
    static let everyOp = "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|"

    static func cell(_ text: String) -> NB201Cell { try! NB201Cell(string: text) }

    /// Tiny network options: 8x8 one-channel inputs, C = 4, one cell per stage, 3 classes.
    static let tinyOptions = NB201ModelOptions(channels: 4, cellsPerStage: 1, inputChannels: 1, inputSize: 8, classes: 3)

    /// `count` 8x8 one-channel images whose class (0, 1, 2) is the brightest third of the image
    /// (top rows, middle rows, bottom rows) plus noise: learnable by a tiny network.
    static func syntheticDataset(count: Int, side: Int = 8, seed: UInt64) -> Dataset {
        var rng = SplitMix64(seed: seed)
        var storage: [Float] = []
        var labels: [Int] = []
        for i in 0..<count {
            let label = i % 3
            for y in 0..<side {
                for _ in 0..<side {
                    let band = y * 3 / side
                    storage.append((band == label ? 1 : 0) + 0.3 * rng.nextGaussian())
                }
            }
            labels.append(label)
        }
        return try! Dataset(images: Tensor(shape: [count, side, side, 1], storage: storage), labels: labels, classes: 3)
    }

    /// A fresh empty temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nastests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
