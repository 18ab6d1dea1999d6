/// One evaluated model: a fine-tuned run, or a base model's own row; from the release, or a user's own.
public struct Run: Equatable, Sendable {
    public var key: RunKey
    /// Whether the training set is a leave-one-out union.
    public var isLeaveOneOut: Bool
    /// File name (no directory) and 1-based line of the row the run came from (a user run's manifest row).
    public var sourceFile: String
    public var sourceLine: Int
    /// `nil` for the release; for a user's run, the manifest's file name (the `source` facet's value).
    public var source: String?
    /// A user run's own name, as its manifest gives it; its id is that name's slug.
    public var label: String?
    private var customID: String?

    public init(key: RunKey, isLeaveOneOut: Bool, sourceFile: String, sourceLine: Int, source: String? = nil, label: String? = nil, id: String? = nil) {
        self.key = key
        self.isLeaveOneOut = isLeaveOneOut
        self.sourceFile = sourceFile
        self.sourceLine = sourceLine
        self.source = source
        self.label = label
        self.customID = id
    }

    /// The run's id: derived from its key for a released run (`qwen2.5-7b.lima.lora.1k.cosine.ep10`),
    /// the slug of its name for a user's run.
    public var id: String { customID ?? key.id }

    /// Whether the run is the user's, not the release's.
    public var isUser: Bool { source != nil }
}
