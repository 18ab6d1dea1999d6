/// The key that identifies a run: two rows with the same key are the same run.
public struct RunKey: Hashable, Sendable {
    public var baseID: String
    /// `nil` for a base model's own row.
    public var datasetID: String?
    public var method: Method?
    public var epochs: Int
    public var samples: Int
    public var schedule: Schedule?

    public init(baseID: String, datasetID: String?, method: Method?, epochs: Int, samples: Int, schedule: Schedule?) {
        self.baseID = baseID
        self.datasetID = datasetID
        self.method = method
        self.epochs = epochs
        self.samples = samples
        self.schedule = schedule
    }

    public var isBase: Bool { datasetID == nil }

    /// The stable URL-safe id: `qwen2.5-7b.alpaca-cleaned.full.1k.cosine.ep10`, or `qwen2.5-7b.base`.
    public var id: String {
        guard let datasetID, let method, let schedule else { return "\(baseID).base" }
        return "\(baseID).\(datasetID).\(method.rawValue).\(RunKey.samplesLabel(samples)).\(schedule.rawValue).ep\(epochs)"
    }

    /// `1000` → `1k`, `20000` → `20k`, `1500` → `1500`.
    public static func samplesLabel(_ samples: Int) -> String {
        samples > 0 && samples % 1000 == 0 ? "\(samples / 1000)k" : String(samples)
    }
}
