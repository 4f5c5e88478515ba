/// How much of a NAS-Bench-201 cell's signal reaches its output through
/// average pooling: the second training-free feature (beside `strength`) that
/// the proxy study stratifies populations by.
///
/// Why: on the study's 7×7 Fashion-MNIST networks with three cells per stage,
/// the calibration cells (docs/benchmarks.md, "Data proxy") split by this
/// feature far more than by convolution count: cells whose every
/// input→output path passes an `avg_pool_3x3` (the output is a blurred copy
/// of the input, three times per stage) trained to 74.9–76.4 %, cells with no
/// pooled path to 81.6–83.1 %, mixed cells in between (76.8–84.0 %).
/// Sampling the three classes equally spreads the accuracies over the whole
/// range instead of piling most cells into the top band.
public enum PathPooling: Int, CaseIterable, Sendable, Comparable {
    /// Every input→output path has an average-pooling edge.
    case allPooled = 0
    /// Some paths are pooled, some are not.
    case partlyPooled = 1
    /// No input→output path has an average-pooling edge.
    case unpooled = 2

    /// Orders weakest-expected first.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension NB201Cell {
    /// The input→output paths through non-`none` edges, each as its edge
    /// slots (NAS-Bench-201 has four possible paths: 0→3, 0→1→3, 0→2→3, 0→1→2→3).
    public var inputOutputPaths: [[Int]] {
        // Slots of `edges`: 0: 0→1, 1: 0→2, 2: 1→2, 3: 0→3, 4: 1→3, 5: 2→3.
        [[3], [0, 4], [1, 5], [0, 2, 5]].filter { path in path.allSatisfy { ops[$0] != .none } }
    }

    /// Whether all, some or none of the input→output paths pass an average
    /// pooling. Degenerate cells (no path) count as `allPooled`; samplers
    /// exclude them anyway.
    public var pathPooling: PathPooling {
        let pooled = inputOutputPaths.map { $0.contains { ops[$0] == .avgPool3x3 } }
        if pooled.allSatisfy({ $0 }) { return .allPooled }
        return pooled.contains(true) ? .partlyPooled : .unpooled
    }
}
