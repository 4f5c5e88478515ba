/// Per-example importance scores computed from a population's training runs.
/// Every function is deterministic; formulas are in docs/methods/data-proxy.md.
public enum ExampleScores {
    /// Learning score s[k][i]: the fraction of epochs in which architecture k
    /// classified training example i correctly. An example learned in the first
    /// epoch and never forgotten scores 1; one never learned scores 0; one
    /// learned late or unstably lies between. It folds "when" and "how stably"
    /// an example is learned into one number per architecture.
    public static func learningScores(_ runs: [ArchitectureRun]) throws -> [[Double]] {
        try runs.checkAligned()
        return runs.map { run in
            var s = [Double](repeating: 0, count: run.trainCount)
            for epoch in run.trainCorrect {
                for (i, c) in epoch.enumerated() where c { s[i] += 1 }
            }
            return s.map { $0 / Double(run.epochs) }
        }
    }

    /// Ease of every training example: its learning score averaged over the
    /// population, (1/K) Σ_k s_ki, in [0, 1]. 1 = every architecture learns it
    /// in the first epoch and keeps it, 0 = none ever does. The difficulty
    /// strata of `ranking-matched` and `ranking-coverage` are cut on it.
    public static func ease(_ runs: [ArchitectureRun]) throws -> [Double] {
        let s = try learningScores(runs)
        var total = [Double](repeating: 0, count: s[0].count)
        for row in s { for (i, v) in row.enumerated() { total[i] += v } }
        return total.map { $0 / Double(s.count) }
    }

    /// Ranking importance of training examples (our reconstruction of Park's
    /// method): for each example, the Pearson correlation across architectures
    /// between its learning score and the architectures' standardised
    /// full-data accuracy rank. High when strong architectures learn the example
    /// early and stably and weak ones do not, i.e. when the example's outcome
    /// reproduces the ranking; 0 when every architecture treats it alike.
    public static func rankingImportance(_ runs: [ArchitectureRun]) throws -> [Double] {
        let s = try learningScores(runs)
        return correlateColumns(s, with: averageRanks(runs.map(\.testAccuracy)))
    }

    /// Per-epoch ranking importance: the mean over epochs e of
    /// corr_k(c_kie, r_k). Unlike `rankingImportance`, which correlates the
    /// epoch-averaged learning score, each epoch's correctness must agree with
    /// the ranking on its own, so an example that separates the architectures
    /// at one epoch but not at the others scores lower than one that separates
    /// them throughout training.
    public static func epochRankingImportance(_ runs: [ArchitectureRun]) throws -> [Double] {
        try runs.checkAligned()
        let ranks = averageRanks(runs.map(\.testAccuracy))
        var total = [Double](repeating: 0, count: runs[0].trainCount)
        for e in 0..<runs[0].epochs {
            let rows = runs.map { $0.trainCorrect[e].map { $0 ? 1.0 : 0.0 } }
            for (i, v) in correlateColumns(rows, with: ranks).enumerated() { total[i] += v }
        }
        return total.map { $0 / Double(runs[0].epochs) }
    }

    /// Rank-distance-weighted pairwise agreement: over every pair of
    /// architectures k, l, the difference of their learning scores s_li − s_ki
    /// signed by their order and weighted by their rank distance |r_l − r_k|,
    /// normalised by the total weight Σ (r_l − r_k)². It equals the least-squares
    /// slope of s_i on r (cov(s_i, r) / var(r)): unlike the correlation it does
    /// not rescale an example's variation, so an example that only one
    /// architecture gets wrong (tiny variance) cannot reach the top.
    public static func rankingSlope(_ runs: [ArchitectureRun]) throws -> [Double] {
        let s = try learningScores(runs)
        let r = averageRanks(runs.map(\.testAccuracy))
        let meanR = r.reduce(0, +) / Double(r.count)
        let dr = r.map { $0 - meanR }
        let varR = dr.reduce(0) { $0 + $1 * $1 }
        guard varR > 0 else { return [Double](repeating: 0, count: s[0].count) }
        return (0..<s[0].count).map { i in
            var dot = 0.0
            for k in s.indices { dot += dr[k] * s[k][i] }  // Σ dr = 0, so centring s is unnecessary
            return dot / varR
        }
    }

