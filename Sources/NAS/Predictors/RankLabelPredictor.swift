/// A predictor fitted on the *ranks* of the training labels instead of their values
/// (`LabelTransform.rank`: average ranks scaled to 0…1).
///
/// Only the order of the predictions matters, and NAS-Bench-101's accuracies have a long
/// tail of failed cells (about 10 % accuracy) that dominate a squared loss: on ranks, a
/// failed cell weighs as much in the fit as the gap between two good ones. The wrapped
/// predictor sees nothing else of the labels, so its own cross validation (on Kendall τ,
/// which ranks do not change) chooses its hyper-parameters on the training rows as before.
public struct RankLabelPredictor: RankPredictor {
    /// The wrapped predictor.
    public private(set) var base: any RankPredictor

    /// `base`, to be fitted on rank labels.
    public init(_ base: any RankPredictor) { self.base = base }

    /// `<base>@rank`.
    public var name: String { base.name + "@rank" }

    /// Fits `base` on the ranks of `labels`.
    public mutating func fit(features: FeatureMatrix, labels: [Double], seed: UInt64) throws {
        try checkTrainingSet(features, labels)
        try base.fit(features: features, labels: LabelTransform.rank.apply(labels), seed: seed)
    }

    /// `base`'s scores.
    public func predict(features: FeatureMatrix) throws -> [Double] { try base.predict(features: features) }
}
