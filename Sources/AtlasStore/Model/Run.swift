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
