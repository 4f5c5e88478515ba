import Numerics

/// How a loaded train/test pair is turned into what a training run sees.
///
/// Order of application: class-balanced subsets (training and, separately, test), area
/// downsampling to `resolution`, then per-channel normalisation with mean and standard deviation
/// computed on the (prepared) training set and applied to both. Shuffling and augmentation
/// happen per epoch in the trainer (`TrainingRecipe`), from the training seed.
public struct DatasetPreparation: Sendable, Hashable, Codable {
    /// Training examples to keep (class-balanced, seeded); nil keeps all.
    public var trainSubset: Int?
    /// Test examples to keep (class-balanced, seeded); nil keeps all.
    public var testSubset: Int?
    /// Target side; must divide the image side (28 → 14 or 7, 32 → 16 or 8); nil keeps it.
    public var resolution: Int?
    /// Standardise each channel with the training set's mean and standard deviation.
    public var normalize: Bool
    /// Seed of the subset draws.
    public var seed: UInt64

    /// Defaults: everything, native resolution, normalised.
    public init(trainSubset: Int? = nil, testSubset: Int? = nil, resolution: Int? = nil, normalize: Bool = true, seed: UInt64 = 0) {
        self.trainSubset = trainSubset
        self.testSubset = testSubset
        self.resolution = resolution
        self.normalize = normalize
        self.seed = seed
    }

    /// Applies the preparation; throws for impossible sizes.
    public func apply(train: Dataset, test: Dataset) throws -> (train: Dataset, test: Dataset) {
        var rng = SplitMix64(seed: seed)
        var (tr, te) = (train, test)
        if let n = trainSubset { tr = try tr.balancedSubset(n, generator: &rng) }
        if let n = testSubset { te = try te.balancedSubset(n, generator: &rng) }
        if let r = resolution {
            tr = try tr.areaDownsampled(to: r)
            te = try te.areaDownsampled(to: r)
        }
        if normalize {
            let (mean, std) = tr.channelStatistics()
            tr = tr.normalized(mean: mean, standardDeviation: std)
            te = te.normalized(mean: mean, standardDeviation: std)
        }
        return (tr, te)
    }
}

extension Dataset {
    /// `n` examples drawn class by class in round-robin (class 0, 1, …, each from its own
    /// seeded shuffle), so class counts differ by at most one unless a class runs out; the
    /// result keeps dataset order. Throws when `n` is not in 1...count.
    public func balancedSubset(_ n: Int, generator: inout SplitMix64) throws -> Dataset {
        guard n >= 1, n <= count else {
            throw NASError.invalidArgument(name: "subset", reason: "\(n) examples requested from a set of \(count)")
        }
        var byClass = [[Int]](repeating: [], count: classes)
        for (i, label) in labels.enumerated() { byClass[label].append(i) }
        for c in 0..<classes { byClass[c].shuffle(using: &generator) }
        var chosen: [Int] = []
        var cursor = [Int](repeating: 0, count: classes)
        while chosen.count < n {
            for c in 0..<classes where chosen.count < n && cursor[c] < byClass[c].count {
                chosen.append(byClass[c][cursor[c]])
                cursor[c] += 1
            }
        }
        return selecting(chosen.sorted())
    }

    /// Area (box) downsampling: each output pixel is the mean of a `factor` x `factor` block,
    /// factor = side / `resolution`. [N, H, W, C] -> [N, H/f, W/f, C].
    public func areaDownsampled(to resolution: Int) throws -> Dataset {
        guard resolution >= 1, height % resolution == 0, width % resolution == 0, height == width else {
            throw NASError.invalidArgument(name: "resolution", reason: "\(resolution) does not divide the \(height)x\(width) images")
        }
        let f = height / resolution
        if f == 1 { return self }
        let (c, n) = (channels, count)
        var out = [Float](repeating: 0, count: n * resolution * resolution * c)
        let scale = 1 / Float(f * f)
        for img in 0..<n {
            for oy in 0..<resolution {
                for ox in 0..<resolution {
                    let o = ((img * resolution + oy) * resolution + ox) * c
                    for dy in 0..<f {
                        for dx in 0..<f {
                            let i = ((img * height + oy * f + dy) * width + ox * f + dx) * c
                            for ch in 0..<c { out[o + ch] += images.storage[i + ch] }
                        }
                    }
                    for ch in 0..<c { out[o + ch] *= scale }
                }
            }
        }
        return try Dataset(images: Tensor(shape: [n, resolution, resolution, c], storage: out), labels: labels, classes: classes)
    }

    /// Per-channel mean and (population) standard deviation over all pixels, summed in Double.
    public func channelStatistics() -> (mean: [Float], standardDeviation: [Float]) {
        let c = channels
        var sum = [Double](repeating: 0, count: c), squares = [Double](repeating: 0, count: c)
        for (i, v) in images.storage.enumerated() {
            sum[i % c] += Double(v)
            squares[i % c] += Double(v) * Double(v)
        }
        let pixels = Double(max(1, images.count / c))
        let mean = sum.map { $0 / pixels }
        let std = (0..<c).map { max(1e-6, (squares[$0] / pixels - mean[$0] * mean[$0]).squareRoot()) }
        return (mean.map(Float.init), std.map(Float.init))
    }

    /// (x - mean[c]) / std[c] for every pixel.
    public func normalized(mean: [Float], standardDeviation: [Float]) -> Dataset {
        var copy = self
        let c = channels
        for i in 0..<copy.images.count {
            copy.images.storage[i] = (copy.images.storage[i] - mean[i % c]) / standardDeviation[i % c]
        }
        return copy
    }
}
