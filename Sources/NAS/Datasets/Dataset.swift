import Numerics

/// A labelled image classification set held in memory.
///
/// `images` is `[N, H, W, C]` (NHWC, the layout the Numerics kernels use) with pixels as Float
/// (loaders scale bytes to [0, 1]); `labels[i]` is in `0..<classes` and belongs to image i. A value
/// type, so preparing a subset or a normalised copy never disturbs the original.
public struct Dataset: Sendable, Equatable {
    /// Images `[N, H, W, C]`.
    public var images: Tensor
    /// One label per image, in `0..<classes`.
    public var labels: [Int]
    /// Number of classes.
    public var classes: Int

    /// Wraps images and labels; throws when counts disagree or a label is out of range.
    public init(images: Tensor, labels: [Int], classes: Int) throws {
        guard images.rank == 4 else {
            throw NASError.invalidArgument(name: "images", reason: "shape \(images.shape) is not [N, H, W, C]")
        }
        guard images.shape[0] == labels.count else {
            throw NASError.invalidArgument(name: "labels", reason: "\(labels.count) labels for \(images.shape[0]) images")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
            throw NASError.invalidArgument(name: "labels", reason: "label \(labels[bad]) of example \(bad) outside 0..<\(classes)")
        }
        self.images = images
        self.labels = labels
        self.classes = classes
    }

    /// Number of examples.
    public var count: Int { labels.count }
    /// Image height.
    public var height: Int { images.shape[1] }
    /// Image width.
    public var width: Int { images.shape[2] }
    /// Image channels.
    public var channels: Int { images.shape[3] }
    /// Floats per image (H * W * C).
    public var imageSize: Int { height * width * channels }

    /// The examples at `indices`, in that order (a batch, a subset).
    /// Indices must lie in `0..<count` (a programmer error otherwise, checked before any copy).
    public func selecting(_ indices: [Int]) -> Dataset {
        precondition(indices.allSatisfy { $0 >= 0 && $0 < count }, "Dataset.selecting: index outside 0..<\(count)")
        let size = imageSize
        var storage = [Float](repeating: 0, count: indices.count * size)
        images.withUnsafePointer { src in
            storage.withUnsafeMutableBufferPointer { dst in
                for (row, index) in indices.enumerated() {
                    (dst.baseAddress! + row * size).update(from: src + index * size, count: size)
                }
            }
        }
        // Indices come from this dataset, so labels stay in range and counts agree.
        return try! Dataset(images: Tensor(shape: [indices.count, height, width, channels], storage: storage),
                            labels: indices.map { labels[$0] }, classes: classes)
    }

    /// Examples per class.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classes)
        for label in labels { counts[label] += 1 }
        return counts
    }
}
