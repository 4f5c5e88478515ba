import Foundation
import NAS
import Pipeline

/// Adapts the runner's per-item cache to a `TrainingOracle`'s label cache:
/// one item per cell, keyed by the cell and `context` (everything else that
/// changes the label: setup, proxy, validation split, seed). It also keeps
/// every label it loaded or stored, in the order they arrived, for the op's outputs.
///
/// `@unchecked Sendable` because the search that uses it runs on one
/// dedicated thread and the op reads `labels` only after that thread has
/// finished (the continuation orders the accesses); it is never shared.
final class ItemLabelCache: TrainingLabelCache, @unchecked Sendable {
    private let cache: (any ItemCache)?
    private let context: [String: String]
    private let onLabel: (TrainingLabel, Bool) -> Void
    /// Labels in arrival order, and whether each came from the cache.
    private(set) var labels: [(label: TrainingLabel, cached: Bool)] = []

    /// A cache over `cache` (nil: nothing is kept between runs) for items
    /// described by `context`; `onLabel` sees every label (for progress).
    init(cache: (any ItemCache)?, context: [String: String], onLabel: @escaping (TrainingLabel, Bool) -> Void) {
        self.cache = cache
        self.context = context
        self.onLabel = onLabel
    }

    private func item(_ cell: String) -> [String: String] { context.merging(["cell": cell]) { $1 } }

    /// The stored label of `cell`, if any.
    func label(of cell: NB201Cell) throws -> TrainingLabel? {
        guard let data = try cache?.load(item(cell.cellString)),
              let label = try? JSONDecoder().decode(TrainingLabel.self, from: data) else { return nil }
        labels.append((label, true))
        onLabel(label, true)
        return label
    }

    /// Stores a fresh label.
    func store(_ label: TrainingLabel) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try cache?.store(item(label.cell), try encoder.encode(label))
        labels.append((label, false))
        onLabel(label, false)
    }
}
