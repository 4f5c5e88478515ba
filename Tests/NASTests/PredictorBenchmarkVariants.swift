@testable import NAS

/// The (encoding key, predictor) pairs measured by `PredictorBenchmarks`.
func nb101Variants() -> [(String, any RankPredictor)] {
    ["flat", "path", "flat+path", "renas"].map { ($0, RidgeRegression()) }
        + ["flat", "path", "flat+path"].map { ($0, KernelRidge()) }
        + [("renas", ReNASPredictor.nb101(loss: .pairwise)), ("renas", ReNASPredictor.nb101(loss: .mse))]
}

/// NB201 variants, same keys.
func nb201Variants() -> [(String, any RankPredictor)] {
    ["flat", "path", "flat+path", "renas"].map { ($0, RidgeRegression()) }
        + ["flat", "path", "flat+path", "renas"].map { ($0, KernelRidge()) }
        + [("renas", ReNASPredictor.nb201(loss: .pairwise)), ("renas", ReNASPredictor.nb201(loss: .mse))]
}
