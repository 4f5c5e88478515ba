import Numerics

/// Seeded, strength-stratified sampling of NAS-Bench-201 cells.
///
/// Non-degenerate cells are grouped by `NB201Cell.strength` into strata; the
/// sampler visits strata round-robin from weakest to strongest, drawing one
/// cell (uniformly, without replacement) from each stratum per round until
/// `count` cells are drawn. Strata that run out are skipped. The sample
/// therefore holds roughly equal numbers of cells per strength level, spanning
/// weak (skip/pool only) to strong (all-3×3) cells, instead of a uniform
/// sample's narrow middle band. Degenerate cells (output disconnected from the
/// input) are never drawn: they train to chance and would only pad the ranking.
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

    /// `count` distinct cells, stratified by strength, none in `excluded`.
    /// Throws when fewer than `count` eligible cells exist.
    public static func sample(count: Int, seed: UInt64, excluding excluded: Set<NB201Cell> = []) throws -> [NB201Cell] {
        var strata = strata(excluding: excluded)
        let available = strata.values.reduce(0) { $0 + $1.count }
        guard count >= 0, count <= available else {
            throw NASError.invalidArgument(name: "count", reason: "\(count) cells requested, \(available) eligible")
        }
        var rng = SplitMix64(seed: seed)
        let levels = strata.keys.sorted()
        for level in levels { rng.shuffle(&strata[level]!) }
        var cursor = [Int: Int]()
        var chosen: [NB201Cell] = []
        while chosen.count < count {
            for level in levels where chosen.count < count {
                let next = cursor[level, default: 0]
                guard next < strata[level]!.count else { continue }
                chosen.append(strata[level]![next])
                cursor[level] = next + 1
            }
        }
        return chosen
    }

    /// A population of `population` cells and a disjoint held-out set of
    /// `heldOut` cells, both stratified; the held-out draw excludes the
    /// population so no validation architecture was seen while scoring.
    public static func populationAndHeldOut(population: Int, heldOut: Int,
                                            seed: UInt64) throws -> (population: [NB201Cell], heldOut: [NB201Cell]) {
        let first = try sample(count: population, seed: seed)
        // A seed derived from `seed` (not seed + 1, which would overlap the next population seed's stream).
        var derive = SplitMix64(seed: seed ^ 0x6865_6C64_6F75_7421)
        let heldOutSeed = derive.next()
        let held = try sample(count: heldOut, seed: heldOutSeed, excluding: Set(first))
        return (first, held)
    }
}
