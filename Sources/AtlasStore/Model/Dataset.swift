/// An SFT training set: one of the paper's ten (Table 2), their union, or a leave-one-out union.
public struct Dataset: Equatable, Sendable {
    public typealias Kind = DatasetKind

    /// URL-safe id, stable across re-ingests: `alpaca-cleaned`, `all`, `wo-lima`.
    public var id: String
    /// The value of `data_name` in the released CSV: `alpaca_cleaned`, `w/o-lima`.
    public var sourceName: String
    public var displayName: String
    public var kind: Kind
    /// For a leave-one-out set, the id of the dataset left out.
    public var leftOut: String?
    /// `general`, `coding`, `math`, `classic NLP`, or `mixture` for `all` and leave-one-out sets.
    public var category: String
    /// Hugging Face dataset repository, when known.
    public var sourceRepository: String?
    /// Number of samples in the source dataset, when known.
    public var sourceSamples: Int?
    /// Mean length in words per example (after the 1k-sample preprocessing), as the paper's Table 2
    /// reports it; `nil` when not known.
    public var meanLength: Double?
    /// `false` when the dataset was not in the registry and its metadata was inferred at ingest.
    public var registered: Bool

    /// Where a registered dataset's size and length come from.
    public static let propertiesSource = "the paper's Table 2: the source dataset's size, and the mean length in words per example after the 1k-sample preprocessing (not tokens)"

    /// The source of this dataset's size and length, when it has them from the registry.
    public var propertiesSource: String? { registered && (sourceSamples != nil || meanLength != nil) ? Self.propertiesSource : nil }

    public init(id: String, sourceName: String, displayName: String, kind: Kind, leftOut: String? = nil,
                category: String, sourceRepository: String?, sourceSamples: Int?, meanLength: Double?,
                registered: Bool = true) {
        self.id = id
        self.sourceName = sourceName
        self.displayName = displayName
        self.kind = kind
        self.leftOut = leftOut
        self.category = category
        self.sourceRepository = sourceRepository
        self.sourceSamples = sourceSamples
        self.meanLength = meanLength
        self.registered = registered
    }
}
