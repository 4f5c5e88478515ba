import Pipeline

/// The pipeline ops of the NAS library, for the CLI's registry.
public enum NASOps {
    /// Every NAS op, one instance each.
    public static var all: [any Op] {
        [BenchmarkLoadOp(), NB101EnumerateOp(), PredictorTrainOp(), PredictorEvaluateOp(), PredictorSweepOp(),
         SearchPredictorOp(), SearchTrainedOp(), FinalTrainOp(),
         PopulationSampleOp(), PopulationTrainOp(), ProxyScoreOp(), ProxySelectOp(), ProxyValidateOp()]
    }
}

/// The CLI's registry, built from the Pipeline built-ins and the NAS ops.
public extension OpRegistry {
    /// The registry the `nasbook` CLI uses: the built-in text ops plus `NASOps.all`.
    static var nasbook: OpRegistry {
        var registry = OpRegistry.builtins
        for op in NASOps.all { registry.register(op) }
        return registry
    }
}
