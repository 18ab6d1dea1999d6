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
