import Numerics

/// Training-time augmentation applied to each minibatch: a random crop of the zero-padded image
/// (`cropPadding` pixels each side; 4 is the CIFAR recipe, 2 suits 28x28) and a horizontal flip
/// with probability 1/2. Off by default, and flipping is best left off for Fashion-MNIST/MNIST
/// (digits and shoes have a handedness). Padding is applied after normalisation, so padded
/// pixels are the channel mean rather than black.
public struct Augmentation: Sendable, Hashable, Codable {
    /// Zero padding for the random crop; 0 disables cropping.
    public var cropPadding: Int
    /// Random horizontal flips.
    public var horizontalFlip: Bool

    /// No augmentation by default.
    public init(cropPadding: Int = 0, horizontalFlip: Bool = false) {
        self.cropPadding = cropPadding
        self.horizontalFlip = horizontalFlip
    }

    /// Whether this changes anything.
    public var isIdentity: Bool { cropPadding == 0 && !horizontalFlip }

    /// Augments a batch [N, H, W, C] in place, drawing 2 numbers per image from `generator`.
    public func apply(to images: inout Tensor, generator: inout SplitMix64) {
        guard !isIdentity else { return }
        let (n, h, w, c) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
        let p = cropPadding
        let source = images
        for img in 0..<n {
            let shift = generator.next()
            let dy = p > 0 ? Int(shift % UInt64(2 * p + 1)) - p : 0
            let dx = p > 0 ? Int((shift >> 32) % UInt64(2 * p + 1)) - p : 0
            let flipBits = generator.next()
            let flip = horizontalFlip && flipBits & 1 == 1
            for y in 0..<h {
                for x in 0..<w {
                    let sy = y + dy
                    let sxUnflipped = x + dx
                    let sx = flip ? w - 1 - sxUnflipped : sxUnflipped
                    let o = ((img * h + y) * w + x) * c
                    let inside = sy >= 0 && sy < h && sx >= 0 && sx < w
                    for ch in 0..<c {
                        images.storage[o + ch] = inside ? source.storage[((img * h + sy) * w + sx) * c + ch] : 0
                    }
                }
            }
        }
    }
}
