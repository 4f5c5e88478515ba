/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast, fully specified
/// generator, so that seeded splits and samples are identical on every
/// platform and Swift version (the standard library's generator is not
/// seedable). Numerics may carry its own generator; this one keeps `NAS`'s
/// table utilities independent of it.
public struct SplitMix64: RandomNumberGenerator, Hashable, Sendable {
    /// Current state; the next output is derived from `state + golden gamma`.
    public private(set) var state: UInt64

    /// A generator seeded with `seed`.
    public init(seed: UInt64) { state = seed }

    /// Next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform integer in `0..<bound` by rejection (Lemire's method), so the
    /// result does not depend on the standard library's `random(in:)` algorithm.
    public mutating func uniform(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return product.high
    }

    /// Fisher–Yates shuffle of `items` driven only by `uniform(below:)`.
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            let j = Int(uniform(below: UInt64(i + 1)))
            items.swapAt(i, j)
        }
    }
}
