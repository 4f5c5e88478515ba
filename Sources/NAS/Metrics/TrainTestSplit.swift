import Numerics

/// A seeded split of `count` rows into a training set of `trainSize` rows and
/// a test set of all remaining rows.
public struct TrainTestSplit: Hashable, Sendable {
    /// Number of rows split.
    public let count: Int
    /// Training row indices, ascending.
    public let train: [Int]
    /// Test row indices (every row not in `train`), ascending.
    public let test: [Int]

    /// Shuffles `0..<count` with `SplitMix64(seed:)` and takes the first
    /// `trainSize` indices as the training set. Both lists are sorted so that a
    /// split depends only on (count, trainSize, seed).
    public init(count: Int, trainSize: Int, seed: UInt64) throws {
        guard count >= 0 else {
            throw NASError.invalidArgument(name: "count", reason: "\(count) is negative")
        }
        guard (0...count).contains(trainSize) else {
            throw NASError.invalidArgument(name: "trainSize", reason: "\(trainSize) is outside 0...\(count)")
        }
        self.count = count
        var order = Array(0..<count)
        var rng = SplitMix64(seed: seed)
        rng.shuffle(&order)
        train = order[0..<trainSize].sorted()
        test = order[trainSize...].sorted()
    }

    /// The training and test items of `items`, which must hold `count` items.
    public func apply<T>(to items: [T]) throws -> (train: [T], test: [T]) {
        guard items.count == count else {
            throw NASError.invalidArgument(name: "items", reason: "\(items.count) items for a split of \(count) rows")
        }
        return (train.map { items[$0] }, test.map { items[$0] })
    }
}
