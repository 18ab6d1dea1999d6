/// The training hyperparameters the paper used for one method.
public struct GridHyperparameters: Equatable, Sendable {
    public var method: Method
    public var learningRate: Double
    public var batchSize: Int
    public var weightDecay: Double
    public var epochs: Int
    /// The prompt template, with `{instruction}` and `{response}` placeholders.
    public var promptTemplate: String

    public init(method: Method, learningRate: Double, batchSize: Int, weightDecay: Double, epochs: Int, promptTemplate: String) {
        self.method = method
        self.learningRate = learningRate
        self.batchSize = batchSize
        self.weightDecay = weightDecay
        self.epochs = epochs
        self.promptTemplate = promptTemplate
    }
}

/// One planned training run of the study and whether the results hold it.
public struct GridCell: Equatable, Sendable {
    /// Which part of the study planned it: `main`, `all-epochs`, `sample-size`, `leave-one-out`.
    public var study: String
    public var key: RunKey
    /// Whether a run with this key is in the database.
    public var present: Bool
    /// Why a planned run is absent, when known (e.g. `out of memory`).
    public var reason: String?

    public init(study: String, key: RunKey, present: Bool, reason: String?) {
        self.study = study
        self.key = key
        self.present = present
        self.reason = reason
    }
}
