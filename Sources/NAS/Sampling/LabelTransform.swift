/// How a predictor-guided search turns the queried validation accuracies
/// into training labels.
///
/// A table sample holds a few broken cells (NAS-Bench-201's degenerate
/// cells sit at 10 %) that dominate a squared loss, while the search only
/// needs the order at the top; `rank` gives every cell the same weight in the
/// order regardless of how far below the others it lies.
public enum LabelTransform: String, Hashable, Sendable, CaseIterable {
    /// The accuracies as they are.
    case identity
    /// Average ranks scaled to 0...1 (ties share their mean rank).
    case rank

    /// The labels of `accuracies`.
    public func apply(_ accuracies: [Double]) -> [Double] {
        switch self {
        case .identity: return accuracies
        case .rank:
            let order = accuracies.indices.sorted { accuracies[$0] < accuracies[$1] }
            var ranks = [Double](repeating: 0, count: accuracies.count)
            var start = 0
            while start < order.count {
                var end = start
                while end + 1 < order.count && accuracies[order[end + 1]] == accuracies[order[start]] { end += 1 }
                let mean = Double(start + end) / 2
                for i in start...end { ranks[order[i]] = mean }
                start = end + 1
            }
            let scale = Double(max(1, accuracies.count - 1))
            return ranks.map { $0 / scale }
        }
    }
}