    /// Ranking importance of test examples: Pearson correlation across
    /// architectures between the example's final logit margin and the
    /// architectures' accuracy rank ("which architectures get it right", with
    /// the margin as a graded version of right).
    public static func testRankingImportance(_ runs: [ArchitectureRun]) throws -> [Double] {
        try runs.checkAligned()
        let margins = runs.map { $0.testMargins.map(Double.init) }
        return correlateColumns(margins, with: averageRanks(runs.map(\.testAccuracy)))
    }

    /// Forgetting events (Toneva et al. 2019), averaged over architectures: the
    /// number of epochs e where example i was correct at e−1 and wrong at e.
    /// An example never classified correctly counts `epochs` events (Toneva
    /// treats never-learned examples as maximally forgettable).
    public static func forgettingEvents(_ runs: [ArchitectureRun]) throws -> [Double] {
        try runs.checkAligned()
        var total = [Double](repeating: 0, count: runs[0].trainCount)
        for run in runs {
            for i in 0..<run.trainCount {
                var events = 0, learned = false
                for e in 0..<run.epochs {
                    let c = run.trainCorrect[e][i]
                    learned = learned || c
                    if e > 0, run.trainCorrect[e - 1][i], !c { events += 1 }
                }
                total[i] += Double(learned ? events : run.epochs)
            }
        }
        return total.map { $0 / Double(runs.count) }
    }

    /// Early-training loss, averaged over architectures: the loss-based variant
    /// of EL2N (Paul et al. 2021). The runs record cross-entropy, not the error
    /// vector, so this is the loss at epoch `earlyEpoch(epochs)` rather than the
    /// L2 norm of softmax minus one-hot; both rank examples by how far the early
    /// network is from their label.
    public static func earlyLoss(_ runs: [ArchitectureRun]) throws -> [Double] {
        try runs.checkAligned()
        let epoch = earlyEpoch(runs[0].epochs)
        var total = [Double](repeating: 0, count: runs[0].trainCount)
        for run in runs {
            for (i, loss) in run.trainLosses[epoch].enumerated() { total[i] += Double(loss) }
        }
        return total.map { $0 / Double(runs.count) }
    }

    /// The epoch EL2N reads: a quarter of the way through training (epoch ⌊E/4⌋).
    public static func earlyEpoch(_ epochs: Int) -> Int { max(0, min(epochs - 1, epochs / 4)) }

    /// Predictive entropy of the reference network (the population's most
    /// accurate run, first on ties) on every training example, as Na et al.
    /// (2021) compute it from one pretrained network.
    public static func referenceEntropy(_ runs: [ArchitectureRun]) throws -> [Double] {
        try runs.checkAligned()
        let best = runs.indices.max { runs[$0].testAccuracy < runs[$1].testAccuracy || (runs[$0].testAccuracy == runs[$1].testAccuracy && $0 > $1) }!
        guard runs[best].trainEntropy.count == runs[best].trainCount else {
            throw NASError.invalidArgument(name: "runs", reason: "reference run \(runs[best].cell) recorded no entropies")
        }
        return runs[best].trainEntropy.map(Double.init)
    }

    /// For each column i of `rows` ([architecture][example]), the Pearson
    /// correlation between rows[·][i] and `target`; 0 where either is constant.
    public static func correlateColumns(_ rows: [[Double]], with target: [Double]) -> [Double] {
        let k = Double(target.count)
        let meanT = target.reduce(0, +) / k
        let t = target.map { $0 - meanT }
        let normT = t.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard let width = rows.first?.count else { return [] }
        var out = [Double](repeating: 0, count: width)
        guard normT > 0 else { return out }
        for i in 0..<width {
            var mean = 0.0
            for row in rows { mean += row[i] }
            mean /= k
            var dot = 0.0, norm = 0.0
            for (r, row) in rows.enumerated() {
                let d = row[i] - mean
                dot += d * t[r]
                norm += d * d
            }
            out[i] = norm > 1e-12 ? dot / (norm.squareRoot() * normT) : 0
        }
        return out
    }
}
