/// The figures page's sections, in the paper's order: each holds the figures of some analyses.
struct FigureGroup {
    var id: String
    var title: String
    var intro: String
    var analyses: [String]

    static let all = [
        FigureGroup(id: "fig-2", title: "Fig. 2: what each dataset does to each benchmark",
                    intro: "Gains over the base model by training dataset and benchmark: averaged over bases (2a), per base (2b), how alike the bases' gain matrices are (2c), and how few components explain them (2d).",
                    analyses: ["gain-matrix", "model-correlation", "pca"]),
        FigureGroup(id: "fig-3", title: "Fig. 3: synergies shared across models, and those that are not",
                    intro: "How alike the bases are in their benchmark × benchmark correlations (3c) and their dataset × dataset correlations (3d).",
                    analyses: ["similarity-test"]),
        FigureGroup(id: "fig-4", title: "Fig. 4: what in the data matters",
                    intro: "Dataset properties against the gains they bring: the training data's perplexity under the base (4a, from a side table) and mean length (4b: words from the paper's Table 2; tokens from a side table).",
                    analyses: ["perplexity", "dataset-length"]),
        FigureGroup(id: "fig-5", title: "Fig. 5: where in the model SFT acts",
                    intro: "Layer-wise weight change from a side table made by sftatlas weights: how it tracks the gain by layer position (5a), at position 0.6 (5b), and how alike bases are (5c).",
                    analyses: ["weight-change"]),
        FigureGroup(id: "map", title: "The map of models",
                    intro: "Every fine-tuned model placed by its main-benchmark scores, coloured by base model, dataset, method, epochs and samples.",
                    analyses: ["score-map"]),
        FigureGroup(id: "training", title: "Training factors",
                    intro: "Epochs, sample size, LoRA against full-parameter training, and leaving one dataset out of the ten.",
                    analyses: ["epochs", "sample-size", "lora-vs-full", "ablation"]),
        FigureGroup(id: "cross-lingual", title: "Cross-lingual transfer",
                    intro: "Gains on English MMLU against gains on its Japanese and Chinese counterparts.",
                    analyses: ["cross-lingual"]),
    ]

    /// The group of an analysis; analyses no group names fall into a last "Other" section.
    static func of(_ analysis: String) -> String { all.first { $0.analyses.contains(analysis) }?.id ?? "other" }
}

/// Inline Markdown in the analyses' own text: `code` becomes <code>code</code>; everything else is
/// escaped as Mustache escapes it.
enum InlineText {
    static func html(_ text: String) -> String {
        var out = ""
        for (i, part) in text.split(separator: "`", omittingEmptySubsequences: false).enumerated() {
            // Odd parts lie between backticks; an unpaired last backtick leaves its text as it is.
            if i % 2 == 1 && i < text.filter({ $0 == "`" }).count { out += "<code>"; HTMLTable.escape(String(part), into: &out); out += "</code>" }
            else { if i % 2 == 1 { out += "`" }; HTMLTable.escape(String(part), into: &out) }
        }
        return out
    }
}
