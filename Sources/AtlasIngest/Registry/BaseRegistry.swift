import AtlasStore

/// The base models of the study, keyed by the CSV's `model_name`.
///
/// Pretraining languages, repositories and context lengths are the paper's Table 1 (which groups Qwen2.5 and
/// Yi-1.5 with the Chinese models); parameter counts are the models' nominal sizes, from their own cards.
public enum BaseRegistry {
    public static let all: [BaseModel] = [
        .init(id: "llama-3-8b", sourceName: "Meta-Llama-3-8B", displayName: "Llama-3-8B", family: "Llama-3",
              language: "English", parametersBillions: 8.0, contextLength: 8192,
              repository: "meta-llama/Meta-Llama-3-8B", inMainGrid: true),
        .init(id: "llama-3-swallow-8b", sourceName: "Llama-3-Swallow-8B-v0.1", displayName: "Llama-3-Swallow-8B",
              family: "Llama-3", language: "Japanese", parametersBillions: 8.0, contextLength: 8192,
              repository: "tokyotech-llm/Llama-3-Swallow-8B-v0.1", inMainGrid: true),
        .init(id: "llama-3-chinese-8b", sourceName: "llama-3-chinese-8b", displayName: "Llama-3-Chinese-8B",
              family: "Llama-3", language: "Chinese", parametersBillions: 8.0, contextLength: 8192,
              repository: "hfl/llama-3-chinese-8b", inMainGrid: true),
        .init(id: "mistral-7b", sourceName: "Mistral-7B-v0.1", displayName: "Mistral-7B", family: "Mistral",
              language: "English", parametersBillions: 7.2, contextLength: 32768,
              repository: "mistralai/Mistral-7B-v0.1", inMainGrid: true),
        .init(id: "chinese-mistral-7b", sourceName: "Chinese-Mistral-7B-v0.1", displayName: "Chinese-Mistral-7B",
              family: "Mistral", language: "Chinese", parametersBillions: 7.4, contextLength: 32768,
              repository: "itpossible/Chinese-Mistral-7B-v0.1", inMainGrid: true),
        .init(id: "qwen2.5-7b", sourceName: "Qwen2.5-7B", displayName: "Qwen2.5-7B", family: "Qwen2.5",
              language: "Chinese", parametersBillions: 7.6, contextLength: 131072,
              repository: "Qwen/Qwen2.5-7B", inMainGrid: true),
        .init(id: "yi-1.5-9b", sourceName: "Yi-1.5-9B", displayName: "Yi-1.5-9B", family: "Yi",
              language: "Chinese", parametersBillions: 8.8, contextLength: 4096,
              repository: "01-ai/Yi-1.5-9B", inMainGrid: true),
        .init(id: "olmo-7b", sourceName: "OLMo-7B-hf", displayName: "OLMo-7B", family: "OLMo",
              language: "English", parametersBillions: 6.9, contextLength: 2048,
              repository: "allenai/OLMo-7B-hf", inMainGrid: true),
        .init(id: "llm-jp-3-7b", sourceName: "LLM-jp-3-7B", displayName: "LLM-jp-3-7B", family: "LLM-jp-3",
              language: "Japanese", parametersBillions: 7.3, contextLength: 4096,
              repository: "llm-jp/llm-jp-3-7.2b", inMainGrid: true),
        .init(id: "sarashina2-7b", sourceName: "Sarashina2-7B", displayName: "Sarashina2-7B", family: "Sarashina2",
              language: "Japanese", parametersBillions: 7.3, contextLength: 4096,
              repository: "sbintuitions/sarashina2-7b", inMainGrid: true),
        .init(id: "gemma-2-9b", sourceName: "Gemma2-9B", displayName: "Gemma-2-9B", family: "Gemma-2",
              language: "English", parametersBillions: 9.2, contextLength: 8192,
              repository: "google/gemma-2-9b", inMainGrid: false),
    ]

    private static let bySourceName = Dictionary(uniqueKeysWithValues: all.map { ($0.sourceName, $0) })

    public static func base(sourceName: String) -> BaseModel? { bySourceName[sourceName] }

    /// Metadata for a base that is not in the registry: its id is a slug of the name, the rest unknown.
    public static func inferred(sourceName: String) -> BaseModel {
        BaseModel(id: Slug.make(sourceName), sourceName: sourceName, displayName: sourceName, family: "unknown",
                  language: "unknown", parametersBillions: nil, contextLength: nil, repository: nil,
                  inMainGrid: false, registered: false)
    }
}
