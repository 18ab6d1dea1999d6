/// How the weights were updated.
public enum Method: String, Sendable, CaseIterable, Comparable {
    case full
    case lora

    public var displayName: String { self == .full ? "Full" : "LoRA" }

    public static func < (a: Method, b: Method) -> Bool { a.rawValue < b.rawValue }
}

/// The learning-rate schedule.
public enum Schedule: String, Sendable, CaseIterable, Comparable {
    case cosine
    case constant

    public static func < (a: Schedule, b: Schedule) -> Bool { a.rawValue < b.rawValue }
}

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

/// One evaluated model: a fine-tuned run, or a base model's own row.
public struct Run: Equatable, Sendable {
    public var key: RunKey
    /// Whether the training set is a leave-one-out union.
    public var isLeaveOneOut: Bool
    /// File name (no directory) and 1-based line of the row the run came from.
    public var sourceFile: String
    public var sourceLine: Int

    public init(key: RunKey, isLeaveOneOut: Bool, sourceFile: String, sourceLine: Int) {
        self.key = key
        self.isLeaveOneOut = isLeaveOneOut
        self.sourceFile = sourceFile
        self.sourceLine = sourceLine
    }

    public var id: String { key.id }
}
