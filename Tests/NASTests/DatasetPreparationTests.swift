import XCTest
@testable import NAS
import Numerics

final class DatasetPreparationTests: XCTestCase {
    /// 100 examples with class counts 50 / 30 / 20; image i is filled with the value i.
    static func unbalanced() -> Dataset {
        let labels = (0..<100).map { $0 < 50 ? 0 : $0 < 80 ? 1 : 2 }
        let storage = (0..<100).flatMap { i in [Float](repeating: Float(i), count: 4) }
        return try! Dataset(images: Tensor(shape: [100, 2, 2, 1], storage: storage), labels: labels, classes: 3)
    }

    func testBalancedSubsetIsBalancedSeededAndKeepsPairs() throws {
        let data = Self.unbalanced()
        var rng = SplitMix64(seed: 1)
        let subset = try data.balancedSubset(30, generator: &rng)
        XCTAssertEqual(subset.classCounts, [10, 10, 10])
        for k in 0..<subset.count {  // image value = original index, whose label must match
            XCTAssertEqual(subset.labels[k], data.labels[Int(subset.images.storage[4 * k])])
        }
        var same = SplitMix64(seed: 1), other = SplitMix64(seed: 2)
        XCTAssertEqual(try data.balancedSubset(30, generator: &same), subset)
        XCTAssertNotEqual(try data.balancedSubset(30, generator: &other), subset)
        var more = SplitMix64(seed: 1)
        XCTAssertEqual(try data.balancedSubset(95, generator: &more).classCounts, [45, 30, 20])  // class 2 runs out
        XCTAssertThrowsError(try data.balancedSubset(101, generator: &more))
    }

    func testAreaDownsamplingPinned() throws {
        // One 4x4 image with two channels: channel 0 = 0…15 row-major, channel 1 = 10 * that.
        let storage = (0..<16).flatMap { [Float($0), Float(10 * $0)] }
        let data = try Dataset(images: Tensor(shape: [1, 4, 4, 2], storage: storage), labels: [0], classes: 2)
        let small = try data.areaDownsampled(to: 2)
        XCTAssertEqual(small.images.shape, [1, 2, 2, 2])
        XCTAssertEqual(small.images.storage, [2.5, 25, 4.5, 45, 10.5, 105, 12.5, 125])
        XCTAssertThrowsError(try data.areaDownsampled(to: 3))
    }

    func testNormalisationUsesTrainingStatistics() throws {
        let train = ModelFixtures.syntheticDataset(count: 30, seed: 3)
        let test = ModelFixtures.syntheticDataset(count: 9, seed: 4)
        let (tr, te) = try DatasetPreparation(resolution: 4).apply(train: train, test: test)
        let (mean, std) = tr.channelStatistics()
        XCTAssertEqual(mean[0], 0, accuracy: 1e-5)
        XCTAssertEqual(std[0], 1, accuracy: 1e-4)
        // The test set is shifted with the training statistics, not its own.
        let raw = try train.areaDownsampled(to: 4).channelStatistics()
        let expected = (try test.areaDownsampled(to: 4).images.storage[0] - raw.mean[0]) / raw.standardDeviation[0]
        XCTAssertEqual(te.images.storage[0], expected, accuracy: 1e-5)
        XCTAssertEqual(te.images.shape, [9, 4, 4, 1])
    }

    func testAugmentationCropsAndFlipsWithinTheImage() {
        var image = Tensor(shape: [1, 2, 2, 1], storage: [1, 2, 3, 4])
        var rng = SplitMix64(seed: 0)
        Augmentation().apply(to: &image, generator: &rng)
        XCTAssertEqual(image.storage, [1, 2, 3, 4])  // identity draws nothing
        XCTAssertEqual(rng, SplitMix64(seed: 0))
        var flips = 0
        for seed in 0..<20 {
            var x = Tensor(shape: [1, 2, 2, 1], storage: [1, 2, 3, 4])
            var g = SplitMix64(seed: UInt64(seed))
            Augmentation(horizontalFlip: true).apply(to: &x, generator: &g)
            XCTAssertTrue(x.storage == [1, 2, 3, 4] || x.storage == [2, 1, 4, 3])
            if x.storage == [2, 1, 4, 3] { flips += 1 }
        }
        XCTAssertTrue(flips > 0 && flips < 20)
        var y = Tensor(shape: [1, 3, 3, 1], storage: (1...9).map(Float.init))
        var g = SplitMix64(seed: 3)
        Augmentation(cropPadding: 1).apply(to: &y, generator: &g)
        // Every value is either padding or an original pixel, and the sum can only drop.
        XCTAssertTrue(y.storage.allSatisfy { $0 == 0 || (1...9).contains(Int($0)) })
    }
}
