/// A cheap, training-free strength measure of NAS-Bench-201 cells, used to
/// stratify populations so that they span weak and strong cells.
///
/// Why: a uniform sample of the space is dominated by cells with two or three
/// convolutions, which on Fashion-MNIST train to a narrow accuracy band whose
/// order is mostly seed noise. Parametric edges that lie on an input→output
/// path are what gives a cell capacity, so counting them (3×3 weighted above
/// 1×1) separates cells that will train to clearly different accuracies.
extension NB201Cell {
    /// For each edge slot: true when the edge is not `none` and lies on some
    /// path from node 0 to node 3 (its source is reachable from the input and
    /// the output is reachable from its target through non-`none` edges).
    public var onPathEdges: [Bool] {
        var fromInput: Set<Int> = [0]
        for (slot, edge) in Self.edges.enumerated().sorted(by: { $0.element.to < $1.element.to })
        where ops[slot] != .none && fromInput.contains(edge.from) {
            fromInput.insert(edge.to)
        }
        var toOutput: Set<Int> = [Self.nodeCount - 1]
        for (slot, edge) in Self.edges.enumerated().sorted(by: { $0.element.from > $1.element.from })
        where ops[slot] != .none && toOutput.contains(edge.to) {
            toOutput.insert(edge.from)
        }
        return Self.edges.enumerated().map { slot, edge in
            ops[slot] != .none && fromInput.contains(edge.from) && toOutput.contains(edge.to)
        }
    }

    /// Strength score: 2 per 3×3 convolution and 1 per 1×1 convolution on an
    /// input→output path (0…12). Off-path convolutions add nothing because the
    /// output never sees them.
    public var strength: Int {
        zip(ops, onPathEdges).reduce(0) { total, pair in
            guard pair.1 else { return total }
            switch pair.0 {
            case .conv3x3: return total + 2
            case .conv1x1: return total + 1
            default: return total
            }
        }
    }
}
