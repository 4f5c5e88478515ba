/// An equal-weight ensemble of rank predictors, each reading its own column
/// range of the features (so members can use different encodings
/// concatenated with `FeatureMatrix.concatenating(columnsOf:)`).
///
/// A member's scores are put on a common scale by the mean and standard
/// deviation of its scores on the *training* rows (fixed at fit time, so a
/// row's ensemble score never depends on which other rows are predicted with
/// it), then averaged. Member i is fitted with seed `seed &+ i`.
public struct RankEnsemble: RankPredictor {
    /// One member and the feature columns it reads.
    public struct Member: Sendable {
        /// The predictor (unfitted before `fit`).
        public var predictor: any RankPredictor
        /// Columns of the ensemble's features given to it.
        public let columns: Range<Int>

        /// A member reading `columns`.
        public init(_ predictor: any RankPredictor, columns: Range<Int>) {
            self.predictor = predictor
            self.columns = columns
        }
    }

    /// The members.
    public private(set) var members: [Member]
    /// Per-member (mean, sd) of training-row scores; empty before `fit`.
    public private(set) var scales: [(mean: Double, sd: Double)] = []

    /// An ensemble of `members` (at least one).
    public init(_ members: [Member]) { self.members = members }

    /// `ensemble(a+b+…)`.
    public var name: String { "ensemble(" + members.map(\.predictor.name).joined(separator: "+") + ")" }

    /// Fits every member on its columns.
    public mutating func fit(features: FeatureMatrix, labels: [Double], seed: UInt64) throws {
        try checkTrainingSet(features, labels)
        guard !members.isEmpty else { throw NASError.invalidArgument(name: "members", reason: "empty ensemble") }
        try checkColumns(features)
        var fitted: [(mean: Double, sd: Double)] = []
        for i in members.indices {
            let x = try columns(features, members[i].columns)
            try members[i].predictor.fit(features: x, labels: labels, seed: seed &+ UInt64(i))
            let s = try members[i].predictor.predict(features: x)
            let mean = s.reduce(0, +) / Double(s.count)
            let sd = (s.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(s.count)).squareRoot()
            fitted.append((mean, sd > 0 ? sd : 1))
        }
        scales = fitted
    }

    /// Mean of the members' rescaled scores.
    public func predict(features: FeatureMatrix) throws -> [Double] {
        guard scales.count == members.count, !members.isEmpty else {
            throw NASError.invalidArgument(name: "predictor", reason: "ensemble used before fit")
        }
        try checkColumns(features)
        var total = [Double](repeating: 0, count: features.rows)
        for (member, scale) in zip(members, scales) {
            let s = try member.predictor.predict(features: columns(features, member.columns))
            for i in total.indices { total[i] += (s[i] - scale.mean) / scale.sd / Double(members.count) }
        }
        return total
    }

    private func checkColumns(_ features: FeatureMatrix) throws {
        for member in members where member.columns.upperBound > features.columns || member.columns.isEmpty {
            throw NASError.invalidArgument(
                name: "features", reason: "\(features.columns) columns, a member reads \(member.columns)")
        }
    }

    private func columns(_ x: FeatureMatrix, _ range: Range<Int>) throws -> FeatureMatrix {
        var values: [Double] = []
        values.reserveCapacity(x.rows * range.count)
        for i in 0..<x.rows { values += x.values[(i * x.columns + range.lowerBound)..<(i * x.columns + range.upperBound)] }
        return try FeatureMatrix(rows: x.rows, columns: range.count, values: values)
    }
}

extension RankEnsemble {
    /// The widest combination measured on NB101 (docs/benchmarks.md, Predictors): `cnnCount`
    /// copies of `cnn` (fitted with seeds seed, seed+1, …, so they differ only in
    /// initialisation and batch order) on the tensor columns, kernel ridge on the flat
    /// columns and ridge on flat+path. Features: tensor, then flat, then path encoding.
    public static func wide(cnn: ReNASPredictor, cnnCount: Int = 3, tensorWidth: Int, flatWidth: Int,
                            pathWidth: Int) -> RankEnsemble {
        let tensor = 0..<tensorWidth
        let flat = tensorWidth..<(tensorWidth + flatWidth)
        let flatPath = tensorWidth..<(tensorWidth + flatWidth + pathWidth)
        return RankEnsemble((0..<cnnCount).map { _ in Member(cnn, columns: tensor) }
            + [Member(KernelRidge(), columns: flat), Member(RidgeRegression(), columns: flatPath)])
    }
}

extension RankEnsemble {
    /// The best NB101 combination of session 3 (docs/benchmarks.md, Predictors): `cnnCount`
    /// pairwise CNNs on the tensor columns, and two closed-form members fitted on the *ranks*
    /// of the labels (`RankLabelPredictor`) that also read the cell statistics
    /// (`NB101CellStatistics`): kernel ridge on flat + statistics and ridge on
    /// flat + statistics + path. Features: tensor, then flat, then statistics, then path,
    /// so both closed-form members read one contiguous column range.
    public static func statistics(cnn: ReNASPredictor, cnnCount: Int = 1, tensorWidth: Int, flatWidth: Int,
                                  statisticsWidth: Int, pathWidth: Int) -> RankEnsemble {
        let tensor = 0..<tensorWidth
        let flatStats = tensorWidth..<(tensorWidth + flatWidth + statisticsWidth)
        let flatStatsPath = tensorWidth..<(flatStats.upperBound + pathWidth)
        return RankEnsemble((0..<cnnCount).map { _ in Member(cnn, columns: tensor) }
            + [Member(RankLabelPredictor(KernelRidge()), columns: flatStats),
               Member(RankLabelPredictor(RidgeRegression()), columns: flatStatsPath)])
    }
}
