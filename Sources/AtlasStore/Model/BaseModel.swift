/// A pretrained model that the study fine-tuned (the paper's Table 1).
public struct BaseModel: Equatable, Sendable {
    /// URL-safe id, stable across re-ingests: `qwen2.5-7b`.
    public var id: String
    /// The value of `model_name` in the released CSV: `Qwen2.5-7B`.
    public var sourceName: String
    public var displayName: String
    /// Model family, e.g. `Llama-3`, `Mistral`, `Qwen2.5`.
    public var family: String
    /// Main pretraining language(s), e.g. `English`, `Japanese`, `Chinese`.
    public var language: String
    /// Parameter count in billions; `nil` when not known.
    public var parametersBillions: Double?
    /// Context length in tokens; `nil` when not known.
    public var contextLength: Int?
    /// Hugging Face repository of the base model, when known.
    public var repository: String?
    /// Whether the base belongs to the paper's main grid (every base except Gemma2-9B).
    public var inMainGrid: Bool
    /// `false` when the base was not in the registry and its metadata was inferred at ingest.
    public var registered: Bool

    public init(id: String, sourceName: String, displayName: String, family: String, language: String,
                parametersBillions: Double?, contextLength: Int?, repository: String?,
                inMainGrid: Bool, registered: Bool = true) {
        self.id = id
        self.sourceName = sourceName
        self.displayName = displayName
        self.family = family
        self.language = language
        self.parametersBillions = parametersBillions
        self.contextLength = contextLength
        self.repository = repository
        self.inMainGrid = inMainGrid
        self.registered = registered
    }
}
