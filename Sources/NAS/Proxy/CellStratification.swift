/// How `StratifiedCellSampler` groups NAS-Bench-201 cells into strata.
///
/// Every stratification puts each non-degenerate cell into a *group* and,
/// inside it, a *level*; the sampler visits the groups round-robin and, inside
/// a group, its levels round-robin from the lowest, drawing one cell per visit.
/// Both kinds are training-free and computed for the whole space, so the
/// population, the held-out and the calibration cells share one set of strata.
public enum CellStratification: Sendable, Equatable {
    /// Groups: the pooling class (`PathPooling`, weakest first); levels:
    /// `NB201Cell.strength` (convolutions on input→output paths). The study's
    /// sampler in sessions 3–6.
    case structure
    /// One group; levels: `bins` equal-width bins of a per-cell score between
    /// its smallest and largest value over the non-degenerate cells (e.g. the
    /// NAS-Bench-201 table's 12-epoch CIFAR-100 accuracy). Every cell of the
    /// space must have a score.
    ///
    /// Why: the structural strata still left many cells of one pooling class
    /// packed within about three points of our accuracy, where their order is
    /// seed noise. A score measured for every cell (on another dataset, so no
    /// training of ours and nothing of the held-out results) orders cells
    /// inside a class as well, and equal-width bins spread a sample evenly
    /// along it instead of following the space's skew towards strong cells
    /// (docs/methods/data-proxy.md, "Strata").
    case scoreBins(scores: [NB201Cell: Double], bins: Int)

    /// The (group, level) of `cell`, or nil when `scoreBins` has no score for it.
    /// `range` is the score range over the non-degenerate cells (`scoreBins` only).
    public func stratum(of cell: NB201Cell, range: ClosedRange<Double>?) -> (group: Int, level: Int)? {
        switch self {
        case .structure:
            return (cell.pathPooling.rawValue, cell.strength)
        case .scoreBins(let scores, let bins):
            guard let score = scores[cell], let range else { return nil }
            let width = range.upperBound - range.lowerBound
            guard width > 0 else { return (0, 0) }
            // The maximum lands in the last bin, not one past it.
            return (0, min(bins - 1, Int((score - range.lowerBound) / width * Double(bins))))
        }
    }

    /// The smallest and largest score over the non-degenerate cells (nil for
    /// `structure`); throws when a non-degenerate cell has no score or `bins` < 1.
    public func scoreRange() throws -> ClosedRange<Double>? {
        guard case .scoreBins(let scores, let bins) = self else { return nil }
        guard bins >= 1 else { throw NASError.invalidArgument(name: "bins", reason: "\(bins); at least 1 bin is needed") }
        var low = Double.infinity, high = -Double.infinity
        for cell in NB201Cell.all where !cell.isDegenerate {
            guard let score = scores[cell], score.isFinite else {
                throw NASError.invalidArgument(name: "scores", reason: "no finite score for cell \(cell.cellString)")
            }
            low = min(low, score)
            high = max(high, score)
        }
        return low...high
    }
}
