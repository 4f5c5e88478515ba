import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast, fully specified PRNG.
///
/// Numerics owns its generator instead of using `SystemRandomNumberGenerator` so that every
/// initialisation and sample is a pure function of the seed, on every platform and Swift version.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// Current 64-bit state; advancing it by the golden-ratio increment is the whole algorithm.
    public private(set) var state: UInt64

    /// A generator started from `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// Next 64 pseudo-random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform float in `[0, 1)` built from the top 24 bits (every value exactly representable).
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform double in `[0, 1)` from the top 53 bits.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Standard normal sample by the Box–Muller transform, computed in Double so the result does
    /// not depend on float rounding of the intermediate logarithm; one pair of uniforms per call
    /// (no cached second value, so the sequence depends only on the number of calls).
    public mutating func nextGaussian() -> Float {
        let u1 = 1.0 - nextDouble()          // (0, 1]: log stays finite
        let u2 = nextDouble()
        return Float((-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2))
    }

    /// A child generator for an independent stream (e.g. one per layer), derived from this one.
    public mutating func split() -> SplitMix64 {
        SplitMix64(seed: next())
    }
}
