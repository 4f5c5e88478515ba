import Numerics

/// Seeded, stratified sampling of NAS-Bench-201 cells.
///
/// Non-degenerate cells are grouped into strata (`CellStratification`). By
/// default (`.structure`) by two training-free features:
/// `NB201Cell.pathPooling` (all, some or no input→output paths through an
/// average pooling) and, within each pooling class, `NB201Cell.strength`
/// (convolutions on paths). The sampler visits the groups round-robin
/// (all-pooled, partly pooled, unpooled), and within a group its levels
/// round-robin from weakest to strongest, drawing one cell uniformly without
/// replacement per visit; exhausted strata are skipped. A structural sample
/// therefore holds about a third of each pooling class and spans the
/// convolution counts inside each (`.scoreBins` instead has one group whose
/// levels are equal-width bins of a per-cell score). Why both: the calibration
/// runs (docs/benchmarks.md, "Data proxy") showed the pooling class separates
/// accuracies most, and strength spreads them within a class; the previous
/// strength-only round-robin put 20 of 26 calibration cells into the top
/// 4 points. Degenerate cells (output disconnected from the input) are never
/// drawn: they train to chance and would only pad the ranking.
public enum StratifiedCellSampler {
    /// Every non-degenerate, non-excluded cell grouped by strength, each stratum
    /// in canonical-index order (so the draw depends only on the seed).
    public static func strata(excluding excluded: Set<NB201Cell> = []) -> [Int: [NB201Cell]] {
        var strata: [Int: [NB201Cell]] = [:]
        for cell in NB201Cell.all where !cell.isDegenerate && !excluded.contains(cell) {
            strata[cell.strength, default: []].append(cell)
        }
        return strata
    }

    /// `count` distinct cells, stratified by `stratification` (by default pooling
    /// class, then strength), none in `excluded`. Throws when fewer than `count`
    /// eligible cells exist or a score is missing.
    public static func sample(count: Int, seed: UInt64, excluding excluded: Set<NB201Cell> = [],
                              stratification: CellStratification = .structure) throws -> [NB201Cell] {
        // Bins span the whole space, not the eligible cells, so every draw of a study shares them.
        let range = try stratification.scoreRange()
        var strata: [Int: [Int: [NB201Cell]]] = [:]
        var available = 0
        for cell in NB201Cell.all where !cell.isDegenerate && !excluded.contains(cell) {
            guard let (group, level) = stratification.stratum(of: cell, range: range) else {
                throw NASError.invalidArgument(name: "scores", reason: "no score for cell \(cell.cellString)")
            }
            strata[group, default: [:]][level, default: []].append(cell)
            available += 1
        }
        guard count >= 0, count <= available else {
            throw NASError.invalidArgument(name: "count", reason: "\(count) cells requested, \(available) eligible")
        }
        var rng = SplitMix64(seed: seed)
        let groups = strata.keys.sorted()
        for group in groups {
            for level in strata[group]!.keys.sorted() { rng.shuffle(&strata[group]![level]!) }
        }
        // Per group: the next level to visit, and per level the next cell.
        var levelCursor = [Int: Int](), cellCursor = [Int: [Int: Int]]()
        var chosen: [NB201Cell] = []
        func draw(from group: Int) -> NB201Cell? {
            let levels = strata[group]!.keys.sorted()
            for step in 0..<levels.count {
                let slot = (levelCursor[group, default: 0] + step) % levels.count
                let level = levels[slot]
                let next = cellCursor[group, default: [:]][level, default: 0]
                guard next < strata[group]![level]!.count else { continue }
                cellCursor[group, default: [:]][level] = next + 1
                levelCursor[group] = slot + 1
                return strata[group]![level]![next]
            }
            return nil
        }
        while chosen.count < count {
            for group in groups where chosen.count < count {
                if let cell = draw(from: group) { chosen.append(cell) }
            }
        }
        return chosen
    }

    /// A population of `population` cells and a disjoint held-out set of
    /// `heldOut` cells, both stratified; the held-out draw excludes the
    /// population so no validation architecture was seen while scoring.
    public static func populationAndHeldOut(population: Int, heldOut: Int, seed: UInt64,
                                            stratification: CellStratification = .structure)
        throws -> (population: [NB201Cell], heldOut: [NB201Cell]) {
        let first = try sample(count: population, seed: seed, stratification: stratification)
        // A seed derived from `seed` (not seed + 1, which would overlap the next population seed's stream).
        var derive = SplitMix64(seed: seed ^ 0x6865_6C64_6F75_7421)
        let heldOutSeed = derive.next()
        let held = try sample(count: heldOut, seed: heldOutSeed, excluding: Set(first), stratification: stratification)
        return (first, held)
    }

    /// A calibration set of `count` cells, stratified like the others and
    /// disjoint from `excluded` (the population and held-out cells), drawn from
    /// its own seed derived from `seed`. The study's recipe (resolution, N,
    /// epochs, data sizes) is tuned on these cells' full-data accuracies, so
    /// the held-out architectures never influence a design choice.
    public static func calibration(count: Int, seed: UInt64, excluding excluded: Set<NB201Cell>,
                                   stratification: CellStratification = .structure) throws -> [NB201Cell] {
        var derive = SplitMix64(seed: seed ^ 0x6361_6C69_6272_6174)
        return try sample(count: count, seed: derive.next(), excluding: excluded, stratification: stratification)
    }
}
