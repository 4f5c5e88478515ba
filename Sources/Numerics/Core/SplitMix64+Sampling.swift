/// Integer sampling and shuffling on the project's one seeded generator.
///
/// These live beside the generator (not in `NAS`) so that every seeded split,
/// sample and weight initialisation in the project draws from a single type.
extension SplitMix64 {
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
